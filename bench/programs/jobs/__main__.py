"""Bench program: `count` Jobs with the same inputs but their names."""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
inputs = config.require_object("inputs")
for index in range(int(config.require("count"))):
    braket.Job(f"job-{index}", **{**inputs, "job_name": f"bench-{index}"})
