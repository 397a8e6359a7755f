"""Messages from a provider host to the Pulumi engine, shown against a resource."""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from typing import Any

from pulumi_braket.context import DEBUG, ERROR, INFO, WARNING, to_stderr
from pulumi_braket.wording import spelled

# The engine starts every provider plugin with its own gRPC address as the first argument.
# The native plugin is handed it by its main; the dynamic provider host
# (`pulumi-resource-pulumi-python [flags] <address>` runs `python -m pulumi.dynamic` with
# the same arguments) never connects to it, which is why pulumi.log calls made inside a
# dynamic provider go to stderr with no resource attached. Connecting here lets progress and
# warnings appear under the resource, as with any first-class provider.
_ADDRESS = re.compile(r"(?:127\.0\.0\.1|localhost|\[::1\]|[\w.-]+):\d{1,5}")


def engine_address(argv: list[str] | None = None) -> str | None:
    """The engine's address from a provider host's command line, if there is one."""
    args = sys.argv if argv is None else argv
    # Flags such as --logflow or -v=9 may come first; the address is the last plain argument.
    for arg in reversed(args[1:]):
        if _ADDRESS.fullmatch(arg):
            return arg
    return None


class EngineLog:
    """A progress sink that logs to the engine at ``address`` (found on the command line
    when None, the dynamic provider host's only way), else to stderr; the inputs a message
    names are spelled by ``spell`` (as written, unless the host spells them otherwise)."""

    def __init__(
        self, address: str | None = None, spell: Callable[[str], str] | None = None
    ) -> None:
        self._address = address
        self._spell = spell
        self._lock = threading.Lock()
        self._stub: Any = None
        self._connected = False

    def _engine(self) -> Any:
        if self._connected:
            return self._stub
        with self._lock:
            if not self._connected:
                address = self._address or engine_address()
                if address is not None:
                    import grpc
                    from pulumi.runtime.proto import engine_pb2_grpc

                    self._stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))
                self._connected = True
        return self._stub

    def __call__(
        self, urn: str | None, severity: str, message: str, *, ephemeral: bool = False
    ) -> None:
        """Outside an engine, or if the engine cannot be reached, the message goes to
        stderr: progress must never fail an operation."""
        message = spelled(message, self._spell) if self._spell else str(message)
        stub = self._engine()
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
        to_stderr(urn, severity, message, ephemeral=ephemeral)
