"""Bench program: `count` Jobs on the native plugin, the same inputs as programs/jobs."""

import pulumi

config = pulumi.Config()
# Already camelCase (run.py converts them): like a YAML program, nothing of pulumi_braket.
inputs = config.require_object("inputs")
for index in range(int(config.require("count"))):
    props = {**inputs, "jobName": f"bench-{index}", "arn": None}
    pulumi.CustomResource("braket:index:Job", f"job-{index}", props)
