"""A CrossGuard policy pack for Braket resources: tags, job limits, devices and cost caps."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from botocore.model import StringShape, StructureShape

try:
    from pulumi_policy import (
        EnforcementLevel,
        Policy,
        PolicyConfigSchema,
        PolicyPack,
        ReportViolation,
        ResourceValidationArgs,
        ResourceValidationPolicy,
        StackValidationArgs,
        StackValidationPolicy,
    )
    from pulumi_policy.proxy import UnknownValueError
except ImportError as missing:  # the optional extra is not installed
    raise ImportError(
        "pulumi_braket.policy needs pulumi-policy: pip install 'pulumi-braket[policy]'"
    ) from missing

from pulumi_braket import shapes
from pulumi_braket.cost import usd
from pulumi_braket.devices import names_device

PACK = "pulumi-braket"
JOB, TASK, LIMIT = "Job", "QuantumTask", "SpendingLimit"
KINDS = (JOB, TASK, LIMIT)
# Our resources by type token, never by the pickled provider: the dynamic providers'
# tokens, and the native plugin's (braket:index:*), whose properties are camelCase.
TOKENS = {
    **{f"pulumi-python:dynamic/braket:{kind}": kind for kind in KINDS},
    **{f"braket:index:{kind}": kind for kind in KINDS},
}


# Config values are read from the botocore model, as the resources' own checks are.
def _metadata(structure: str, member: str) -> dict[str, Any]:
    shape = shapes.service_model().shape_for(structure)
    assert isinstance(shape, StructureShape), structure
    return dict(shape.members[member].metadata)


def _enum(name: str) -> list[str]:
    shape = shapes.service_model().shape_for(name)
    assert isinstance(shape, StringShape), name
    return list(shape.enum)


_INSTANCE_TYPES = _enum("InstanceType")
_RUNTIME = _metadata("JobStoppingCondition", "maxRuntimeInSeconds")
_AMOUNT = _metadata("CreateSpendingLimitRequest", "spendingLimit")
# JSON Schema patterns are not anchored; Go's RE2, which the CLI validates config with, has
# no \Z, and its $ without the m flag matches only at the end of the text.
_USD = {"type": ["string", "number"], "pattern": f"^(?:{_AMOUNT['pattern']})$", "minimum": 0}


def field(props: Mapping[str, Any], path: str) -> Any:
    """A property by its snake_case path (``instance_config.instance_type``), on either host."""
    value: Any = props
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value[part] if part in value else value.get(shapes.camel(part))
    return value


def _amount(value: Any) -> Decimal | None:
    """USD from config or an estimate ("8.30", 8.3); None if it is not an amount."""
    if value is None or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _device(kind: str, props: Mapping[str, Any]) -> str | None:
    """The device a resource names, once its check has resolved it to an ARN."""
    value = field(props, _device_path(kind))
    return value if isinstance(value, str) and value.startswith("arn:") else None


def _device_path(kind: str) -> str:
    return "device_config.device" if kind == JOB else "device_arn"


def _is_qpu(arn: str) -> bool:
    return ":device/qpu/" in arn


def _label(kind: str, name: str) -> str:
    return f'{kind} "{name}"'


Check = Callable[[str, ResourceValidationArgs, Mapping[str, Any]], Iterable[str]]


def _resource_policy(
    name: str, description: str, kinds: Sequence[str], schema: dict[str, Any], check: Check
) -> ResourceValidationPolicy:
    """A policy on each Job, QuantumTask or SpendingLimit of ``kinds``, one line per problem."""

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        kind = TOKENS.get(args.resource_type)
        if kind is None or kind not in kinds:
            return
        for problem in check(kind, args, args.get_config() or {}):
            report(f"{_label(kind, args.name)}: {problem}", None)

    return ResourceValidationPolicy(
        name=name,
        description=description,
        validate=validate,
        config_schema=PolicyConfigSchema(schema),
    )


def _required_tags(kind: str, args: ResourceValidationArgs, config: Mapping[str, Any]) -> list[str]:
    keys = [str(key) for key in config.get("keys") or []]
    # tags_all holds the provider's default tags too: they are sent with every create.
    tags = field(args.props, "tags_all")
    if not isinstance(tags, Mapping):
        tags = field(args.props, "tags")
    present = set(tags) if isinstance(tags, Mapping) else set()
    missing = [key for key in keys if key not in present]
    if not missing:
        return []
    return [f"tags_all lacks the required tag key(s) {', '.join(missing)}"]


def _max_runtime(_kind: str, args: ResourceValidationArgs, config: Mapping[str, Any]) -> list[str]:
    limit = config.get("maxRuntimeInSeconds")
    path = "stopping_condition.max_runtime_in_seconds"
    runtime = field(args.props, path)
    if limit is None or isinstance(runtime, bool) or not isinstance(runtime, int | float):
        return []
    if runtime <= limit:
        return []
    return [f"{path} {int(runtime)} is over the {int(limit)} seconds allowed"]


def _instance_types(
    _kind: str, args: ResourceValidationArgs, config: Mapping[str, Any]
) -> list[str]:
    allowed = config.get("instanceTypes")
    path = "instance_config.instance_type"
    instance = field(args.props, path)
    if allowed is None or not isinstance(instance, str) or instance in allowed:
        return []
    return [f"{path} {instance} is not one of the allowed {', '.join(allowed) or '(none)'}"]


def _devices(kind: str, args: ResourceValidationArgs, config: Mapping[str, Any]) -> list[str]:
    if config.get("devices") is None:
        return []  # not configured: any device
    allowed = [str(entry) for entry in config["devices"]]
    device = _device(kind, args.props)
    if device is None or any(names_device(entry, device) for entry in allowed):
        return []
    return [
        f"{_device_path(kind)} {device} is not an allowed device "
        f"(allowed: {', '.join(allowed) or 'none'})"
    ]


def _task_cost(_kind: str, args: ResourceValidationArgs, config: Mapping[str, Any]) -> list[str]:
    cap, estimate = _amount(config.get("maxUsd")), _amount(field(args.props, "estimated_cost"))
    if cap is None or estimate is None or estimate <= cap:
        return []
    return [f"estimated_cost {usd(estimate)} USD is over the {usd(cap)} USD allowed a task"]


T = TypeVar("T")


def _known(read: Callable[..., T], *args: Any) -> T | None:
    """``read(*args)`` of a stack resource's properties, or None while a preview lacks them."""
    try:
        return read(*args)
    except UnknownValueError:
        return None


