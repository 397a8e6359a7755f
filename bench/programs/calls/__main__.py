"""Bench program: `count` resources of the calls-only plugin (calls.py), as programs/plugin."""

import pulumi

config = pulumi.Config()
inputs = config.require_object("inputs")
for index in range(int(config.require("count"))):
    props = {**inputs, "jobName": f"bench-{index}", "jobArn": None}
    pulumi.CustomResource("benchcalls:index:Job", f"job-{index}", props)
