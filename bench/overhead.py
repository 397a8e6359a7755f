"""Provider overhead per operation: JobProvider methods in-process, minus their own API calls.

Run by run.py as its own process, so the one-time costs are those of a fresh provider host:
`python bench/overhead.py ITERATIONS INPUTS_JSON` prints the result as JSON.
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import floor

from pulumi_braket.cores.job import JobCore
from pulumi_braket.job import JobProvider

OPERATIONS = ("check", "diff", "create", "read", "delete")


def _timed(work: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work(*args, **kwargs)
    return time.perf_counter() - started, result


def measure(
    braket: Any, inputs: dict[str, Any], iterations: int
) -> tuple[dict[str, float], dict[str, float], float]:
    """Median ms per operation; median ms of the same calls from plain boto3; and the extra ms
    of a process's first round (clients, pydantic models, cached lookups)."""
    # Settings from the AWS_* environment, as in a fresh provider host. check's notes go to
    # stderr outside an engine: kept out of the report.
    with contextlib.redirect_stderr(io.StringIO()):
        return _measure(JobProvider(), braket, inputs, iterations)


def _measure(
    provider: JobProvider, braket: Any, inputs: dict[str, Any], iterations: int
) -> tuple[dict[str, float], dict[str, float], float]:
    ours: dict[str, list[float]] = {op: [] for op in OPERATIONS}
    # check and diff make no call; the others make exactly these (run.py checks the call log).
    raw: dict[str, list[float]] = {
        "check": [0.0],
        "diff": [0.0],
        "create": [],
        "read": [],
        "delete": [],
    }
    first_round = 0.0
    # One extra round first: it pays for what a provider host builds once.
    for index in range(iterations + 1):
        name = f"overhead-{uuid.uuid4().hex[:12]}"
        news = {**inputs, "job_name": name, "client_token_scope": f"bench/overhead/{name}"}
        times: dict[str, float] = {}
        times["check"], checked = _timed(provider.check, {}, news)
        props = checked.inputs
        times["create"], created = _timed(provider.create, props)
        times["diff"], _ = _timed(provider.diff, created.id, created.outs, props)
        times["read"], _ = _timed(provider.read, created.id, created.outs)
        times["delete"], _ = _timed(provider.delete, created.id, created.outs)
        if index == 0:
            first_round = sum(times.values())
            continue
        for op, seconds in times.items():
            ours[op].append(seconds)
        # The same calls with the same request (built untimed), from plain boto3.
        request = JobCore().request(props)
        seconds, job = _timed(floor.create, braket, request)
        arn = str(job["jobArn"])
        raw["create"].append(seconds)
        raw["read"].append(_timed(braket.get_job, jobArn=arn)[0])
        raw["delete"].append(_timed(floor.release, braket, arn)[0])
    ours_ms = {op: 1000 * statistics.median(values) for op, values in ours.items()}
    raw_ms = {op: 1000 * statistics.median(values) for op, values in raw.items()}
    return ours_ms, raw_ms, 1000 * first_round - sum(ours_ms.values())


if __name__ == "__main__":
    # AWS_ENDPOINT_URL and fake credentials come from run.py's environment.
    ours_ms, raw_ms, once = measure(
        boto3.client("braket"), json.loads(sys.argv[2]), int(sys.argv[1])
    )
    print(json.dumps({"ours": ours_ms, "raw": raw_ms, "once": once}))
