"""Pydantic models built at import time from botocore's Braket service model."""

from __future__ import annotations

import difflib
import functools
import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, Optional

import botocore.session
from botocore import xform_name
from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

SERVICE_NAME = "braket"


@functools.cache
def service_model() -> ServiceModel:
    """The Braket service model that ships with the installed botocore."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


def operation(name: str) -> OperationModel:
    """The operation model for a wire name such as ``CreateJob``."""
    return service_model().operation_model(name)


def members(shape_name: str) -> list[str]:
    """The wire names of a structure shape's members, in model order."""
    shape = service_model().shape_for(shape_name)
    if not isinstance(shape, StructureShape):
        raise TypeError(f"{shape_name} is not a structure shape")
    return list(shape.members)


@functools.lru_cache(maxsize=4096)
def snake(name: str) -> str:
    """The snake_case name of a wire member, as boto3 spells method names."""
    return xform_name(name)


@functools.lru_cache(maxsize=4096)
def camel(name: str) -> str:
    """A snake_case name as the wire spells it (created_at -> createdAt)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def anchored(pattern: str) -> str:
    """A model pattern as a full match.

    Smithy patterns are not anchored, but Braket checks whole values: a job named
    ``a_b`` is refused although ``a`` alone matches the pattern.
    """
    # \Z, not $: Python's $ also matches before a trailing newline, so "name\n" would pass.
    # (?a): the service's \d and \w are ASCII (Java's defaults); Python's match any script.
    return f"(?a)^(?:{pattern})\\Z"


def _not_bool(kind: str) -> BeforeValidator:
    """Refuse True/False where a number belongs.

    Lax mode must stay (the engine sends every number as a float, 30.0 for 30), but lax
    mode also takes a boolean as 1 or 0, which is never what a user meant.
    """

    def refuse(value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError(
                f"{kind}_type", f"Input should be a valid {kind}, got a boolean"
            )
        return value

    return BeforeValidator(refuse)


def plain_doc(shape_doc: str) -> str:
    """The model's HTML documentation as one line of text."""
    text = re.sub(r"<[^>]+>", "", shape_doc or "")
    return " ".join(html.unescape(text).split())


_CONFIG = ConfigDict(
    extra="forbid",
    validate_by_name=True,
    validate_by_alias=True,
    # Python's re matches botocore's patterns the way the service documents them;
    # the default Rust engine rejects some constructs and treats others differently.
    regex_engine="python-re",
    frozen=True,
)


def _scalar(shape: Shape) -> Any:
    meta = shape.metadata
    kind = shape.type_name
    if kind == "string":
        enum = getattr(shape, "enum", None) or meta.get("enum")
        if enum:
            return Literal.__getitem__(tuple(enum))
        constraints: dict[str, Any] = {}
        if "min" in meta:
            constraints["min_length"] = meta["min"]
        if "max" in meta:
            constraints["max_length"] = meta["max"]
        if "pattern" in meta:
            constraints["pattern"] = anchored(meta["pattern"])
        return Annotated[str, Field(**constraints)] if constraints else str
    if kind in ("integer", "long"):
        bounds: dict[str, Any] = {}
        if "min" in meta:
            bounds["ge"] = meta["min"]
        if "max" in meta:
            bounds["le"] = meta["max"]
        return Annotated[int, Field(**bounds), _not_bool("integer")]
    if kind in ("float", "double"):
        return Annotated[float, _not_bool("number")]
    if kind == "boolean":
        return bool
    if kind == "timestamp":
        return datetime
    if kind == "blob":
        return bytes
    raise TypeError(f"unsupported shape type {kind} for {shape.name}")


def _sized(inner: Any, shape: Shape) -> Any:
    meta = shape.metadata
    sizes: dict[str, Any] = {}
    if "min" in meta:
        sizes["min_length"] = meta["min"]
    if "max" in meta:
        sizes["max_length"] = meta["max"]
    return Annotated[inner, Field(**sizes)] if sizes else inner


@functools.cache
def annotation(shape_name: str) -> Any:
    """The Python type (with constraints) for a named shape."""
    return _annotation(service_model().shape_for(shape_name))


def _annotation(shape: Shape) -> Any:
    if isinstance(shape, StructureShape):
        return model(shape.name)
    if isinstance(shape, ListShape):
        return _sized(list[_annotation(shape.member)], shape)  # type: ignore[misc]
    if isinstance(shape, MapShape):
        return _sized(dict[_annotation(shape.key), _annotation(shape.value)], shape)  # type: ignore[misc]
    return _scalar(shape)


