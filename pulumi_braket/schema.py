"""The native plugin's Pulumi package schema, generated from botocore's Braket model."""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from pulumi_braket import shapes
from pulumi_braket.defaults import FRAMEWORKS
from pulumi_braket.lookups import DeviceResult

PACKAGE = "braket"
VERSION = importlib.metadata.version("pulumi-braket")
ANY: dict[str, Any] = {"$ref": "pulumi.json#/Any"}
STRING: dict[str, Any] = {"type": "string"}
STRINGS: dict[str, Any] = {"type": "object", "additionalProperties": STRING}


def token(name: str) -> str:
    return f"{PACKAGE}:index:{name}"


# Inputs whose values are maps: their keys are the user's, never respelled.
MAP_INPUTS = ("tags", "hyper_parameters", "input_data")


def camel_keys(value: Any) -> Any:
    """snake_case inputs (as the dynamic Job takes them) as the plugin's properties."""
    if isinstance(value, dict):
        return {
            shapes.camel(key): item if key in MAP_INPUTS else camel_keys(item)
            for key, item in value.items()
        }
    return value


@dataclass(frozen=True)
class Extra:
    """An input or output beyond the model's request: ours, so described here."""

    name: str
    spec: Mapping[str, Any]
    description: str


@dataclass(frozen=True)
class ResourceSpec:
    """One resource: which model shapes give its properties, and what the core adds."""

    kind: str
    description: str
    request: str
    response: str | None
    # Request members the core fills when left out: optional in the schema.
    filled: tuple[str, ...] = ()
    # Request members typed Any: JSON documents the core also takes as objects.
    documents: tuple[str, ...] = ()
    inputs: tuple[Extra, ...] = ()
    outputs: tuple[Extra, ...] = ()
    # The response's own ARN member: the output is ``arn``.
    arn_member: str = ""
    # Response members that are not outputs (history that grows, queue positions).
    hidden: tuple[str, ...] = field(default=("events", "queueInfo"))


ADOPT = Extra(
    "adopt_arn",
    STRING,
    "The ARN of an existing resource to take under management instead of creating one; "
    "`pulumi import` does the same.",
)
WAIT = Extra(
    "wait_for_completion",
    ANY,
    "true, or a number of seconds: create returns only once the run has ended "
    "(COMPLETED, or an error naming FAILED or CANCELLED).",
)
ARN = Extra("arn", STRING, "The ARN Braket assigned.")
TAGS_ALL = Extra("tags_all", STRINGS, "The tags sent: the provider's defaultTags, then tags.")

