"""Guardrails: a spending limit on a QPU, and a task under it whose cost shows at preview."""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
# Known at preview, so the task's cost is estimated then (the limit's output is not yet).
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
region = pulumi.Config("aws").get("region") or "us-east-1"
account = config.get("account") or "123456789012"
bucket = config.get("bucket") or f"amazon-braket-{region}-{account}"

# Reviewed like any other code: raising the cap is a one-line diff in a pull request.
cap = braket.SpendingLimit(
    "forte-cap",
    device_arn=FORTE,
    spending_limit=config.get("limit") or "20",
    tags={"team": "quantum"},
)

bell = braket.QuantumTask(
    "bell-on-forte",
    device_arn=FORTE,
    # 0.30 USD a task + 0.08 USD a shot on Forte 1: the preview shows the estimate.
    shots=config.get_int("shots") or 100,
    action="""OPENQASM 3;
qubit[2] q;
bit[2] c;
h q[0];
cnot q[0], q[1];
c = measure q;""",
    output_s3_bucket=bucket,
    output_s3_key_prefix="tasks/guardrails",
    wait_for_completion=True,
    tags={"team": "quantum"},
    # The cap exists before any task is created on its device.
    opts=pulumi.ResourceOptions(depends_on=[cap]),
)

pulumi.export("limit_arn", cap.arn)
pulumi.export("estimated_cost", braket.total_estimated_cost(bell))
pulumi.export("counts", bell.measurement_counts)
pulumi.export("total_spend", cap.total_spend)
