"""A test program: Jobs and ResourceTags declared by stack config, so tests change only config."""

import pulumi

import pulumi_braket as braket

config = pulumi.Config()
secret_token = config.get_secret("apiToken")
jobs: dict[str, braket.Job] = {}
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
    jobs[name] = braket.Job(name, opts=opts, **args)
    pulumi.export(f"{name}_arn", jobs[name].arn)
    pulumi.export(f"{name}_status", jobs[name].status)
    pulumi.export(f"{name}_tags", jobs[name].tags_all)
    pulumi.export(f"{name}_results", jobs[name].results_uri)

for name, spec in (config.get_object("resourceTags") or {}).items():
    tags = braket.ResourceTags(name, resource_arn=jobs[spec["job"]].arn, tags=spec["tags"])
    pulumi.export(f"{name}_tags", tags.tags)
