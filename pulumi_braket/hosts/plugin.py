"""The native provider plugin pulumi-resource-braket: the resources over gRPC, with a schema."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import grpc
from pulumi.output import Unknown
from pulumi.provider.experimental import provider as rpc
from pulumi.provider.experimental import server
from pulumi.provider.experimental.property_value import (
    Computed,
    PropertyValue,
    ResourceReference,
)
from pulumi.runtime.proto import provider_pb2_grpc

from pulumi_braket import devices, searches, source
from pulumi_braket.context import Call, HostContext
from pulumi_braket.core import Operations, is_unknown
from pulumi_braket.cores.job import JobCore
from pulumi_braket.cores.quantum_task import QuantumTaskCore
from pulumi_braket.cores.resource_tags import ResourceTagsCore
from pulumi_braket.cores.spending_limit import SpendingLimitCore
from pulumi_braket.defaults import SOURCE
from pulumi_braket.errors import BraketError
from pulumi_braket.hosts.progress import EngineLog
from pulumi_braket.hosts.schema import MAP_INPUTS, SEARCHES, VERSION, schema, token
from pulumi_braket.settings import NAMESPACE, ProviderSettings
from pulumi_braket.shapes import camel, snake
from pulumi_braket.wording import spelled

T = TypeVar("T")
# The core's marker for a value a preview does not know yet (pulumi.dynamic's own).
UNKNOWN: Any = Unknown()  # type: ignore[no-untyped-call]
# The SDK's gRPC limits (message sizes), as its own server.main uses them.
GRPC_OPTIONS = server._GRPC_CHANNEL_OPTIONS  # type: ignore[attr-defined]

# Blocking boto3 calls run here, so that a job waiting for completion holds a thread, not
# the engine: at least the engine's default --parallel of 32 run at once, whatever waits.
THREADS = int(os.environ.get("PULUMI_BRAKET_PLUGIN_THREADS") or max(32, 8 * (os.cpu_count() or 1)))

# The core of each resource. The URN and timeouts come in the engine's requests here, so
# they reach the cores as the call (context.Call), never among the inputs.
CORES: dict[str, Callable[..., Operations]] = {
    token("Job"): JobCore,
    token("QuantumTask"): QuantumTaskCore,
    token("SpendingLimit"): SpendingLimitCore,
    token("ResourceTags"): ResourceTagsCore,
}


class PluginConfig:
    """The plugin's own config (``braket:region`` ...) as a settings source.

    A provider plugin is given its package's config alone, so ``aws:*`` keys are not seen
    here; the AWS environment still is (botocore reads it).
    """

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = dict(variables)

    def get(self, key: str) -> Any:
        namespace, _, _name = key.partition(":")
        return self.variables.get(key) if namespace == NAMESPACE else None


class Codec:
    """Values between the engine (camelCase, PropertyValue) and the core (snake_case, plain).

    Keys of the model's structures change spelling; keys of maps (tags, hyperparameters,
    counts by bitstring) and of Any values never do: the schema says which is which.
    """

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.types: Mapping[str, Any] = document["types"]
        self.resources = {
            name: {"properties": {**spec["inputProperties"], **spec["properties"]}}
            for name, spec in document["resources"].items()
        }

    def _properties(self, spec: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
        """The properties of an object spec; None for maps, Any and unknown specs."""
        if spec is None:
            return None
        if "properties" in spec:
            return spec["properties"]  # type: ignore[no-any-return]
        ref = str(spec.get("$ref", ""))
        if ref.startswith("#/types/"):
            return self.types[ref.removeprefix("#/types/")]["properties"]  # type: ignore[no-any-return]
        return None

    def _inner(self, spec: Mapping[str, Any] | None, key: str) -> Mapping[str, Any] | None:
        return spec.get(key) if spec is not None else None

    def core(self, spec: Mapping[str, Any] | None, value: PropertyValue) -> Any:
        inner = value.value
        if isinstance(inner, Computed):
            return UNKNOWN
        if isinstance(inner, ResourceReference):
            # A resource passed as an input stands for its ID (the engine's own convention).
            found = inner.resource_id.value if inner.resource_id is not None else None
            return found if isinstance(found, str) else UNKNOWN
        if isinstance(inner, Mapping):
            props = self._properties(spec)
            if props is None:
                values = self._inner(spec, "additionalProperties")
                return {key: self.core(values, item) for key, item in inner.items()}
            return {snake(key): self.core(props.get(key), item) for key, item in inner.items()}
        if isinstance(inner, tuple):
            items = self._inner(spec, "items")
            return [self.core(items, item) for item in inner]
        if isinstance(inner, float) and not isinstance(inner, bool):
            number: int | float = int(inner) if inner.is_integer() else inner
            if spec is not None and spec.get("type") == "string":
                # A number where the model wants text (a hyperparameter: shots: 100), as
                # YAML writes it: sent as its text, which is what Braket stores.
                return str(number)
            return number  # the engine sends every number as a double
        return inner

    def wire(self, spec: Mapping[str, Any] | None, value: Any) -> PropertyValue:
        if is_unknown(value):
            return PropertyValue.computed()
        if value is None or isinstance(value, bool | str):
            return PropertyValue(value)
        if isinstance(value, int | float):
            return PropertyValue(float(value))
        if isinstance(value, Decimal):
            return PropertyValue(str(value))
        if isinstance(value, datetime | date):
            return PropertyValue(value.isoformat())
        if isinstance(value, Mapping):
            props = self._properties(spec)
            if props is None:
                values = self._inner(spec, "additionalProperties")
                return PropertyValue({str(k): self.wire(values, v) for k, v in value.items()})
            return PropertyValue(
                {camel(str(k)): self.wire(props.get(camel(str(k))), v) for k, v in value.items()}
            )
        if isinstance(value, Sequence):
            items = self._inner(spec, "items")
            return PropertyValue([self.wire(items, item) for item in value])
        return PropertyValue(str(value))

    def to_core(
        self, kind: str, props: Mapping[str, PropertyValue]
    ) -> tuple[dict[str, Any], set[str]]:
        """A resource's properties for the core, and the keys that held a secret."""
        spec = self.resources[kind]
        plain = self.core(spec, PropertyValue(dict(props)))
        secrets = {snake(key) for key, value in props.items() if value.contains_secret()}
        return plain, secrets

    def to_wire(
        self, kind: str, values: Mapping[str, Any], secrets: set[str]
    ) -> dict[str, PropertyValue]:
        """The core's values for the engine; what came in secret goes out secret."""
        spec = self.resources[kind]["properties"]
        out: dict[str, PropertyValue] = {}
        for key, value in values.items():
            if key.startswith("__"):
                continue
            wire = self.wire(spec.get(camel(key)), value)
            out[camel(key)] = wire.with_secret(True) if key in secrets else wire
        return out


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


