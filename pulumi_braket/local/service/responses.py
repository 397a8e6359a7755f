"""Braket's REST-JSON wire protocol: parse requests and serialise answers from botocore's model."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from pulumi_braket.local.service.errors import (
    BraketServiceError,
    InternalServiceException,
    NotImplementedByLocalService,
    UnknownOperationException,
    ValidationException,
)
from pulumi_braket.local.service.models import BraketBackend, Caller
from pulumi_braket.shapes import service_model, snake, validate

# The operations of the API reference (shared/reference/braket-client-api.txt) and the
# spending limits of botocore's newer model. An operation a later model adds answers
# NotImplementedException instead of a misleading 404.
IMPLEMENTED = frozenset(
    {
        "CancelJob",
        "CancelQuantumTask",
        "CreateJob",
        "CreateQuantumTask",
        "CreateSpendingLimit",
        "DeleteSpendingLimit",
        "GetDevice",
        "GetJob",
        "GetQuantumTask",
        "ListTagsForResource",
        "SearchDevices",
        "SearchJobs",
        "SearchQuantumTasks",
        "SearchSpendingLimits",
        "TagResource",
        "UntagResource",
        "UpdateSpendingLimit",
    }
)

Start = Callable[[str, list[tuple[str, str]]], Any]


@dataclass(frozen=True)
class Route:
    """One operation's method and URI template, compiled."""

    operation: OperationModel
    method: str
    pattern: re.Pattern[str]

    @classmethod
    def build(cls, op: OperationModel) -> Route:
        template = op.http["requestUri"].split("?")[0]
        regex = ""
        for literal, label in re.findall(r"([^{]*)(?:\{([^}]+)\})?", template):
            regex += re.escape(literal)
            if label:
                greedy = label.endswith("+")
                name = label.rstrip("+")
                regex += f"(?P<{name}>{'.+' if greedy else '[^/]+'})"
        return cls(op, op.http["method"], re.compile(f"^{regex}$"))


def _routes() -> list[Route]:
    model = service_model()
    return [Route.build(model.operation_model(name)) for name in model.operation_names]


@dataclass
class Request:
    """What the server needs of an HTTP request."""

    method: str
    raw_path: str
    query: str
    headers: dict[str, str]
    body: bytes
    # (access key, region, service) the front verified; None when only the header tells.
    scope: tuple[str, str, str] | None = None
    # The verified key's IAM user name, if it has one.
    user: str | None = None


def credential_scope(authorization: str | None) -> tuple[str, str, str] | None:
    """(access key, region, service) from a SigV4 Authorization header."""
    if not authorization or "Credential=" not in authorization:
        return None
    scope = authorization.split("Credential=", 1)[1].split(",", 1)[0].strip()
    parts = scope.split("/")
    if len(parts) != 5:
        return None
    return parts[0], parts[2], parts[3]


