"""What every resource core shares: settings, its host's and call's context, the model's checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pulumi.output import Unknown

from pulumi_braket import shapes
from pulumi_braket.client import client
from pulumi_braket.context import Call, HostContext
from pulumi_braket.declarations import SCOPE
from pulumi_braket.outcomes import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)
from pulumi_braket.settings import ProviderSettings


class Operations(Protocol):
    """A resource core's operations on plain values, as both hosts call them."""

    def check(self, olds: dict[str, Any], news: dict[str, Any], /) -> CheckResult: ...

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any], /) -> DiffResult: ...

    def create(self, props: dict[str, Any], /) -> CreateResult: ...

    def read(self, id_: str, props: dict[str, Any], /) -> ReadResult: ...

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any], /) -> UpdateResult: ...

    def delete(self, id_: str, props: dict[str, Any], /) -> None: ...


class ResourceCore:
    """Base of the resource cores: one per operation, with the settings and the context of
    the host that runs it, and what the operation is told (its URN, its timeouts). Nothing
    here knows which host that is."""

    host: HostContext = HostContext()
    call: Call = Call()

    def __init__(
        self,
        settings: ProviderSettings | None = None,
        host: HostContext | None = None,
        call: Call | None = None,
    ) -> None:
        self._settings = settings
        if host is not None:
            self.host = host
        if call is not None:
            self.call = call

    def scope(self, props: Mapping[str, Any]) -> str:
        """The client token's scope, project/stack/name: from the call's URN, or as stored
        by a resource created before the URN was carried, which keeps it."""
        return str(props.get(SCOPE) or self.call.scope)

    def resource_name(self, props: Mapping[str, Any]) -> str:
        """The resource's name in the program (the scope's last part, which may hold "/")."""
        scope = self.scope(props)
        return scope.split("/", 2)[2] if scope.count("/") >= 2 else scope

    @property
    def settings(self) -> ProviderSettings:
        if self._settings is None:
            # Called with no host's settings (a core used directly): the environment's.
            self._settings = ProviderSettings.from_config(None)
        return self._settings

    def braket(self) -> Any:
        return client(self.settings)


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def unknown_paths(value: Any, path: str = "") -> list[str]:
    """Paths of values still unknown during preview, in the problems' dotted spelling."""
    if is_unknown(value):
        return [path]
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            found += unknown_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += unknown_paths(item, f"{path}[{index}]")
    return found


def has_unknowns(value: Any) -> bool:
    return bool(unknown_paths(value))


def check_shape(
    shape_name: str, inputs: Mapping[str, Any], *, exclude: tuple[str, ...] = ()
) -> list[CheckFailure]:
    """One CheckFailure per broken rule of the model, skipping values not yet known."""
    pending = unknown_paths(inputs)
    failures = []
    for problem in shapes.validate(shape_name, inputs, strict=False, snake_case=True):
        if problem.path.split(".")[0].split("[")[0] in exclude:
            continue
        if any(problem.path == p or problem.path.startswith((p + ".", p + "[")) for p in pending):
            continue
        failures.append(CheckFailure(problem.path, problem.rule))
    return failures


def normalized(value: Any) -> Any:
    """A value as Pulumi may hand it back: integral floats as ints, no None members."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): normalized(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [normalized(item) for item in value]
    return value


def string_map(value: Any) -> dict[str, str]:
    """A tags-like map from inputs or outputs; anything else is treated as empty."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items() if v is not None and not is_unknown(v)}


def resource_or_device(props: Mapping[str, Any], resource: str) -> str:
    """The name messages give a task or a limit, which have none of their own in Braket:
    the resource's, else the device's ARN."""
    return resource or str(props.get("device_arn") or "?")
