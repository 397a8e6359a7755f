"""A spending limit on a QPU, its amount and tags from stack config, on either host.

`engine-test:host` set to `plugin` declares it on the native plugin, by type token.
"""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
device = config.get("device") or "ionq/forte-1"
amount = config.get("amount") or "100"
tags = config.get_object("tags") or {"team": "qa"}
if config.get("host") == "plugin":
    # The schema's camelCase names; the None ones are outputs the engine fills.
    props = {"deviceArn": device, "spendingLimit": amount, "tags": tags}
    made = pulumi.CustomResource(
        "braket:index:SpendingLimit", "cap", {**props, "arn": None, "queuedSpend": None}
    )
    outputs = [made.arn, made.spendingLimit, made.queuedSpend]  # type: ignore[attr-defined]
else:
    cap = braket.SpendingLimit("cap", device_arn=device, spending_limit=amount, tags=tags)
    outputs = [cap.arn, cap.spending_limit, cap.queued_spend]
for key, output in zip(("arn", "spending_limit", "queued_spend"), outputs, strict=True):
    pulumi.export(key, output)
