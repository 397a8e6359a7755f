"""A stack of every dynamic resource, as declared before the resource core moved.

Its state, exported then, is `state.json` beside it; `tests/engine/test_old_state.py` checks
that the same program previews it with no changes, refreshes nothing away and destroys it.
Change neither: the point is a program and a state from before.
"""

import pulumi

import pulumi_braket as braket

ROLE = "arn:aws:iam::123456789012:role/AmazonBraketJobsExecutionRole"
SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
BUCKET = "amazon-braket-us-east-1-123456789012"

# Every input the defaults fill left out: names, bucket, image and output paths.
job = braket.Job(
    "old-job",
    job_name="old-state-job",
    role_arn=ROLE,
    device_config={"device": SV1},
    algorithm_specification={
        "script_mode_config": {
            "entry_point": "algo.run:main",
            "s3_uri": f"s3://{BUCKET}/src.tar.gz",
        }
    },
    hyper_parameters={"braket.local.run_seconds": "3600", "depth": "3"},
    tags={"team": "qa"},
)
tags = braket.ResourceTags("old-tags", resource_arn=job.arn, tags={"owner": "lab"})
task = braket.QuantumTask(
    "old-task",
    device_arn=SV1,
    shots=100,
    output_s3_bucket=BUCKET,
    output_s3_key_prefix="tasks",
    action="OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncnot q[0], q[1];\nc = measure q;\n",
)
limit = braket.SpendingLimit("old-limit", device_arn=FORTE, spending_limit="25.00")

pulumi.export("job_arn", job.arn)
pulumi.export("task_arn", task.arn)
pulumi.export("limit_arn", limit.arn)
pulumi.export("tags", tags.tags)
