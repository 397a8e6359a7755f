"""What every Braket dynamic provider shares: settings from configure(), checks, value helpers."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckFailure, ConfigureRequest, ResourceProvider
from pulumi.output import Unknown

from pulumi_braket import shapes
from pulumi_braket.client import client
from pulumi_braket.context import HostContext
from pulumi_braket.progress import EngineLog
from pulumi_braket.settings import ProviderSettings

# Set to keep Python tracebacks in provider errors (they are noise for expected failures).
DEBUG_ENV = "PULUMI_BRAKET_DEBUG"
# The dynamic provider host serves every resource from this many threads, and a waiting
# create holds one for as long as it waits (pulumi/dynamic/__main__.py: max_workers=4).
HOST_THREADS = 4
# The dynamic provider host as the cores see it: it never cancels an operation, and finds
# the engine on its command line. The native plugin gives its cores a context of its own.
DYNAMIC_HOST = HostContext(progress=EngineLog(), thread_limit=HOST_THREADS)


class BraketProvider(ResourceProvider):
    """Base of the Braket providers.

    Instances carry no state when pickled into the Pulumi program's state: the class is
    pickled by reference, and settings are read in the provider host by configure() (or
    from the environment when a method runs without it), so no credential or session is
    ever serialized.
    """

    # Nothing secret is captured (a test proves it), so the serialized provider need not
    # be encrypted once per resource.
    serialize_as_secret_always = False
    # Unpickled in the dynamic provider host, an instance has only the class's.
    host: HostContext = DYNAMIC_HOST

    def __init__(
        self, settings: ProviderSettings | None = None, host: HostContext | None = None
    ) -> None:
        """A core with a host's settings and context (the plugin's); the dynamic host
        configures settings through configure() instead."""
        if settings is not None:
            self._settings = settings
        if host is not None:
            self.host = host

    def configure(self, req: ConfigureRequest) -> None:
        self._settings = ProviderSettings.from_config(req.config)
        if not os.environ.get(DEBUG_ENV):
            # The dynamic provider host reports errors with traceback.format_exc(); with a
            # limit of 0 the user reads the one-line message alone.
            sys.tracebacklimit = 0

    @property
    def settings(self) -> ProviderSettings:
        found: ProviderSettings | None = self.__dict__.get("_settings")
        if found is None:
            found = ProviderSettings.from_config(None)
            self._settings = found
        return found

    def braket(self) -> Any:
        return client(self.settings)

    def __getstate__(self) -> dict[str, Any]:
        # Never pickle settings into state, even from a process that configured them.
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


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