@functools.cache
def model(shape_name: str) -> type[BaseModel]:
    """The pydantic model for a structure shape: snake_case fields, wire names as aliases."""
    shape = service_model().shape_for(shape_name)
    if not isinstance(shape, StructureShape):
        raise TypeError(f"{shape_name} is not a structure shape")
    required = set(shape.required_members)
    fields: dict[str, Any] = {}
    for wire, member in shape.members.items():
        doc = plain_doc(member.documentation)
        kind = _annotation(member)
        if wire in required:
            fields[snake(wire)] = (kind, Field(..., alias=wire, description=doc))
        else:
            fields[snake(wire)] = (Optional[kind], Field(None, alias=wire, description=doc))  # noqa: UP045
    built: type[BaseModel] = create_model(shape_name, __config__=_CONFIG, **fields)
    built.__doc__ = plain_doc(shape.documentation) or shape_name
    return built


def request_model(operation_name: str) -> type[BaseModel]:
    """The model for an operation's input, e.g. ``request_model("CreateJob")``."""
    input_shape = operation(operation_name).input_shape
    assert input_shape is not None, f"{operation_name} has no input"
    return model(input_shape.name)


@dataclass(frozen=True)
class Problem:
    """One broken rule: the dotted path to the value and what the rule says."""

    path: str
    rule: str

    def __str__(self) -> str:
        return f"{self.path}: {self.rule}" if self.path else self.rule


def _path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item.startswith(("function-", "literal[", "constrained-")):
            continue
        elif parts:
            parts.append(f".{item}")
        else:
            parts.append(item)
    return "".join(parts)


# An enum longer than this is summarised with the closest values instead of listed whole.
ENUM_LISTED = 8


def _enum_rule(item: Mapping[str, Any]) -> str:
    values = re.findall(r"'([^']*)'", str(item.get("ctx", {}).get("expected", "")))
    if len(values) <= ENUM_LISTED:
        return f"must be one of {', '.join(values)}"
    close = difflib.get_close_matches(str(item.get("input")), values, n=3, cutoff=0.0)
    return f"must be one of the model's {len(values)} values, such as {', '.join(close)}"


_ANCHOR = re.compile(r"\(\?a\)\^\(\?:(.*)\)\\Z", re.DOTALL)


def _unanchored(pattern: str) -> str:
    found = _ANCHOR.fullmatch(pattern)
    return found.group(1) if found else pattern


def problems(error: ValidationError) -> list[Problem]:
    """Every problem in a pydantic error, with paths as the caller spelled the keys."""
    found: list[Problem] = []
    for item in error.errors(include_url=False):
        rule = item["msg"]
        if item["type"] == "missing":
            rule = "is required"
        elif item["type"] == "extra_forbidden":
            rule = "is not a member of this shape"
        elif item["type"] == "literal_error":
            rule = _enum_rule(item)
        elif item["type"] == "string_pattern_mismatch":
            # The model's pattern as its documentation writes it, not our anchored form.
            rule = f"String should match pattern '{_unanchored(item['ctx']['pattern'])}'"
        found.append(Problem(_path(tuple(item["loc"])), rule))
    return found


def validate(
    shape_name: str, data: Mapping[str, Any], *, strict: bool, snake_case: bool = False
) -> list[Problem]:
    """Validate ``data`` against a structure shape and return every problem at once.

    With ``snake_case`` the keys are Python names and problems name them so; otherwise
    keys and problems use the wire's camelCase names.
    """
    try:
        model(shape_name).model_validate(
            dict(data), strict=strict, by_name=snake_case, by_alias=not snake_case
        )
    except ValidationError as error:
        return problems(error)
    return []


@functools.cache
def _adapter(shape_name: str) -> TypeAdapter[Any]:
    kind = annotation(shape_name)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return TypeAdapter(kind)  # a model brings its own config
    # Python's re, as in the models: the Rust engine has no \Z.
    return TypeAdapter(kind, config=ConfigDict(regex_engine="python-re"))


def validate_value(shape_name: str, value: Any) -> list[Problem]:
    """Validate one value against a named shape, e.g. ``validate_value("JobArn", arn)``."""
    try:
        _adapter(shape_name).validate_python(value)
    except ValidationError as error:
        return problems(error)
    return []


def to_wire(shape_name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Snake_case input (already validated) as the wire's camelCase request members."""
    built = model(shape_name).model_validate(dict(data), by_name=True, by_alias=False)
    return built.model_dump(by_alias=True, exclude_none=True, mode="json")


def from_wire(shape_name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A wire structure (request or response) as snake_case, timestamps as ISO 8601 text."""
    members = model(shape_name).model_fields
    aliases = {field.alias for field in members.values()}
    known = {key: value for key, value in data.items() if key in aliases}
    built = model(shape_name).model_validate(known, by_alias=True, by_name=False)
    return built.model_dump(exclude_none=True, mode="json")


def walk(shape: Shape, path: str = "") -> Iterator[tuple[str, Shape]]:
    """Every (path, shape) below a shape, depth first; list members appear as ``path[]``."""
    yield path, shape
    if isinstance(shape, StructureShape):
        for wire, member in shape.members.items():
            yield from walk(member, f"{path}.{wire}" if path else wire)
    elif isinstance(shape, ListShape):
        yield from walk(shape.member, f"{path}[]")
    elif isinstance(shape, MapShape):
        yield from walk(shape.value, f"{path}{{}}")
