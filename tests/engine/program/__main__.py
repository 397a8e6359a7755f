"""A test program: Jobs, ResourceTags and tasks declared by stack config, on either host.

`engine-test:host` set to `plugin` declares them on the native plugin (by type token, with
the schema's camelCase properties); otherwise on the dynamic providers. The config and the
exports are the same either way, so the tests change only config.
"""

from typing import Any

import pulumi

import pulumi_braket as braket
from pulumi_braket.hosts.schema import camel_keys

config = pulumi.Config()
plugin = config.get("host") == "plugin"
secret_token = config.get_secret("apiToken")
# Export suffix -> the plugin's output name; a None property is an output the engine fills.
JOB_OUTPUTS = {"arn": "arn", "status": "status", "tags": "tagsAll", "results": "resultsUri"}


def declare_job(name: str, args: dict[str, Any], opts: Any) -> dict[str, Any]:
    if plugin:
        props = {**camel_keys(args), **dict.fromkeys(JOB_OUTPUTS.values())}
        made = pulumi.CustomResource("braket:index:Job", name, props, opts)
        return {suffix: getattr(made, wire) for suffix, wire in JOB_OUTPUTS.items()}
    job = braket.Job(name, opts=opts, **args)
    return {"arn": job.arn, "status": job.status, "tags": job.tags_all, "results": job.results_uri}


def options(args: dict[str, Any]) -> pulumi.ResourceOptions | None:
    """The resource options the test config asks for, taken out of the arguments."""
    opts = None
    if args.pop("importArn", None):
        opts = pulumi.ResourceOptions(import_=args.pop("arn"))
    timeouts = args.pop("customTimeouts", None)
    if timeouts:
        opts = pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(**timeouts))
    alias = args.pop("aliasType", None)
    if alias:
        aliases = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=alias)])
        opts = pulumi.ResourceOptions.merge(opts, aliases)
    return opts


jobs: dict[str, dict[str, Any]] = {}
for name, args in (config.get_object("jobs") or {}).items():
    args = dict(args)
    if secret_token is not None and args.pop("secretHyperParameter", None):
        args["hyper_parameters"] = {**args.get("hyper_parameters", {}), "api_token": secret_token}
    jobs[name] = declare_job(name, args, options(args))
    for suffix, output in jobs[name].items():
        pulumi.export(f"{name}_{suffix}", output)

for name, spec in (config.get_object("resourceTags") or {}).items():
    arn = jobs[spec["job"]]["arn"]
    if plugin:
        props = {"resourceArn": arn, "tags": spec["tags"]}
        tags = pulumi.CustomResource("braket:index:ResourceTags", name, props).tags  # type: ignore[attr-defined]
    else:
        tags = braket.ResourceTags(name, resource_arn=arn, tags=spec["tags"]).tags
    pulumi.export(f"{name}_tags", tags)

for name, args in (config.get_object("tasks") or {}).items():
    args = dict(args)
    opts = options(args)
    if plugin:
        props = {**camel_keys(args), "arn": None, "status": None}
        task: Any = pulumi.CustomResource("braket:index:QuantumTask", name, props, opts)
    else:
        task = braket.QuantumTask(name, opts=opts, **args)
    pulumi.export(f"{name}_arn", task.arn)
    pulumi.export(f"{name}_status", task.status)
