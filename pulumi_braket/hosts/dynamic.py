"""The dynamic provider host: its adapter (dynamic calls in, core calls out), and its resources."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Collection, Mapping
from typing import Any, ClassVar

import pulumi
from pulumi import dynamic
from pulumi.dynamic.dynamic import PROVIDER_KEY, serialize_provider

from pulumi_braket.client import client
from pulumi_braket.context import Call, HostContext
from pulumi_braket.core import Operations
from pulumi_braket.declarations import TIMEOUTS, URN
from pulumi_braket.hosts.progress import EngineLog
from pulumi_braket.settings import ProviderSettings

# Set to keep Python tracebacks in provider errors (they are noise for expected failures).
DEBUG_ENV = "PULUMI_BRAKET_DEBUG"
# The dynamic provider host serves every resource from this many threads, and a waiting
# create holds one for as long as it waits (pulumi/dynamic/__main__.py: max_workers=4).
HOST_THREADS = 4
# The dynamic provider host as the cores see it: it never cancels an operation, and finds
# the engine on its command line. The native plugin gives its cores a context of its own.
DYNAMIC_HOST = HostContext(
    progress=EngineLog(), thread_limit=HOST_THREADS, name="the dynamic provider host"
)


def carried_call(props: Mapping[str, Any]) -> Call:
    """What this host is not told of a call, read back from what the resource carries: its
    URN and custom timeouts (declarations' ``carried``)."""
    urn, timeouts = props.get(URN), props.get(TIMEOUTS)
    return Call(
        urn=urn if isinstance(urn, str) else None,
        timeouts={
            str(name): float(seconds)
            for name, seconds in (timeouts.items() if isinstance(timeouts, Mapping) else ())
            if isinstance(seconds, int | float) and not isinstance(seconds, bool)
        },
    )


class BraketProvider(dynamic.ResourceProvider):
    """One resource's core, as the dynamic provider host calls it.

    Instances carry no state when pickled into the Pulumi program's state: the class is
    pickled by reference (``pulumi_braket.job.JobProvider`` and its siblings, which state
    written by every version names), and settings are read in the provider host by
    configure() (or from the environment when a method runs without it), so no credential
    or session is ever serialized. What the dynamic host does not pass (the URN, custom
    timeouts) the resource carries as properties, as its declaration says.
    """

    # The core class: called with the host's settings and context, once per operation.
    core: ClassVar[Callable[..., Operations]]
    # Nothing secret is captured (a test proves it), so the serialized provider need not
    # be encrypted once per resource.
    serialize_as_secret_always = False

    def configure(self, req: dynamic.ConfigureRequest) -> None:
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

    def _core(self, props: Mapping[str, Any]) -> Operations:
        return self.core(settings=self.settings, host=DYNAMIC_HOST, call=carried_call(props))

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.CheckResult:
        result = self._core(news).check(olds, news)
        return dynamic.CheckResult(
            result.inputs,
            [
                dynamic.CheckFailure(failure.property, str(failure.reason))
                for failure in result.failures
            ],
        )

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dynamic.DiffResult:
        result = self._core(news).diff(_id, olds, news)
        return dynamic.DiffResult(
            changes=result.changes,
            replaces=result.replaces,
            stables=result.stables,
            delete_before_replace=result.delete_before_replace,
        )

    def create(self, props: dict[str, Any]) -> dynamic.CreateResult:
        result = self._core(props).create(props)
        return dynamic.CreateResult(result.id, result.outs)

    def read(self, id_: str, props: dict[str, Any]) -> dynamic.ReadResult:
        result = self._core(props).read(id_, props)
        return dynamic.ReadResult(result.id, result.outs, result.inputs)

    def update(
        self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]
    ) -> dynamic.UpdateResult:
        result = self._core(_news).update(_id, _olds, _news)
        return dynamic.UpdateResult(result.outs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        self._core(_props).delete(_id, _props)

    def __getstate__(self) -> dict[str, Any]:
        # Never pickle settings into state, even from a process that configured them.
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}


def duration_seconds(text: str) -> float:
    """Seconds in a Go duration string, the form of Pulumi's custom timeouts."""
    spelled = text.strip()
    parts = _DURATION.findall(spelled)
    if not parts or "".join(number + unit for number, unit in parts) != spelled:
        raise ValueError(f"custom timeout {text!r} is not a duration such as 30s, 10m or 1h30m")
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def custom_timeouts(opts: Any) -> dict[str, float] | None:
    """A resource's customTimeouts option (create, delete) in seconds, as the dynamic host
    must carry them: it does not pass them to the provider."""
    custom = opts.custom_timeouts if opts is not None else None
    if custom is None:
        return None
    found = {
        name: duration_seconds(value)
        for name in ("create", "delete")
        if isinstance(value := getattr(custom, name, None), str) and value
    }
    return found or None


@functools.cache
def serialized_provider(provider: type[BraketProvider]) -> str:
    """The provider as the resource's ``__provider``: every instance of a class pickles to the
    same text (by reference, no state), so it is made once per class, not per resource."""
    return str(serialize_provider(provider()))


def urn_of(resource_type: str, name: str, parent: pulumi.Resource | None) -> pulumi.Input[str]:
    """The URN the engine gives the resource, carried for this host: text, without the
    Outputs pulumi.resource.create_urn makes, unless a parent's URN is part of it."""
    if parent is None:
        return f"urn:pulumi:{pulumi.get_stack()}::{pulumi.get_project()}::{resource_type}::{name}"
    return pulumi.resource.create_urn(name, resource_type, parent)


class BraketResource(dynamic.Resource):
    """A dynamic resource served by one of the BraketProvider classes."""

    def __init__(
        self,
        provider: type[BraketProvider],
        name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        carried: Collection[str] = (),
    ) -> None:
        """``carried``: the declaration's members this host is not told and the resource
        carries (its URN, its custom timeouts), added here for every resource alike."""
        if PROVIDER_KEY in props:
            raise TypeError(f"{name}: {PROVIDER_KEY} is the dynamic host's own property")
        if URN in carried:
            props[URN] = urn_of(self.resource_type(), name, opts.parent if opts else None)
        if TIMEOUTS in carried and (timeouts := custom_timeouts(opts)) is not None:
            props[TIMEOUTS] = timeouts
        # (A class is hashable; mypy reads type[...] against Hashable's instance __hash__.)
        props[PROVIDER_KEY] = serialized_provider(provider)  # type: ignore[arg-type]
        # pulumi.dynamic.Resource.__init__ would pickle the provider again (with dill, about
        # 1 ms a resource, and more with every resource: its pickler patches pile up).
        pulumi.CustomResource.__init__(self, self.resource_type(), name, props, opts)

    @classmethod
    def resource_type(cls) -> str:
        return f"pulumi-python:{cls._resource_type_name}"
