"""A stack that breaks every rule of the policy pack once (for the engine tests; preview only)."""

import pulumi_braket as braket

FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
ENTERPRISE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
BELL = "OPENQASM 3; qubit[2] q; bit[2] c; h q[0]; cnot q[0], q[1]; c = measure q;"

# A Job on a QPU with no limit, on a large instance, with the 5-day default runtime, no tags.
braket.Job(
    "big-job",
    role_arn="arn:aws:iam::123456789012:role/AmazonBraketJobsExecutionRole",
    device="ionq/forte-1",
    algorithm_specification={
        "script_mode_config": {"entry_point": "algo:main", "s3_uri": "s3://b/src.tar.gz"}
    },
    output_data_config={"s3_path": "s3://b/out"},
    instance_config={"instance_type": "ml.p4d.24xlarge"},
)
# Tagged, on an allowed device, under a cap: breaks only the per-task and stack cost caps.
braket.SpendingLimit("forte-cap", device_arn=FORTE, spending_limit="500", tags={"team": "qa"})
braket.QuantumTask(
    "forte-task",
    device_arn=FORTE,
    shots=1000,
    action=BELL,
    output_s3_bucket="amazon-braket-us-east-1-123456789012",
    output_s3_key_prefix="tasks/policy",
    tags={"team": "qa"},
)
# A QPU that is not allowed, with no limit.
braket.QuantumTask(
    "enterprise-task",
    device_arn=ENTERPRISE,
    shots=100,
    action=BELL,
    output_s3_bucket="amazon-braket-us-east-1-123456789012",
    output_s3_key_prefix="tasks/policy",
    tags={"team": "qa"},
)
