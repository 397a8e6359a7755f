"""Bench program: `count` Jobs on the native plugin, the same inputs as programs/jobs."""

import pulumi

from pulumi_braket.schema import camel_keys

config = pulumi.Config()
inputs = camel_keys(config.require_object("inputs"))
assert isinstance(inputs, dict)
for index in range(int(config.require("count"))):
    props = {**inputs, "jobName": f"bench-{index}", "arn": None}
    pulumi.CustomResource("braket:index:Job", f"job-{index}", props)
