"""The reliability stacks: Jobs, ResourceTags and QuantumTasks declared by stack config."""

import pulumi

import pulumi_braket as braket


def expand(value: object) -> object:
    """Strings spelled "<<repeat:N:text>>" become text * N: values too big for a command line."""
    if isinstance(value, str) and value.startswith("<<repeat:") and value.endswith(">>"):
        count, text = value[len("<<repeat:") : -2].split(":", 1)
        return text * int(count)
    if isinstance(value, dict):
        return {expand(key): expand(item) for key, item in value.items()}
    if isinstance(value, list):
        return [expand(item) for item in value]
    return value


config = pulumi.Config()
secret_token = config.get_secret("apiToken")
jobs: dict[str, braket.Job] = {}
for name, args in (config.get_object("jobs") or {}).items():
    args = dict(expand(args))
    if secret_token is not None and args.pop("secretHyperParameter", None):
        args["hyper_parameters"] = {**args.get("hyper_parameters", {}), "api_token": secret_token}
    jobs[name] = braket.Job(name, **args)
    pulumi.export(f"{name}_arn", jobs[name].arn)
    pulumi.export(f"{name}_status", jobs[name].status)

for name, spec in (config.get_object("resourceTags") or {}).items():
    spec = expand(spec)
    # Tags on a declared job, or on any ARN given as is.
    arn = jobs[spec["job"]].arn if "job" in spec else spec["arn"]
    tags = braket.ResourceTags(name, resource_arn=arn, tags=spec["tags"])
    pulumi.export(f"{name}_tags", tags.tags)

for name, args in (config.get_object("quantumTasks") or {}).items():
    task = braket.QuantumTask(name, **expand(args))
    pulumi.export(f"{name}_arn", task.arn)
