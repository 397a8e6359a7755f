"""Messages from the dynamic provider host to the Pulumi engine, shown against a resource."""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

# The engine starts every provider plugin with its own gRPC address as the first argument
# (`pulumi-resource-pulumi-python [flags] <address>` runs `python -m pulumi.dynamic` with
# the same arguments), so
# that providers can log. pulumi.dynamic's host never connects to it, which is why
# pulumi.log calls made inside a dynamic provider go to stderr with no resource attached.
# Connecting here lets progress and warnings appear under the resource, as with any
# first-class provider.
_ADDRESS = re.compile(r"(?:127\.0\.0\.1|localhost|\[::1\]|[\w.-]+):\d{1,5}")

DEBUG, INFO, WARNING, ERROR = "debug", "info", "warning", "error"

_lock = threading.Lock()
_stub: Any = None
_connected = False


def engine_address(argv: list[str] | None = None) -> str | None:
    """The engine's address from the provider host's command line, if there is one."""
    args = sys.argv if argv is None else argv
    # Flags such as --logflow or -v=9 may come first; the address is the last plain argument.
    for arg in reversed(args[1:]):
        if _ADDRESS.fullmatch(arg):
            return arg
    return None


def _engine() -> Any:
    global _stub, _connected
    if _connected:
        return _stub
    with _lock:
        if not _connected:
            address = engine_address()
            if address is not None:
                import grpc
                from pulumi.runtime.proto import engine_pb2_grpc

                _stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))
            _connected = True
    return _stub


def log(urn: str | None, severity: str, message: str, *, ephemeral: bool = False) -> None:
    """Show ``message`` against ``urn``; ephemeral messages are the resource's status line.

    Outside an engine (a provider method called directly), or if the engine cannot be
    reached, the message goes to stderr: progress must never fail an operation.
    """
    stub = _engine()
    if stub is not None and urn:
        from pulumi.runtime.proto import engine_pb2

        level = {
            DEBUG: engine_pb2.DEBUG,
            INFO: engine_pb2.INFO,
            WARNING: engine_pb2.WARNING,
            ERROR: engine_pb2.ERROR,
        }[severity]
        request = engine_pb2.LogRequest(
            severity=level, message=message, urn=urn, ephemeral=ephemeral
        )
        try:
            stub.Log(request, timeout=5)
            return
        except Exception:
            pass
    if not ephemeral:
        print(f"{severity}: {message}", file=sys.stderr, flush=True)
