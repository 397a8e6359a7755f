"""Each resource declared once: its inputs, what replaces it, what defaults fill, its outputs."""

# The plugin's schema, the members each host carries and the core keeps, and the typed
# arguments' test are all read from these declarations. The request members themselves come
# from botocore's model (shapes); only what the model does not say is declared here.

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from pulumi_braket import shapes

ANY: Mapping[str, Any] = MappingProxyType({"$ref": "pulumi.json#/Any"})
STRING: Mapping[str, Any] = MappingProxyType({"type": "string"})
STRINGS: Mapping[str, Any] = MappingProxyType(
    {"type": "object", "additionalProperties": {"type": "string"}}
)

# -- what hosts carry and the core keeps, beyond the user's inputs ------------------------------

# The resource's URN, so progress and warnings are shown against it (see hosts/progress.py).
URN = "pulumi_urn"
# Pulumi's custom timeouts in seconds ({"create": s, "delete": s}): the engine sends them to
# providers, but the dynamic provider host does not pass them on, so the resource carries them.
TIMEOUTS = "custom_timeouts"
# Scope of the deterministic client token: project/stack/resource name. Derived from the URN
# (core.ResourceCore.scope); stored as an input only by resources created before the URN was
# carried, which keep it.
SCOPE = "client_token_scope"
# Desired tags after provider default tags are merged in; what is sent and managed.
TAGS_ALL = "tags_all"
# Off, True, or a number of seconds: create returns only once the run has ended.
WAIT = "wait_for_completion"
ADOPT = "adopt_arn"
# Set by the Job's defaults: the dotted paths they filled, and the region and account they
# were computed for (see defaults/bookkeeping.py).
DEFAULTED = "defaulted_inputs"
LOOKED_UP = "looked_up"
# A QuantumTask's estimated cost, and what it was estimated for (see quantum_task.py).
ESTIMATE = "estimated_cost"
COST_BASIS = "cost_basis"

# The Braket job images a Job's framework names (the image of each is in defaults/images.py).
FRAMEWORK_NAMES = ("base", "pytorch", "tensorflow", "cudaq")


@dataclass(frozen=True)
class Extra:
    """An input or output beyond the model's request: ours, so described here."""

    name: str
    spec: Mapping[str, Any]
    description: str
    secret: bool = False


@dataclass(frozen=True)
class Resource:
    """One resource: the model shapes that give its properties, and what the core adds.

    What is read from the model is computed once, as checks and diffs ask for it per call.
    """

    kind: str
    description: str
    request: str
    response: str | None
    # The response's own ARN member: the output is ``arn``.
    arn_member: str = ""
    # Request members (snake_case) that update in place; every other one replaces.
    in_place: tuple[str, ...] = ("tags",)
    # Dotted snake_case paths the defaults fill when left out; a top-level one is optional.
    filled: tuple[str, ...] = ()
    # Request members an input of ours is turned into (device -> device_config): optional
    # too, since either may be given.
    derived: Mapping[str, str] = field(default_factory=dict)
    # Request members typed Any: JSON documents the core also takes as objects.
    documents: tuple[str, ...] = ()
    # The user's inputs beyond the request.
    inputs: tuple[Extra, ...] = ()
    # What the core keeps among the inputs for itself (computed at check, never sent).
    kept: tuple[str, ...] = ()
    # What a host supplies as inputs because the request does not reach the core otherwise.
    carried: tuple[str, ...] = ()
    outputs: tuple[Extra, ...] = ()
    # Response members that are not outputs (history that grows, queue positions).
    hidden: tuple[str, ...] = ("events", "queueInfo")

    @cached_property
    def request_members(self) -> tuple[str, ...]:
        """Every member of the create request but the client token, in snake_case."""
        return tuple(
            shapes.snake(name) for name in shapes.members(self.request) if name != "clientToken"
        )

    @cached_property
    def replacing(self) -> tuple[str, ...]:
        """The request members whose change forces a new resource."""
        return tuple(name for name in self.request_members if name not in self.in_place)

    @cached_property
    def input_names(self) -> tuple[str, ...]:
        """What a program may give: the request members and our inputs."""
        return (*self.request_members, *(extra.name for extra in self.inputs))

    @cached_property
    def extras(self) -> tuple[str, ...]:
        """Inputs beyond the request that the state keeps: ours, the core's, the host's."""
        names = (*(extra.name for extra in self.inputs), *self.kept, *self.carried)
        return tuple(dict.fromkeys(names))

    @cached_property
    def optional(self) -> frozenset[str]:
        """Request members (snake_case) the model requires but a program may leave out."""
        top = {path.split(".")[0] for path in self.filled if "." not in path}
        return frozenset({*top, *self.derived.values()})


