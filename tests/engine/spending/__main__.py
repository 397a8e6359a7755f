"""A spending limit on a QPU, its amount and tags from stack config (for the engine tests)."""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
cap = braket.SpendingLimit(
    "cap",
    device_arn=config.get("device") or "ionq/forte-1",
    spending_limit=config.get("amount") or "100",
    tags=config.get_object("tags") or {"team": "qa"},
)
pulumi.export("arn", cap.arn)
pulumi.export("spending_limit", cap.spending_limit)
pulumi.export("queued_spend", cap.queued_spend)
