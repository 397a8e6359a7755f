"""The engine test program on the native plugin: program/'s config and exports, by type token."""

import pulumi

from pulumi_braket.schema import camel_keys

config = pulumi.Config()
secret_token = config.get_secret("apiToken")
jobs: dict[str, pulumi.CustomResource] = {}
for name, args in (config.get_object("jobs") or {}).items():
    args = dict(args)
    if secret_token is not None and args.pop("secretHyperParameter", None):
        args["hyper_parameters"] = {**args.get("hyper_parameters", {}), "api_token": secret_token}
    opts = None
    if args.pop("importArn", None):
        opts = pulumi.ResourceOptions(import_=args.pop("arn"))
    timeouts = args.pop("customTimeouts", None)
    if timeouts:
        opts = pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(**timeouts))
    # The schema's camelCase wire names; None ones are outputs the engine fills.
    outputs = {"arn": None, "status": None, "tagsAll": None, "resultsUri": None}
    props = {**camel_keys(args), **outputs}
    job = pulumi.CustomResource("braket:index:Job", name, props, opts)
    jobs[name] = job
    pulumi.export(f"{name}_arn", job.arn)  # type: ignore[attr-defined]
    pulumi.export(f"{name}_status", job.status)  # type: ignore[attr-defined]
    pulumi.export(f"{name}_tags", job.tagsAll)  # type: ignore[attr-defined]
    pulumi.export(f"{name}_results", job.resultsUri)  # type: ignore[attr-defined]

for name, spec in (config.get_object("resourceTags") or {}).items():
    props = {"resourceArn": jobs[spec["job"]].arn, "tags": spec["tags"]}  # type: ignore[attr-defined]
    tags = pulumi.CustomResource("braket:index:ResourceTags", name, props)
    pulumi.export(f"{name}_tags", tags.tags)  # type: ignore[attr-defined]

# Quantum tasks (the plugin's import tests): snake_case args as the dynamic QuantumTask takes.
for name, args in (config.get_object("tasks") or {}).items():
    args = dict(args)
    opts = pulumi.ResourceOptions(import_=args.pop("arn")) if args.pop("importArn", None) else None
    props = {**camel_keys(args), "arn": None, "status": None}
    task = pulumi.CustomResource("braket:index:QuantumTask", name, props, opts)
    pulumi.export(f"{name}_arn", task.arn)  # type: ignore[attr-defined]
    pulumi.export(f"{name}_status", task.status)  # type: ignore[attr-defined]