RESOURCES: tuple[ResourceSpec, ...] = (
    ResourceSpec(
        "Job",
        "An Amazon Braket hybrid job. Every input but tags replaces the job (the old one is "
        "cancelled first); tags update in place. Deleting cancels a job that has not ended.",
        "CreateJobRequest",
        "GetJobResponse",
        arn_member="jobArn",
        filled=("jobName", "roleArn", "outputDataConfig", "instanceConfig", "deviceConfig"),
        inputs=(
            Extra("device", STRING, "A device ARN or short name (sv1, ionq/forte-1)."),
            Extra("source", STRING, "A local directory or file, packed and stored in S3."),
            Extra("entry_point", STRING, "module:function or module within source."),
            Extra(
                "framework",
                STRING,
                # The frameworks the Job accepts, so the two lists cannot drift apart again.
                f"The Braket job image: {', '.join(FRAMEWORKS)}.",
            ),
            Extra("image_digest", STRING, "Pin the job image to this digest."),
            Extra("code_location", STRING, "Where in S3 the packed source is stored."),
            Extra("input_data", STRINGS, "Input channels by name: an S3 URI or a local path."),
            WAIT,
            ADOPT,
        ),
        outputs=(
            ARN,
            TAGS_ALL,
            Extra("results_uri", STRING, "Where a COMPLETED job's model.tar.gz is."),
            Extra("result", ANY, "The job's saved results, when plaintext and small."),
            Extra("defaulted_inputs", {"type": "array", "items": STRING}, "Inputs filled."),
        ),
    ),
    ResourceSpec(
        "QuantumTask",
        "An Amazon Braket quantum task. Every input but tags replaces the task; deleting "
        "cancels a task that has not ended.",
        "CreateQuantumTaskRequest",
        "GetQuantumTaskResponse",
        arn_member="quantumTaskArn",
        documents=("action", "deviceParameters"),
        inputs=(WAIT,),
        outputs=(
            ARN,
            TAGS_ALL,
            Extra("result_uri", STRING, "Where a COMPLETED task's results.json is."),
            Extra(
                "measurement_counts",
                {"type": "object", "additionalProperties": {"type": "integer"}},
                "Counts by bitstring, when they fit.",
            ),
            Extra(
                "estimated_cost",
                STRING,
                "USD: the per-task fee plus shots at the device's per-shot price (QPUs).",
            ),
        ),
    ),
    ResourceSpec(
        "SpendingLimit",
        "A Braket spending limit: a cap in USD on the tasks of one QPU. The amount, period "
        "and tags update in place; a new device replaces it.",
        "CreateSpendingLimitRequest",
        "SpendingLimitSummary",
        arn_member="spendingLimitArn",
        inputs=(ADOPT,),
        outputs=(ARN, TAGS_ALL),
    ),
    ResourceSpec(
        "ResourceTags",
        "Tags on a Braket job or quantum task; only the keys declared here are managed.",
        "TagResourceRequest",
        None,
    ),
)
BY_TOKEN = {token(spec.kind): spec for spec in RESOURCES}


class _Builder:
    """Schema types for the model's structures, named after their shapes."""

    def __init__(self) -> None:
        self.types: dict[str, dict[str, Any]] = {}

    def spec(self, shape: Shape, documentation: str = "") -> dict[str, Any]:
        out = self._spec(shape)
        text = shapes.plain_doc(documentation or shape.documentation)
        return {**out, "description": text} if text else out

    def _spec(self, shape: Shape) -> dict[str, Any]:
        if isinstance(shape, StructureShape):
            name = shape.name
            if token(name) not in self.types:
                self.types[token(name)] = {}  # placeholder: shapes may recur
                self.types[token(name)] = {
                    "type": "object",
                    "description": shapes.plain_doc(shape.documentation) or name,
                    "properties": {
                        wire: self.spec(member, member.documentation)
                        for wire, member in shape.members.items()
                    },
                    "required": sorted(shape.required_members),
                }
            return {"$ref": f"#/types/{token(name)}"}
        if isinstance(shape, ListShape):
            return {"type": "array", "items": self._spec(shape.member)}
        if isinstance(shape, MapShape):
            return {"type": "object", "additionalProperties": self._spec(shape.value)}
        kind = shape.type_name
        if kind in ("integer", "long"):
            return {"type": "integer"}
        if kind in ("float", "double"):
            return {"type": "number"}
        if kind == "boolean":
            return {"type": "boolean"}
        return dict(STRING)  # strings, enums, timestamps (RFC 3339 text)


def _structure(name: str) -> StructureShape:
    shape = shapes.service_model().shape_for(name)
    assert isinstance(shape, StructureShape), name
    return shape


def _resource(builder: _Builder, spec: ResourceSpec) -> dict[str, Any]:
    request = _structure(spec.request)
    inputs: dict[str, Any] = {}
    for wire, member in request.members.items():
        if wire == "clientToken":
            continue
        inputs[wire] = (
            {**ANY, "description": shapes.plain_doc(member.documentation)}
            if wire in spec.documents
            else builder.spec(member, member.documentation)
        )
    for extra in spec.inputs:
        inputs[shapes.camel(extra.name)] = {**extra.spec, "description": extra.description}
    required = sorted(set(request.required_members) - {"clientToken", *spec.filled})
    outputs = dict(inputs)
    if spec.response is not None:
        for wire, member in _structure(spec.response).members.items():
            if wire not in outputs and wire not in (*spec.hidden, spec.arn_member):
                outputs[wire] = builder.spec(member, member.documentation)
    for extra in spec.outputs:
        outputs[shapes.camel(extra.name)] = {**extra.spec, "description": extra.description}
    return {
        "description": spec.description,
        "inputProperties": inputs,
        "requiredInputs": required,
        "properties": outputs,
        "required": sorted(key for key in ("arn",) if key in outputs),
    }


