"""A quantum task and a hybrid job on a device looked up by short name, plus a search."""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
region = pulumi.Config("aws").get("region") or "us-east-1"
account = config.get("account") or "123456789012"
bucket = config.get("bucket") or f"amazon-braket-{region}-{account}"
role_arn = config.get("roleArn") or f"arn:aws:iam::{account}:role/AmazonBraketJobsExecutionRole"

# Resolved through search_devices at deploy time; fails the preview if it is not ONLINE.
device = braket.get_device_output(config.get("device") or "sv1", require_online=True)

bell = braket.QuantumTask(
    "bell",
    device_arn=device.arn,
    shots=100,
    action="""OPENQASM 3;
qubit[2] q;
bit[2] c;
h q[0];
cnot q[0], q[1];
c = measure q;""",
    output_s3_bucket=bucket,
    output_s3_key_prefix="tasks/bell",
    tags={"experiment": "bell"},
    # `pulumi up` returns once the task has ended; its counts become an output.
    wait_for_completion=True,
)

job = braket.Job(
    "inspect-device",
    job_name="inspect-device",
    role_arn=role_arn,
    device_config={"device": device.arn},
    # One file is a source too; its entry point is inspect_device:main.
    source="inspect_device.py",
    entry_point="inspect_device:main",
    wait_for_completion=True,
)

simulators = braket.search_devices_output()

pulumi.export("device", device.apply(lambda d: {"arn": d.arn, "status": d.status}))
pulumi.export("task_arn", bell.arn)
pulumi.export("task_status", bell.status)
pulumi.export("task_output", bell.output_s3_directory)
pulumi.export("task_counts", bell.measurement_counts)
pulumi.export("job_result", job.result)
pulumi.export("job_arn", job.arn)
pulumi.export("job_device", job.device_config)
pulumi.export(
    "devices_in_region", simulators.apply(lambda found: sorted(d.device_arn for d in found))
)
