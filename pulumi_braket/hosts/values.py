"""The engine's protobuf property values and the core's plain ones, spelled by the schema."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from google.protobuf import struct_pb2
from pulumi.output import UNKNOWN

from pulumi_braket.core import is_unknown
from pulumi_braket.errors import BraketError
from pulumi_braket.hosts.schema import MAP_INPUTS
from pulumi_braket.shapes import camel, snake
from pulumi_braket.wording import at

# The engine's encoding of special values in a google.protobuf.Struct: facts of Pulumi's
# provider protocol (sdk/go/common/resource/plugin/rpc.go, "special signature" keys).
UNKNOWN_TEXT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIGNATURE = "4dabf18193072939515e22adb298388d"
SECRET = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4"

Spec = Mapping[str, Any] | None


def wire_path(path: str) -> str:
    """A core property path (instance_config.instance_type, tags.k) as the schema spells it."""
    head, dot, rest = path.partition(".")
    name, bracket, index = head.partition("[")
    first = camel(name) + bracket + index
    if not dot:
        return first
    # Below a map (tags, hyperparameters) the rest is a key: kept as written.
    if name in (*MAP_INPUTS, "tags_all"):
        return f"{first}.{rest}"
    return f"{first}.{wire_path(rest)}"


class Values:
    """Values between the engine (camelCase protobuf) and the core (snake_case, plain).

    Keys of the model's structures change spelling; keys of maps (tags, hyperparameters,
    counts by bitstring) and of Any values never do: the schema says which is which. The
    protobuf is read and written directly: a no-change preview reads two property maps per
    resource, and nothing in between is needed.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        # Each resource's inputs and outputs, by wire name.
        self.resources: dict[str, Mapping[str, Any]] = {
            name: {**spec["inputProperties"], **spec["properties"]}
            for name, spec in document["resources"].items()
        }
        # Object types by the reference a property gives them ("#/types/braket:index:X"),
        # looked up for every structure of every value.
        self._by_ref: dict[str, Mapping[str, Any]] = {
            f"#/types/{name}": spec["properties"]
            for name, spec in document["types"].items()
            if "properties" in spec
        }

    def _properties(self, spec: Spec) -> Mapping[str, Any] | None:
        """The properties of an object spec; None for maps, Any and unknown specs."""
        if spec is None:
            return None
        found = spec.get("properties")
        if found is not None:
            return found  # type: ignore[no-any-return]
        ref = spec.get("$ref")
        return self._by_ref.get(ref) if ref else None

    # -- from the engine ------------------------------------------------------------------

    def core(self, spec: Spec, value: struct_pb2.Value, secrets: list[bool]) -> Any:
        """A protobuf value as the core's plain value; a secret inside sets secrets[0]."""
        kind = value.WhichOneof("kind")
        if kind == "string_value":
            text = value.string_value
            return UNKNOWN if text == UNKNOWN_TEXT else text
        if kind == "number_value":
            number: int | float = value.number_value
            if number.is_integer():  # type: ignore[union-attr]
                number = int(number)  # the engine sends every number as a double
            if spec is not None and spec.get("type") == "string":
                # A number where the model wants text (a hyperparameter: shots: 100), as
                # YAML writes it: sent as its text, which is what Braket stores.
                return str(number)
            return number
        if kind == "bool_value":
            return value.bool_value
        if kind == "list_value":
            items = spec.get("items") if spec is not None else None
            return [self.core(items, item, secrets) for item in value.list_value.values]
        if kind == "struct_value":
            fields = value.struct_value.fields
            if SIGNATURE in fields:
                return self._special(spec, fields, secrets)
            props = self._properties(spec)
            if props is None:
                inner = spec.get("additionalProperties") if spec is not None else None
                return {key: self.core(inner, item, secrets) for key, item in fields.items()}
            return {
                snake(key): self.core(props.get(key), item, secrets) for key, item in fields.items()
            }
        return None  # null_value, or no value at all

    def _special(self, spec: Spec, fields: Any, secrets: list[bool]) -> Any:
        signature = fields[SIGNATURE].string_value
        if signature == SECRET:
            secrets[0] = True
            return self.core(spec, fields["value"], secrets)
        if signature == OUTPUT:
            if "secret" in fields and fields["secret"].bool_value:
                secrets[0] = True
            return self.core(spec, fields["value"], secrets) if "value" in fields else UNKNOWN
        if signature == RESOURCE:
            # A resource passed as an input stands for its ID (the engine's own convention).
            found = fields["id"].string_value if "id" in fields else ""
            return found if found and found != UNKNOWN_TEXT else UNKNOWN
        raise BraketError(
            "a Pulumi asset or archive is not a Braket input; give a path or an S3 URI"
        )

    def to_core(self, kind: str, props: struct_pb2.Struct) -> tuple[dict[str, Any], set[str]]:
        """A resource's properties for the core, and the keys that held a secret."""
        specs = self.resources[kind]
        plain: dict[str, Any] = {}
        secrets: set[str] = set()
        for key, item in props.fields.items():
            name = snake(key)
            found = [False]
            try:
                plain[name] = self.core(specs.get(key), item, found)
            except BraketError as error:
                raise BraketError(at(name, error)) from None
            if found[0]:
                secrets.add(name)
        return plain, secrets

    def arguments(self, props: struct_pb2.Struct) -> dict[str, Any]:
        """A function's or the provider's arguments, as sent: no schema, no respelling."""
        return {key: self.core(None, item, [False]) for key, item in props.fields.items()}

    # -- to the engine --------------------------------------------------------------------

    def put(self, target: struct_pb2.Value, spec: Spec, value: Any) -> None:
        """Write the core's value into target, in place (no copies of nested messages)."""
        # Most values are text: tested first, as this runs for every value of every answer.
        if type(value) is str:
            target.string_value = value
        elif value is None:
            target.null_value = struct_pb2.NULL_VALUE
        elif is_unknown(value):
            target.string_value = UNKNOWN_TEXT
        elif isinstance(value, bool):
            target.bool_value = value
        elif isinstance(value, int | float):
            target.number_value = float(value)
        elif isinstance(value, str):
            target.string_value = value
        elif isinstance(value, Decimal):
            target.string_value = str(value)
        elif isinstance(value, datetime | date):
            target.string_value = value.isoformat()
        elif isinstance(value, Mapping):
            fields = target.struct_value.fields
            target.struct_value.SetInParent()  # an empty map is still a map
            props = self._properties(spec)
            if props is None:
                inner = spec.get("additionalProperties") if spec is not None else None
                for key, item in value.items():
                    self.put(fields[str(key)], inner, item)
            else:
                for key, item in value.items():
                    name = camel(str(key))
                    self.put(fields[name], props.get(name), item)
        elif isinstance(value, Sequence):
            items = spec.get("items") if spec is not None else None
            target.list_value.SetInParent()
            for item in value:
                self.put(target.list_value.values.add(), items, item)
        else:
            target.string_value = str(value)

    def to_wire(self, kind: str, values: Mapping[str, Any], secrets: set[str]) -> struct_pb2.Struct:
        """The core's values for the engine; what came in secret goes out secret."""
        specs = self.resources[kind]
        out = struct_pb2.Struct()
        for key, value in values.items():
            if key.startswith("__"):
                continue
            name = camel(key)
            target = out.fields[name]
            if key in secrets:
                wrapper = target.struct_value.fields
                wrapper[SIGNATURE].string_value = SECRET
                target = wrapper["value"]
            self.put(target, specs.get(name), value)
        return out

    def plain_to_wire(self, spec: Spec, values: Mapping[str, Any]) -> struct_pb2.Struct:
        """A function's result for the engine, by its output spec."""
        out = struct_pb2.Struct()
        props = self._properties(spec) or {}
        for key, value in values.items():
            self.put(out.fields[key], props.get(key), value)
        return out