def _one_line(error: BaseException) -> str:
    if not isinstance(error, BraketError):
        return str(error)
    return " ".join(error.words.spelled(wire_path).split("\n")[:1])


class BraketPlugin(rpc.Provider):
    """The Provider interface over the same cores the dynamic providers run."""

    def __init__(self, engine: str | None = None) -> None:
        self.document = schema()
        self.codec = Codec(self.document)
        self.settings = ProviderSettings.from_config(None)
        self.pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="braket")
        # Progress goes to the engine that started the plugin; the engine's Cancel stops
        # waits; operations run from the plugin's own pool, so no thread limit to warn of.
        self.context = HostContext(progress=EngineLog(engine, wire_path), thread_limit=None)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.pool, function, *args)

    def _core(self, kind: str, urn: str, operation: str = "", timeout: float = 0) -> Operations:
        """The kind's core for one call: the engine's URN, and its timeout for operation."""
        if kind not in CORES:
            raise BraketError(f"braket: unknown resource type {kind}")
        call = Call(urn=urn, timeouts={operation: timeout} if timeout else {})
        return CORES[kind](settings=self.settings, host=self.context, call=call)

    # -- provider -------------------------------------------------------------------------

    async def get_schema(self, request: rpc.GetSchemaRequest) -> rpc.GetSchemaResponse:
        return rpc.GetSchemaResponse(schema=json.dumps(self.document))

    async def configure(self, request: rpc.ConfigureRequest) -> rpc.ConfigureResponse:
        variables = dict(request.variables)
        for key, value in request.args.items():
            # Typed args (from a provider resource) arrive as values; variables as text.
            plain = self.codec.core(None, value)
            if plain is not None and not is_unknown(plain):
                text = plain if isinstance(plain, str) else json.dumps(plain)
                variables.setdefault(f"{NAMESPACE}:{key}", text)
        try:
            self.settings = ProviderSettings.from_config(PluginConfig(variables))
        except ValueError as error:
            raise BraketError(str(error)) from None
        return rpc.ConfigureResponse(accept_secrets=True, supports_preview=False)

    async def cancel(self) -> None:
        # The engine is shutting the operation down: waits stop at their next poll.
        self.context.cancel.set()

    # -- resources ------------------------------------------------------------------------

    async def check(self, request: rpc.CheckRequest) -> rpc.CheckResponse:
        kind = request.type
        core = self._core(kind, request.urn)
        olds, _ = self.codec.to_core(kind, request.old_inputs)
        news, secrets = self.codec.to_core(kind, request.new_inputs)
        if kind == token("Job") and isinstance(news.get(SOURCE), str):
            news[SOURCE] = source.local_path(news[SOURCE])  # relative to the project
        result = await self._run(core.check, olds, news)
        return rpc.CheckResponse(
            inputs=self.codec.to_wire(kind, result.inputs or {}, secrets),
            failures=[
                rpc.CheckFailure(wire_path(failure.property), spelled(failure.reason, wire_path))
                for failure in result.failures or []
            ],
        )

    async def diff(self, request: rpc.DiffRequest) -> rpc.DiffResponse:
        kind = request.type
        olds, _ = self.codec.to_core(kind, request.old_state)
        news, _ = self.codec.to_core(kind, request.new_inputs)
        core = self._core(kind, request.urn)
        result = await self._run(core.diff, request.resource_id, olds, news)
        replaces = [wire_path(path) for path in result.replaces or []]
        changed = sorted(
            camel(key)
            for key in set(olds) | set(news)
            if not key.startswith("__") and key in news and olds.get(key) != news.get(key)
        )
        detailed = {
            key: rpc.PropertyDiff(
                rpc.PropertyDiffKind.UPDATE_REPLACE
                if key in replaces
                else rpc.PropertyDiffKind.UPDATE,
                input_diff=True,
            )
            for key in (changed if result.changes else [])
        }
        return rpc.DiffResponse(
            changes=bool(result.changes),
            replaces=replaces,
            stables=[wire_path(path) for path in result.stables or []],
            delete_before_replace=bool(result.delete_before_replace),
            diffs=sorted(detailed),
            detailed_diff=detailed,
        )

    async def create(self, request: rpc.CreateRequest) -> rpc.CreateResponse:
        kind = request.type
        props, secrets = self.codec.to_core(kind, request.properties)
        core = self._core(kind, request.urn, "create", request.timeout)
        result = await self._run(core.create, props)
        return rpc.CreateResponse(
            resource_id=str(result.id),
            properties=self.codec.to_wire(kind, result.outs or {}, secrets),
        )

    async def read(self, request: rpc.ReadRequest) -> rpc.ReadResponse:
        kind = request.type
        state, secrets = self.codec.to_core(kind, request.properties)
        core = self._core(kind, request.urn)
        result = await self._run(core.read, request.resource_id, state)
        if not result.id:
            return rpc.ReadResponse(resource_id="")  # gone: the engine drops it from state
        outs = self.codec.to_wire(kind, result.outs or {}, secrets)
        if result.inputs is not None:
            # Imported, found by ARN alone: its inputs are rebuilt from the service.
            inputs = self.codec.to_wire(kind, dict(result.inputs), secrets)
            return rpc.ReadResponse(str(result.id), outs, inputs)
        return rpc.ReadResponse(str(result.id), outs, dict(request.inputs))

    async def update(self, request: rpc.UpdateRequest) -> rpc.UpdateResponse:
        kind = request.type
        olds, _ = self.codec.to_core(kind, request.olds)
        news, secrets = self.codec.to_core(kind, request.news)
        core = self._core(kind, request.urn, "update", request.timeout)
        result = await self._run(core.update, request.resource_id, olds, news)
        return rpc.UpdateResponse(self.codec.to_wire(kind, result.outs or {}, secrets))

    async def delete(self, request: rpc.DeleteRequest) -> None:
        kind = request.type
        props, _ = self.codec.to_core(kind, request.properties)
        core = self._core(kind, request.urn, "delete", request.timeout)
        await self._run(core.delete, request.resource_id, props)

    # -- functions ------------------------------------------------------------------------

    async def invoke(self, request: rpc.InvokeRequest) -> rpc.InvokeResponse:
        name = request.tok.rpartition(":")[2]
        args = {key: self.codec.core(None, value) for key, value in request.args.items()}
        if name == "getDevice":
            found = await self._run(
                devices.device_lookup,
                self.settings,
                str(args.get("arnOrName") or ""),
                bool(args.get("requireOnline")),
            )
            values = {camel(k): v for k, v in found.model_dump().items()}
        elif name in SEARCHES:
            operation, key = SEARCHES[name]
            items = await self._run(
                searches.run_search,
                operation,
                args.get("filters"),
                args.get("maxItems"),
                self.settings,
            )
            values = {key: [item.model_dump(by_alias=True, mode="json") for item in items]}
        else:
            raise BraketError(f"braket: unknown function {request.tok}")
        spec = self.document["functions"][request.tok]["outputs"]
        wire = {k: self.codec.wire(spec["properties"].get(k), v) for k, v in values.items()}
        return rpc.InvokeResponse(return_value=wire)