class BraketWire:
    """Turns HTTP requests into backend calls and backend answers into HTTP responses."""

    def __init__(self, backend: BraketBackend) -> None:
        self.backend = backend
        self.routes = _routes()

    def match(self, method: str, path: str) -> tuple[OperationModel, dict[str, str]]:
        allowed = False
        for route in self.routes:
            found = route.pattern.match(path)
            if not found:
                continue
            if route.method != method:
                allowed = True
                continue
            return route.operation, {k: unquote(v) for k, v in found.groupdict().items()}
        hint = " (wrong method for this path)" if allowed else ""
        raise UnknownOperationException(f"No Braket operation matches {method} {path}{hint}")

    def parameters(
        self, op: OperationModel, labels: dict[str, str], request: Request
    ) -> dict[str, Any]:
        shape = op.input_shape
        params: dict[str, Any] = {}
        if shape is None:
            return params
        if request.body.strip():
            try:
                body = json.loads(request.body)
            except ValueError as error:
                raise ValidationException(f"Request body is not valid JSON: {error}") from None
            if not isinstance(body, dict):
                raise ValidationException("Request body must be a JSON object")
            params.update(body)
        query = parse_qs(request.query, keep_blank_values=True)
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire_name = member.serialization.get("name", name)
            if location == "uri" and wire_name in labels:
                params[name] = labels[wire_name]
            elif location == "querystring" and wire_name in query:
                values = query[wire_name]
                params[name] = values if isinstance(member, ListShape) else values[-1]
            elif location == "header" and wire_name.lower() in request.headers:
                params[name] = request.headers[wire_name.lower()]
        decoded: dict[str, Any] = decode_timestamps(shape, params)
        return decoded

    def handle(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        started = time.time()
        name = "Unknown"
        try:
            op, labels = self.match(request.method, request.raw_path)
            name = op.name
            scope = request.scope or credential_scope(request.headers.get("authorization"))
            if scope is None:
                raise ValidationException("Braket requests must be signed with SigV4")
            access_key, region, _ = scope
            caller = Caller(region=region, access_key=access_key, user=request.user)
            if name not in IMPLEMENTED:
                raise NotImplementedByLocalService(
                    f"{name} is not implemented by the local Braket service; it serves "
                    f"{', '.join(sorted(IMPLEMENTED))}"
                )
            self.backend.faults.apply(name)
            self.backend.authorize(caller, name)
            params = self.parameters(op, labels, request)
            assert op.input_shape is not None
            found = validate(op.input_shape.name, params, strict=True)
            if found:
                count = len(found)
                raise ValidationException(
                    f"{count} validation error{'s' if count > 1 else ''} detected: "
                    + "; ".join(str(problem) for problem in found)
                )
            handler = getattr(self.backend, snake(name))
            result = handler(caller, params)
            assert op.output_shape is not None
            body = serialise(op.output_shape, result)
            status = int(op.http.get("responseCode", 200))
            self.backend.store.log_call(started, name, status, None)
            return status, {"Content-Type": "application/json"}, json.dumps(body).encode()
        except BraketServiceError as error:
            return self._error(started, name, error)
        except Exception as error:  # a bug must still answer in the AWS error format
            failure = InternalServiceException(f"{type(error).__name__}: {error}")
            return self._error(started, name, failure)

    def _error(
        self, started: float, name: str, error: BraketServiceError
    ) -> tuple[int, dict[str, str], bytes]:
        status = error.status()
        self.backend.store.log_call(started, name, status, error.code)
        headers = {"Content-Type": "application/json", "x-amzn-ErrorType": error.code}
        return status, headers, json.dumps(error.body()).encode()


def decode_timestamps(shape: Shape, value: Any) -> Any:
    """Timestamps sent as epoch seconds (the model's unixTimestamp format) as datetimes."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {
            key: decode_timestamps(shape.members[key], item) if key in shape.members else item
            for key, item in value.items()
        }
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [decode_timestamps(shape.member, item) for item in value]
    if shape.type_name == "timestamp" and isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    return value


def serialise(shape: Shape, value: Any) -> Any:
    """A backend value as the model's output shape says, dropping members the shape lacks."""
    if value is None:
        return None
    if isinstance(shape, StructureShape):
        return {
            name: serialise(member, value[name])
            for name, member in shape.members.items()
            if name in value and value[name] is not None
        }
    if isinstance(shape, ListShape):
        return [serialise(shape.member, item) for item in _items(value)]
    if isinstance(shape, MapShape):
        return {key: serialise(shape.value, item) for key, item in value.items()}
    if shape.type_name == "timestamp" and isinstance(value, datetime):
        if shape.serialization.get("timestampFormat") == "unixTimestamp":
            return value.timestamp()
        return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return value


def _items(value: Iterable[Any]) -> list[Any]:
    return list(value)


def split_target(target: str) -> tuple[str, str]:
    """Raw path and query from a request target, keeping %2F in ARNs intact."""
    parts = urlsplit(target)
    return parts.path, parts.query
