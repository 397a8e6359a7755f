"""The native provider plugin pulumi-resource-braket: the resources over gRPC, with a schema."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import sys
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2_grpc
from pulumi.runtime.proto import provider_pb2 as pb

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
from pulumi_braket.hosts.schema import SEARCHES, VERSION, schema, token
from pulumi_braket.hosts.values import Values, wire_path
from pulumi_braket.settings import NAMESPACE, ProviderSettings
from pulumi_braket.shapes import camel
from pulumi_braket.wording import spelled

T = TypeVar("T")
# gRPC limits as the SDK's provider servers set them (pulumi/runtime/_grpc_settings.py):
# messages up to 400 MB, and requests may queue half an hour while the loop is busy.
GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.server_max_unrequested_time_in_server", 30 * 60),
]

# Blocking boto3 calls run on threads, so that a job waiting for completion holds a thread,
# never the engine or the loop that answers its Cancel. Every operation the engine has in
# flight gets one, as a Go provider gives each request a goroutine: the engine bounds them
# by --parallel, and threads are started only as operations need them.
THREADS = 4096

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


def _one_line(error: BraketError) -> str:
    return " ".join(error.words.spelled(wire_path).split("\n")[:1])


class BraketPlugin(provider_pb2_grpc.ResourceProviderServicer):
    """The engine's ResourceProvider calls, each turned into one call of a resource core.

    The protobuf requests are read and answered directly (hosts.values): values, spelling
    and errors are all this host adds.
    """

    def __init__(self, engine: str | None = None) -> None:
        self.document = schema()
        self.text = json.dumps(self.document)
        self.values = Values(self.document)
        self.settings = ProviderSettings.from_config(None)
        self.pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="braket")
        # Progress goes to the engine that started the plugin; the engine's Cancel stops
        # waits; operations run from the plugin's own pool, so no thread limit to warn of.
        self.context = HostContext(progress=EngineLog(engine, wire_path), thread_limit=None)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.pool, function, *args)

    def _core(self, kind: str, request: Any, operation: str = "", timeout: float = 0) -> Operations:
        """The kind's core for one call: the engine's URN, and its timeout for operation.
        Made before any value is read, so an unknown type is refused in one line."""
        if kind not in CORES:
            raise BraketError(f"braket: unknown resource type {kind}")
        call = Call(urn=request.urn, timeouts={operation: timeout} if timeout else {})
        return CORES[kind](settings=self.settings, host=self.context, call=call)

    # -- provider -------------------------------------------------------------------------

    async def GetPluginInfo(self, request: Any, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=VERSION)

    async def GetSchema(self, request: Any, context: Any) -> pb.GetSchemaResponse:
        return pb.GetSchemaResponse(schema=self.text)

    async def CheckConfig(self, request: pb.CheckRequest, context: Any) -> pb.CheckResponse:
        # The provider's config is read, and refused where wrong, by Configure.
        return pb.CheckResponse(inputs=request.news)

    async def DiffConfig(self, request: pb.DiffRequest, context: Any) -> pb.DiffResponse:
        return pb.DiffResponse()  # DIFF_UNKNOWN: the engine compares the config itself

    async def Configure(self, request: pb.ConfigureRequest, context: Any) -> pb.ConfigureResponse:
        variables = dict(request.variables)
        for key, plain in self.values.arguments(request.args).items():
            # Typed args (from a provider resource) arrive as values; variables as text.
            if plain is not None and not is_unknown(plain):
                text = plain if isinstance(plain, str) else json.dumps(plain)
                variables.setdefault(f"{NAMESPACE}:{key}", text)
        try:
            self.settings = ProviderSettings.from_config(PluginConfig(variables))
        except ValueError as error:
            raise BraketError(str(error)) from None
        return pb.ConfigureResponse(acceptSecrets=True, supportsPreview=False)

    async def Cancel(self, request: Any, context: Any) -> empty_pb2.Empty:
        # The engine is shutting the operation down: waits stop at their next poll.
        self.context.cancel.set()
        return empty_pb2.Empty()

    # -- resources ------------------------------------------------------------------------

    async def Check(self, request: pb.CheckRequest, context: Any) -> pb.CheckResponse:
        kind = kind_of(request)
        core = self._core(kind, request)
        olds, _ = self.values.to_core(kind, request.olds)
        news, secrets = self.values.to_core(kind, request.news)
        if kind == token("Job") and isinstance(news.get(SOURCE), str):
            news[SOURCE] = source.local_path(news[SOURCE])  # relative to the project
        result = await self._run(core.check, olds, news)
        return pb.CheckResponse(
            inputs=self.values.to_wire(kind, result.inputs or {}, secrets),
            failures=[
                pb.CheckFailure(
                    property=wire_path(failure.property),
                    reason=spelled(failure.reason, wire_path),
                )
                for failure in result.failures or []
            ],
        )

    async def Diff(self, request: pb.DiffRequest, context: Any) -> pb.DiffResponse:
        kind = kind_of(request)
        core = self._core(kind, request)
        olds, _ = self.values.to_core(kind, request.olds)
        news, _ = self.values.to_core(kind, request.news)
        result = await self._run(core.diff, request.id, olds, news)
        replaces = [wire_path(path) for path in result.replaces or []]
        changed = sorted(
            camel(key)
            for key, value in news.items()
            if not key.startswith("__") and olds.get(key) != value
        )
        detailed = {
            key: pb.PropertyDiff(
                kind=pb.PropertyDiff.UPDATE_REPLACE if key in replaces else pb.PropertyDiff.UPDATE,
                inputDiff=True,
            )
            for key in (changed if result.changes else [])
        }
        return pb.DiffResponse(
            changes=pb.DiffResponse.DIFF_SOME if result.changes else pb.DiffResponse.DIFF_NONE,
            replaces=replaces,
            stables=[wire_path(path) for path in result.stables or []],
            deleteBeforeReplace=bool(result.delete_before_replace),
            diffs=sorted(detailed),
            detailedDiff=detailed,
            hasDetailedDiff=True,
        )

    async def Create(self, request: pb.CreateRequest, context: Any) -> pb.CreateResponse:
        kind = kind_of(request)
        core = self._core(kind, request, "create", request.timeout)
        props, secrets = self.values.to_core(kind, request.properties)
        result = await self._run(core.create, props)
        return pb.CreateResponse(
            id=str(result.id), properties=self.values.to_wire(kind, result.outs or {}, secrets)
        )

    async def Read(self, request: pb.ReadRequest, context: Any) -> pb.ReadResponse:
        kind = kind_of(request)
        core = self._core(kind, request)
        state, secrets = self.values.to_core(kind, request.properties)
        result = await self._run(core.read, request.id, state)
        if not result.id:
            return pb.ReadResponse(id="")  # gone: the engine drops it from state
        outs = self.values.to_wire(kind, result.outs or {}, secrets)
        if result.inputs is not None:
            # Imported, found by ARN alone: its inputs are rebuilt from the service.
            inputs = self.values.to_wire(kind, dict(result.inputs), secrets)
            return pb.ReadResponse(id=str(result.id), properties=outs, inputs=inputs)
        return pb.ReadResponse(id=str(result.id), properties=outs, inputs=request.inputs)

    async def Update(self, request: pb.UpdateRequest, context: Any) -> pb.UpdateResponse:
        kind = kind_of(request)
        core = self._core(kind, request, "update", request.timeout)
        olds, _ = self.values.to_core(kind, request.olds)
        news, secrets = self.values.to_core(kind, request.news)
        result = await self._run(core.update, request.id, olds, news)
        return pb.UpdateResponse(properties=self.values.to_wire(kind, result.outs or {}, secrets))

    async def Delete(self, request: pb.DeleteRequest, context: Any) -> empty_pb2.Empty:
        kind = kind_of(request)
        core = self._core(kind, request, "delete", request.timeout)
        props, _ = self.values.to_core(kind, request.properties)
        await self._run(core.delete, request.id, props)
        return empty_pb2.Empty()

    # -- functions ------------------------------------------------------------------------

    async def Invoke(self, request: pb.InvokeRequest, context: Any) -> pb.InvokeResponse:
        name = request.tok.rpartition(":")[2]
        args = self.values.arguments(request.args)
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
        # `return` is a Python keyword: the field is set by name.
        return pb.InvokeResponse(**{"return": self.values.plain_to_wire(spec, values)})


def kind_of(request: Any) -> str:
    """A request's resource type: the engine sends it; older engines only in the URN, whose
    type part is qualified by its parents' types (Parent$braket:index:Job)."""
    return str(request.type) or request.urn.split("::")[-2].rpartition("$")[2]


def _answered(name: str) -> None:
    """Wrap BraketPlugin.<name> so that a failure reaches the engine as a gRPC error.

    A BraketError is the user's one line (a refused input, a job that FAILED); anything
    else is a bug of ours, so its traceback goes with it, as the SDK's own servicer does.
    """
    method = getattr(BraketPlugin, name)

    @functools.wraps(method)
    async def answered(self: BraketPlugin, request: Any, context: grpc.aio.ServicerContext) -> Any:
        try:
            return await method(self, request, context)
        except BraketError as error:
            await context.abort(grpc.StatusCode.UNKNOWN, _one_line(error))
        except Exception as error:
            trace = "".join(traceback.format_exception(error))
            await context.abort(grpc.StatusCode.UNKNOWN, f"{error}\n{trace}")

    setattr(BraketPlugin, name, answered)


for _name in ("Configure", "Check", "Diff", "Create", "Read", "Update", "Delete", "Invoke"):
    _answered(_name)


async def _serve(engine: str) -> None:
    """Serve the plugin as the SDK's server.main does."""
    grpc_server = grpc.aio.server(options=GRPC_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(BraketPlugin(engine), grpc_server)
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
