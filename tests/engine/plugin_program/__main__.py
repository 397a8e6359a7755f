"""Jobs on the native plugin from Python, without a generated SDK (for the migration tests)."""

import pulumi

config = pulumi.Config()
for name, spec in (config.get_object("pluginJobs") or {}).items():
    spec = dict(spec)
    adopt = spec.pop("importArn", None)
    opts = pulumi.ResourceOptions(import_=adopt) if adopt else None
    # The plugin's properties are the schema's camelCase wire names; None ones are outputs.
    props = {**spec, "arn": None, "status": None}
    job = pulumi.CustomResource("braket:index:Job", name, props, opts)
    pulumi.export(f"{name}_arn", job.arn)  # type: ignore[attr-defined]
    pulumi.export(f"{name}_status", job.status)  # type: ignore[attr-defined]
