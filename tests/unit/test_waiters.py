"""Waiting for a run to end: the plain functions both hosts and every run resource use."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pytest

from pulumi_braket.waiters import Pace, WaitStopped, WaitTimedOut, until_ended

FAST = Pace(0.001, 1.0, 0.001)


def answers(*statuses: str) -> Any:
    """A get that answers each status in turn, then the last one forever."""
    remaining = list(statuses)

    def get() -> Mapping[str, Any]:
        return {"status": remaining.pop(0) if len(remaining) > 1 else remaining[0]}

    return get


def test_until_ended_returns_the_terminal_answer_and_reports_each() -> None:
    seen: list[str] = []
    found = until_ended(
        answers("QUEUED", "RUNNING", "COMPLETED"),
        timeout=5,
        cancel=threading.Event(),
        pace=FAST,
        seen=lambda answer, _elapsed: seen.append(answer["status"]),
    )
    assert found["status"] == "COMPLETED"
    assert seen == ["QUEUED", "RUNNING", "COMPLETED"]


def test_until_ended_past_the_deadline_names_the_last_status() -> None:
    with pytest.raises(WaitTimedOut) as late:
        until_ended(answers("RUNNING"), timeout=0.01, cancel=threading.Event(), pace=FAST)
    assert late.value.status == "RUNNING"


def test_until_ended_stops_when_the_host_cancels() -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(WaitStopped):
        until_ended(answers("QUEUED"), timeout=60, cancel=cancel, pace=Pace(0.01, 1.0, 0.01))


def test_until_ended_failed_and_cancelled_end_the_wait_too() -> None:
    for status in ("FAILED", "CANCELLED"):
        found = until_ended(answers(status), timeout=1, cancel=threading.Event(), pace=FAST)
        assert found["status"] == status
