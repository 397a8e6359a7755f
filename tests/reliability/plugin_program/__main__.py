"""The reliability stacks on the native plugin: the same Jobs and ResourceTags, by type token."""

import pulumi

from pulumi_braket.hosts.schema import camel_keys

config = pulumi.Config()
jobs: dict[str, pulumi.CustomResource] = {}
for name, args in (config.get_object("jobs") or {}).items():
    props = {**camel_keys(args), "arn": None, "status": None}
    jobs[name] = pulumi.CustomResource("braket:index:Job", name, props)
    pulumi.export(f"{name}_arn", jobs[name].arn)  # type: ignore[attr-defined]

for name, spec in (config.get_object("resourceTags") or {}).items():
    job = jobs[spec["job"]]
    props = {"resourceArn": job.arn, "tags": spec["tags"]}  # type: ignore[attr-defined]
    pulumi.CustomResource("braket:index:ResourceTags", name, props)