class _Servicer(server.ProviderServicer):
    """The SDK's servicer, but a BraketError reaches the user as its one line.

    The SDK appends a Python traceback to every error it relays; for an expected failure
    (a refused input, a job that FAILED) that is noise around the message the user needs.
    """


def _one_line_errors(name: str) -> None:
    inherited = getattr(server.ProviderServicer, name)

    async def method(self: Any, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await inherited(self, request, context)
        except Exception as error:
            # The SDK re-raises from inside its except block: the original is the context.
            cause = error.__context__ if not isinstance(error, BraketError) else error
            if isinstance(cause, BraketError):
                await context.abort(grpc.StatusCode.UNKNOWN, _one_line(cause))
            raise

    setattr(_Servicer, name, method)


for _name in ("Check", "Diff", "Create", "Read", "Update", "Delete", "Invoke", "Configure"):
    _one_line_errors(_name)


async def _serve(engine: str) -> None:
    """Serve the plugin as the SDK's server.main does, with our servicer."""
    grpc_server = grpc.aio.server(options=GRPC_OPTIONS)
    servicer = _Servicer([engine], VERSION, BraketPlugin(engine), engine_address=engine)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, grpc_server)
    # Loopback only: the engine is on this machine.
    port = grpc_server.add_insecure_port(address="127.0.0.1:0")
    await grpc_server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.buffer.flush()
    await grpc_server.wait_for_termination()


def main() -> None:
    """``pulumi-resource-braket [flags] <engine address>``: serve the provider to the engine."""
    args = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if not args:
        print(
            "usage: pulumi-resource-braket <engine-address>\n"
            "The pulumi-braket native provider plugin; the Pulumi CLI starts it.",
            file=sys.stderr,
        )
        sys.exit(0 if "--help" in sys.argv or "-h" in sys.argv else 2)
    with contextlib.suppress(KeyboardInterrupt):  # the engine stopping it
        asyncio.run(_serve(args[-1]))
