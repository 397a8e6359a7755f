"""Bench program: `count` Jobs on the native plugin, the same inputs as programs/jobs."""

import pulumi

from pulumi_braket.schema import camel

MAPS = ("tags", "hyper_parameters")


def wire(value: object) -> object:
    """The plugin's camelCase properties; map keys (tags, hyperparameters) as they are."""
    if isinstance(value, dict):
        return {camel(k): (v if k in MAPS else wire(v)) for k, v in value.items()}
    return value


config = pulumi.Config()
inputs = wire(config.require_object("inputs"))
assert isinstance(inputs, dict)
for index in range(int(config.require("count"))):
    props = {**inputs, "jobName": f"bench-{index}", "arn": None}
    pulumi.CustomResource("braket:index:Job", f"job-{index}", props)