ADOPT_INPUT = Extra(
    ADOPT,
    STRING,
    "The ARN of an existing resource to take under management instead of creating one; "
    "`pulumi import` does the same.",
)
WAIT_INPUT = Extra(
    WAIT,
    ANY,
    "true, or a number of seconds: create returns only once the run has ended "
    "(COMPLETED, or an error naming FAILED or CANCELLED).",
)
ARN_OUTPUT = Extra("arn", STRING, "The ARN Braket assigned.")
TAGS_ALL_OUTPUT = Extra(TAGS_ALL, STRINGS, "The tags sent: the provider's defaultTags, then tags.")

JOB = Resource(
    "Job",
    "An Amazon Braket hybrid job. Every input but tags replaces the job (the old one is "
    "cancelled first); tags update in place. Deleting cancels a job that has not ended.",
    "CreateJobRequest",
    "GetJobResponse",
    arn_member="jobArn",
    filled=(
        "job_name",
        "role_arn",
        "output_data_config",
        "output_data_config.s3_path",
        "instance_config",
        "instance_config.instance_type",
        "instance_config.volume_size_in_gb",
        "checkpoint_config.s3_uri",
    ),
    derived={
        "source": "algorithm_specification",
        "entry_point": "algorithm_specification",
        "code_location": "algorithm_specification",
        "input_data": "input_data_config",
        "device": "device_config",
    },
    inputs=(
        Extra("device", STRING, "A device ARN or short name (sv1, ionq/forte-1)."),
        Extra("source", STRING, "A local directory or file, packed and stored in S3."),
        Extra("entry_point", STRING, "module:function or module within source."),
        Extra("framework", STRING, f"The Braket job image: {', '.join(FRAMEWORK_NAMES)}."),
        Extra("image_digest", STRING, "Pin the job image to this digest."),
        Extra("code_location", STRING, "Where in S3 the packed source is stored."),
        Extra("input_data", STRINGS, "Input channels by name: an S3 URI or a local path."),
        WAIT_INPUT,
        ADOPT_INPUT,
    ),
    kept=(DEFAULTED, LOOKED_UP, SCOPE),
    carried=(URN, TIMEOUTS),
    outputs=(
        ARN_OUTPUT,
        TAGS_ALL_OUTPUT,
        Extra("results_uri", STRING, "Where a COMPLETED job's model.tar.gz is."),
        Extra("result", ANY, "The job's saved results, when plaintext and small."),
        Extra(DEFAULTED, {"type": "array", "items": STRING}, "Inputs filled."),
    ),
)

QUANTUM_TASK = Resource(
    "QuantumTask",
    "An Amazon Braket quantum task. Every input but tags replaces the task; deleting "
    "cancels a task that has not ended.",
    "CreateQuantumTaskRequest",
    "GetQuantumTaskResponse",
    arn_member="quantumTaskArn",
    documents=("action", "deviceParameters"),
    inputs=(WAIT_INPUT,),
    kept=(ESTIMATE, COST_BASIS, SCOPE),
    carried=(URN, TIMEOUTS),
    outputs=(
        ARN_OUTPUT,
        TAGS_ALL_OUTPUT,
        Extra("result_uri", STRING, "Where a COMPLETED task's results.json is."),
        Extra(
            "measurement_counts",
            {"type": "object", "additionalProperties": {"type": "integer"}},
            "Counts by bitstring, when they fit.",
        ),
        Extra(
            ESTIMATE,
            STRING,
            "USD: the per-task fee plus shots at the device's per-shot price (QPUs).",
        ),
    ),
)

SPENDING_LIMIT = Resource(
    "SpendingLimit",
    "A Braket spending limit: a cap in USD on the tasks of one QPU. The amount, period "
    "and tags update in place; a new device replaces it.",
    "CreateSpendingLimitRequest",
    "SpendingLimitSummary",
    arn_member="spendingLimitArn",
    in_place=("spending_limit", "time_period", "tags"),
    inputs=(ADOPT_INPUT,),
    kept=(SCOPE,),
    carried=(URN,),
    outputs=(ARN_OUTPUT, TAGS_ALL_OUTPUT),
)

RESOURCE_TAGS = Resource(
    "ResourceTags",
    "Tags on a Braket job or quantum task; only the keys declared here are managed.",
    "TagResourceRequest",
    None,
    in_place=("tags",),
)

RESOURCES: tuple[Resource, ...] = (JOB, QUANTUM_TASK, SPENDING_LIMIT, RESOURCE_TAGS)
BY_KIND: Mapping[str, Resource] = MappingProxyType({r.kind: r for r in RESOURCES})
