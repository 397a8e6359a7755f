"""Floor (p): a native plugin that makes a Job's Braket calls and nothing else."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import floor
import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

# Its package, as programs/calls names it; run.py installs this module as its plugin.
PACKAGE = "benchcalls"
VERSION = "0.0.1"
# As many operations at once as pulumi-resource-braket runs (hosts/plugin.py THREADS), not
# imported from there: this floor must not pay for importing our plugin.
THREADS = 4096


def _outputs(inputs: dict[str, Any], job: dict[str, Any]) -> struct_pb2.Struct:
    """The state a resource keeps: its inputs, and what get_job answered as JSON."""
    answered = {key: value for key, value in job.items() if key != "ResponseMetadata"}
    found = struct_pb2.Struct()
    found.update({**inputs, **json.loads(json.dumps(answered, default=str))})
    return found


def _whole(value: Any) -> Any:
    """A wire value as botocore takes it: the wire has only floats, a size is an integer."""
    if isinstance(value, dict):
        return {key: _whole(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_whole(item) for item in value]
    return int(value) if isinstance(value, float) and value.is_integer() else value


class Calls(provider_pb2_grpc.ResourceProviderServicer):
    """Takes its inputs as they come, makes floor.py's calls for each operation, and keeps
    what get_job answered: a Job's state and calls, with no check, default or core."""

    def __init__(self) -> None:
        # Region, endpoint and the service's key pair come from the environment, as for (a).
        self.braket = boto3.client("braket")

    def GetPluginInfo(self, request: Any, context: Any) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=VERSION)

    def CheckConfig(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(self, request: Any, context: Any) -> provider_pb2.DiffResponse:
        return provider_pb2.DiffResponse()

    def Configure(self, request: Any, context: Any) -> provider_pb2.ConfigureResponse:
        return provider_pb2.ConfigureResponse(acceptSecrets=True)

    def Cancel(self, request: Any, context: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    def Check(self, request: Any, context: Any) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    def Diff(self, request: Any, context: Any) -> provider_pb2.DiffResponse:
        news, olds = request.news.fields, request.old_inputs.fields
        changed = sorted(key for key in {*news, *olds} if news.get(key) != olds.get(key))
        some = provider_pb2.DiffResponse.DIFF_SOME
        none = provider_pb2.DiffResponse.DIFF_NONE
        return provider_pb2.DiffResponse(changes=some if changed else none, diffs=changed)

    def Create(self, request: Any, context: Any) -> provider_pb2.CreateResponse:
        inputs = json_format.MessageToDict(request.properties)
        job = floor.create(self.braket, _whole(inputs))
        return provider_pb2.CreateResponse(id=job["jobArn"], properties=_outputs(inputs, job))

    def Read(self, request: Any, context: Any) -> provider_pb2.ReadResponse:
        inputs = json_format.MessageToDict(request.inputs)
        job = self.braket.get_job(jobArn=request.id)
        return provider_pb2.ReadResponse(
            id=request.id, properties=_outputs(inputs, job), inputs=request.inputs
        )

    def Delete(self, request: Any, context: Any) -> empty_pb2.Empty:
        floor.release(self.braket, request.id)
        return empty_pb2.Empty()


def main() -> None:
    """``pulumi-resource-benchcalls [flags] <engine address>``: serve on loopback."""
    server = grpc.server(ThreadPoolExecutor(THREADS))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(Calls(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
