"""The reliability stacks on the native plugin: the same Jobs and ResourceTags, by type token."""

import pulumi

from pulumi_braket.schema import camel

MAPS = ("tags", "hyper_parameters")


def wire(value: object) -> object:
    """The plugin's camelCase properties; map keys (tags, hyperparameters) as they are."""
    if isinstance(value, dict):
        return {camel(k): (v if k in MAPS else wire(v)) for k, v in value.items()}
    return value


config = pulumi.Config()
jobs: dict[str, pulumi.CustomResource] = {}
for name, args in (config.get_object("jobs") or {}).items():
    props = {**wire(args), "arn": None, "status": None}  # type: ignore[dict-item]
    jobs[name] = pulumi.CustomResource("braket:index:Job", name, props)
    pulumi.export(f"{name}_arn", jobs[name].arn)  # type: ignore[attr-defined]

for name, spec in (config.get_object("resourceTags") or {}).items():
    job = jobs[spec["job"]]
    props = {"resourceArn": job.arn, "tags": spec["tags"]}  # type: ignore[attr-defined]
    pulumi.CustomResource("braket:index:ResourceTags", name, props)
