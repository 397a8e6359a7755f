"""What cores are told: by their host (cancel, progress, limits) and each call (URN, timeouts)."""

# The cores never reach for a host's globals: each host builds one HostContext and hands it
# to the cores it creates. The dynamic provider host has four worker threads and no cancel
# call; the native plugin has its own pool and the engine's Cancel.

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

DEBUG, INFO, WARNING, ERROR = "debug", "info", "warning", "error"


class ProgressSink(Protocol):
    """Shows ``message`` against the resource ``urn``; an ephemeral one is its status line."""

    def __call__(
        self, urn: str | None, severity: str, message: str, *, ephemeral: bool = False
    ) -> None: ...


def to_stderr(urn: str | None, severity: str, message: str, *, ephemeral: bool = False) -> None:
    """The sink outside any engine (a core called directly): lasting messages on stderr."""
    if not ephemeral:
        print(f"{severity}: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class HostContext:
    """One host's facts, as the cores see them."""

    progress: ProgressSink = to_stderr
    # Set when the engine cancels the operation: waits stop at their next poll.
    cancel: threading.Event = field(default_factory=threading.Event)
    # How many operations the host runs at once, for the warning when waits fill it; None
    # where waits do not hold up other resources.
    thread_limit: int | None = None
    # The host as that warning names it.
    name: str = "the provider host"


@dataclass(frozen=True)
class Call:
    """What one operation is told besides the resource's values: which resource it is for,
    and how long it may take (Pulumi's custom timeouts, in seconds, by operation).

    The native plugin reads both from the engine's request. The dynamic provider host is
    told neither, so its resources carry them as properties and its adapter reads them back.
    """

    urn: str | None = None
    timeouts: Mapping[str, float] = field(default_factory=dict)

    @property
    def scope(self) -> str:
        """The client token's scope, project/stack/name, from the URN; "" without one."""
        return scope_of_urn(self.urn)

    def timeout(self, operation: str) -> float | None:
        """The custom timeout of ``operation`` (create, update, delete), None if unset."""
        found = self.timeouts.get(operation)
        return float(found) if found else None


def scope_of_urn(urn: Any) -> str:
    """project/stack/name from a URN (urn:pulumi:STACK::PROJECT::TYPE::NAME), or ""."""
    if not isinstance(urn, str) or not urn.startswith("urn:pulumi:"):
        return ""
    parts = urn[len("urn:pulumi:") :].split("::", 3)
    return f"{parts[1]}/{parts[0]}/{parts[3]}" if len(parts) == 4 else ""
