"""Bench program: `count` resources that make no API call, with the Jobs' inputs."""

import pulumi
from nothing import Nothing  # on PYTHONPATH (bench/), so the provider pickles by reference

config = pulumi.Config()
inputs = config.require_object("inputs")
for index in range(int(config.require("count"))):
    Nothing(f"job-{index}", {**inputs, "job_name": f"bench-{index}"})