def _stack_cost(args: StackValidationArgs, report: ReportViolation) -> None:
    cap = _amount((args.get_config() or {}).get("maxUsd"))
    if cap is None:
        return
    priced: list[tuple[str, Decimal]] = []
    for resource in args.resources:
        if TOKENS.get(resource.resource_type) != TASK:
            continue
        estimate = _amount(_known(field, resource.props, "estimated_cost"))
        if estimate is not None:
            priced.append((resource.name, estimate))
    total = sum((estimate for _, estimate in priced), Decimal(0))
    if total <= cap:
        return
    largest = sorted(priced, key=lambda item: item[1], reverse=True)
    shown = ", ".join(f"{name} {usd(estimate)}" for name, estimate in largest[:5])
    more = f" and {len(largest) - 5} more" if len(largest) > 5 else ""
    report(
        f"the stack's QuantumTasks are estimated at {usd(total)} USD in all, over the "
        f"{usd(cap)} USD allowed a stack ({shown}{more})",
        None,
    )


def _qpu_limits(args: StackValidationArgs, report: ReportViolation) -> None:
    capped: set[str] = set()
    users: list[tuple[str, str, str, str]] = []
    for resource in args.resources:
        kind = TOKENS.get(resource.resource_type)
        if kind is None:
            continue
        device = _known(_device, kind, resource.props)
        if device is None:
            continue
        if kind == LIMIT:
            capped.add(device)
        elif _is_qpu(device):
            users.append((kind, resource.name, resource.urn, device))
    for kind, name, urn, device in users:
        if device not in capped:
            report(
                f"{_label(kind, name)}: {_device_path(kind)} {device} is a QPU with no "
                "SpendingLimit on it in the stack",
                urn,
            )


def policies() -> list[Policy]:
    """The pack's policies, each configurable and advisory unless configured mandatory."""
    return [
        _resource_policy(
            "braket-required-tags",
            "Jobs, QuantumTasks and SpendingLimits carry the required tag keys "
            "(the provider's default tags count).",
            KINDS,
            {"keys": {"type": "array", "items": {"type": "string"}, "default": []}},
            _required_tags,
        ),
        _resource_policy(
            "braket-max-job-runtime",
            "A Job's stopping_condition.max_runtime_in_seconds is at most maxRuntimeInSeconds.",
            (JOB,),
            {
                "maxRuntimeInSeconds": {
                    "type": "integer",
                    "minimum": _RUNTIME["min"],
                    "maximum": _RUNTIME["max"],
                }
            },
            _max_runtime,
        ),
        _resource_policy(
            "braket-allowed-instance-types",
            "A Job's instance_config.instance_type is one of instanceTypes.",
            (JOB,),
            {"instanceTypes": {"type": "array", "items": {"enum": _INSTANCE_TYPES}}},
            _instance_types,
        ),
        _resource_policy(
            "braket-allowed-devices",
            "Jobs and QuantumTasks run only on devices, given by ARN or short name (sv1, "
            "ionq/forte-1).",
            (JOB, TASK),
            {"devices": {"type": "array", "items": {"type": "string"}}},
            _devices,
        ),
        _resource_policy(
            "braket-max-task-cost",
            "A QuantumTask's estimated_cost (the per-task fee plus shots at the device's "
            "per-shot price) is at most maxUsd.",
            (TASK,),
            {"maxUsd": _USD},
            _task_cost,
        ),
        StackValidationPolicy(
            name="braket-max-stack-cost",
            description="The stack's QuantumTasks' estimated_cost adds up to at most maxUsd.",
            validate=_stack_cost,
            config_schema=PolicyConfigSchema({"maxUsd": _USD}),
        ),
        StackValidationPolicy(
            name="braket-qpu-spending-limit",
            description="Every QPU a Job or QuantumTask of the stack uses has a SpendingLimit "
            "in the stack.",
            validate=_qpu_limits,
        ),
    ]


def serve(
    name: str = PACK,
    enforcement_level: EnforcementLevel = EnforcementLevel.ADVISORY,
    initial_config: Mapping[str, Any] | None = None,
) -> None:
    """Serve the pack to the engine (prints its port, then blocks): a policy pack's main."""
    PolicyPack(
        name=name,
        policies=policies(),
        enforcement_level=enforcement_level,
        initial_config=dict(initial_config) if initial_config else None,
        description="Amazon Braket guardrails: tags, job limits, devices and cost caps.",
    )


USAGE = """usage: pulumi preview --policy-pack "$(command -v pulumi-braket-policy)" \\
         [--policy-pack-config config.json]
pulumi-braket-policy is the pulumi-braket CrossGuard policy pack as an analyzer plugin:
the Pulumi CLI starts it and talks to it over gRPC. See the README's Cost section."""


def main(argv: Sequence[str] | None = None) -> None:
    """The ``pulumi-braket-policy`` analyzer: the engine starts it with its own address."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        sys.exit(0 if args else 2)
    serve()
