"""What a host gives the resource cores it runs: a cancel signal, a progress sink, its limits."""

# The cores never reach for a host's globals: each host builds one HostContext and hands it
# to the cores it creates. The dynamic provider host has four worker threads and no cancel
# call; the native plugin has its own pool and the engine's Cancel.

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from typing import Protocol

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
