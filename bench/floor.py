"""Floor (a): the Braket calls the provider makes, from plain boto3 on a thread pool of 4."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

# The dynamic provider host serves the engine with 4 worker threads: the same limit here.
THREADS = 4
RELEASED = {"pulumi-braket:released": "true"}

# What the provider calls per Job in each phase (run.py checks these against the call log).
PHASE_CALLS: dict[str, tuple[str, ...]] = {
    "up": ("create_job", "get_job"),
    "preview": (),
    "refresh": ("get_job",),
    "destroy": ("get_job", "cancel_job", "get_job", "tag_resource"),
}


def _pooled(work: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(work, items))


def create(braket: Any, request: dict[str, Any]) -> dict[str, Any]:
    """One Job's up: create_job, then get_job; what get_job answered."""
    arn = braket.create_job(**request, clientToken=uuid.uuid4().hex)["jobArn"]
    job: dict[str, Any] = braket.get_job(jobArn=arn)
    return job


def release(braket: Any, arn: str) -> None:
    """One Job's destroy: read, cancel, read the end state, tag the job as released."""
    braket.get_job(jobArn=arn)
    braket.cancel_job(jobArn=arn)
    braket.get_job(jobArn=arn)
    braket.tag_resource(resourceArn=arn, tags=RELEASED)


def up(braket: Any, requests: list[dict[str, Any]]) -> list[str]:
    """create per request; the job ARNs."""
    return [str(job["jobArn"]) for job in _pooled(lambda r: create(braket, r), requests)]


def refresh(braket: Any, arns: list[str]) -> None:
    _pooled(lambda arn: braket.get_job(jobArn=arn), arns)


def destroy(braket: Any, arns: list[str]) -> None:
    _pooled(lambda arn: release(braket, arn), arns)
