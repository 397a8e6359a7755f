"""spending/'s SpendingLimit on the native plugin: the same config and exports, by type token."""

import pulumi

config = pulumi.Config()
props = {
    "deviceArn": config.get("device") or "ionq/forte-1",
    "spendingLimit": config.get("amount") or "100",
    "tags": config.get_object("tags") or {"team": "qa"},
    # Outputs the engine fills.
    "arn": None,
    "queuedSpend": None,
}
cap = pulumi.CustomResource("braket:index:SpendingLimit", "cap", props)
pulumi.export("arn", cap.arn)  # type: ignore[attr-defined]
pulumi.export("spending_limit", cap.spendingLimit)  # type: ignore[attr-defined]
pulumi.export("queued_spend", cap.queuedSpend)  # type: ignore[attr-defined]
