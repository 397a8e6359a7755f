"""The native plugin's Pulumi package schema, generated from botocore's Braket model."""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Mapping
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from pulumi_braket import shapes
from pulumi_braket.declarations import ANY, RESOURCES, STRING, STRINGS, Resource
from pulumi_braket.devices import DeviceResult

PACKAGE = "braket"
VERSION = importlib.metadata.version("pulumi-braket")


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


def _resource(builder: _Builder, spec: Resource) -> dict[str, Any]:
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
        inputs[shapes.camel(extra.name)] = _extra(extra.spec, extra.description, extra.secret)
    optional = {"clientToken", *(shapes.camel(name) for name in spec.optional)}
    required = sorted(set(request.required_members) - optional)
    outputs = dict(inputs)
    if spec.response is not None:
        for wire, member in _structure(spec.response).members.items():
            if wire not in outputs and wire not in (*spec.hidden, spec.arn_member):
                outputs[wire] = builder.spec(member, member.documentation)
    for extra in spec.outputs:
        outputs[shapes.camel(extra.name)] = _extra(extra.spec, extra.description, extra.secret)
    return {
        "description": spec.description,
        "inputProperties": inputs,
        "requiredInputs": required,
        "properties": outputs,
        "required": sorted(key for key in ("arn",) if key in outputs),
    }


def _extra(spec: Mapping[str, Any], description: str, secret: bool) -> dict[str, Any]:
    return {**_plain(spec), "description": description, **({"secret": True} if secret else {})}


def _plain(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A declaration's (read-only) type as the JSON document the schema is."""
    return {
        key: _plain(value) if isinstance(value, Mapping) else value for key, value in spec.items()
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
