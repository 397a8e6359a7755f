"""Waiting for a Braket run to end: plain functions every run resource and both hosts share."""

# A wait polls one get call with a growing pause, bounded by a deadline, and stops early when
# the host's cancel signal is set. What a wait means to the user (which resource, which
# command cancels it) is the caller's to say: these raise WaitTimedOut and WaitStopped.

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

TERMINAL = frozenset({"COMPLETED", "FAILED", "CANCELLED"})


class WaitTimedOut(Exception):
    """The run had not ended by the deadline; ``status`` is the last one seen."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class WaitStopped(Exception):
    """The host's cancel signal ended the wait; the run itself goes on."""


@dataclass(frozen=True)
class Pace:
    """How often to poll: ``first`` seconds, then each pause ``growth`` times the last, up
    to ``most``."""

    first: float
    growth: float
    most: float


# Creates show progress, so they poll early and often; deletes wait for a cancel, which a
# service finishes in seconds.
CREATE_PACE = Pace(0.2, 1.5, 10.0)
DELETE_PACE = Pace(0.1, 2.0, 5.0)


def until_ended(
    get: Callable[[], Mapping[str, Any]],
    *,
    timeout: float,
    cancel: threading.Event,
    pace: Pace = CREATE_PACE,
    seen: Callable[[Mapping[str, Any], float], None] | None = None,
) -> Mapping[str, Any]:
    """Poll ``get`` until its ``status`` is terminal, and return what it gave last.

    ``seen`` is given each answer and the seconds waited so far, to report progress.
    """
    started = time.monotonic()
    deadline = started + timeout
    pause = pace.first
    while True:
        found = get()
        status = str(found["status"])
        if seen is not None:
            seen(found, time.monotonic() - started)
        if status in TERMINAL:
            return found
        if time.monotonic() + pause > deadline:
            raise WaitTimedOut(status)
        if cancel.wait(pause):
            raise WaitStopped()
        pause = min(pause * pace.growth, pace.most)