# The lookups: Braket's search operations, and get_device (its result from DeviceResult).
SEARCHES = {
    "searchDevices": ("SearchDevices", "devices"),
    "searchJobs": ("SearchJobs", "jobs"),
    "searchQuantumTasks": ("SearchQuantumTasks", "quantumTasks"),
    "searchSpendingLimits": ("SearchSpendingLimits", "spendingLimits"),
}


def _device_outputs() -> dict[str, Any]:
    json_schema = DeviceResult.model_json_schema()
    out: dict[str, Any] = {}
    for name, prop in json_schema["properties"].items():
        kinds = {item.get("type") for item in prop.get("anyOf", [prop])}
        if "object" in kinds or "array" in kinds:
            spec: dict[str, Any] = dict(ANY)
        else:
            spec = dict(STRING)
        out[shapes.camel(name)] = {**spec, "description": prop.get("description", "")}
    return out


def _functions(builder: _Builder) -> dict[str, Any]:
    functions: dict[str, Any] = {
        token("getDevice"): {
            "description": "A Braket device by ARN or short name (sv1, ionq/forte-1).",
            "inputs": {
                "properties": {
                    "arnOrName": {**STRING, "description": "A device ARN or short name."},
                    "requireOnline": {
                        "type": "boolean",
                        "description": "Fail unless the device is ONLINE.",
                    },
                },
                "required": ["arnOrName"],
            },
            "outputs": {"properties": _device_outputs(), "required": ["arn", "status"]},
        }
    }
    for name, (operation, key) in SEARCHES.items():
        model = shapes.operation(operation)
        request, response = model.input_shape, model.output_shape
        assert isinstance(request, StructureShape) and isinstance(response, StructureShape)
        filters = request.members["filters"]
        functions[token(name)] = {
            "description": shapes.plain_doc(model.documentation),
            "inputs": {
                "properties": {
                    "filters": builder.spec(filters, filters.documentation),
                    "maxItems": {"type": "integer", "description": "Stop after this many."},
                },
            },
            "outputs": {
                "properties": {key: builder.spec(response.members[key])},
                "required": [key],
            },
        }
    return functions


CONFIG: dict[str, dict[str, Any]] = {
    "region": {**STRING, "description": "The AWS region (else AWS_REGION, ~/.aws/config)."},
    "profile": {**STRING, "description": "The AWS profile (else AWS_PROFILE)."},
    "endpoint": {**STRING, "description": "A Braket endpoint URL, such as the local service."},
    "defaultTags": {**STRINGS, "description": "Tags applied to every taggable resource."},
    "maxAttempts": {"type": "integer", "description": "botocore's retry attempts (10)."},
    "retryMode": {**STRING, "description": "botocore's retry mode: standard or adaptive."},
}


@functools.cache
def schema() -> dict[str, Any]:
    """The package schema: every property in camelCase, the model's wire names."""
    builder = _Builder()
    resources = {token(spec.kind): _resource(builder, spec) for spec in RESOURCES}
    functions = _functions(builder)
    return {
        "name": PACKAGE,
        "displayName": "Amazon Braket",
        "version": VERSION,
        "description": "Amazon Braket hybrid jobs, quantum tasks, spending limits and tags.",
        "keywords": ["pulumi", "aws", "braket", "quantum"],
        "license": "Apache-2.0",
        "config": {"variables": CONFIG},
        "provider": {"inputProperties": CONFIG},
        "resources": resources,
        "functions": functions,
        "types": builder.types,
        "language": {"python": {"packageName": "pulumi_braket_native"}},
    }
