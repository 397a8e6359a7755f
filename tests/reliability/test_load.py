"""Load: one stack of 200 Jobs and 200 ResourceTags, up --parallel 32, refresh, destroy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from tests.conftest import Service
from tests.reliability.support import (
    FAST_FLAGS,
    TAGS_TYPE,
    TERMINAL,
    Stack,
    all_jobs,
    job_spec,
    operations,
    record,
    timed,
)

pytestmark = [pytest.mark.engine, pytest.mark.slow]

JOBS = 200
PARALLEL = "32"
# What concurrency bugs look like in the provider host, the engine or the service.
THREAD_TROUBLE = ("Traceback", "database is locked", "InternalServiceException", "panic:")


def _clean(output: str) -> None:
    for trouble in THREAD_TROUBLE:
        assert trouble not in output, output


def _calls(service: Service, before: Counter[str]) -> dict[str, int]:
    """Braket calls since ``before``, by operation (S3 and STS calls are left out)."""
    now = operations(service)
    return {
        op: now[op] - before[op] for op in sorted(now) if now[op] != before[op] and ":" not in op
    }


@pytest.mark.timeout(900)
def test_up_refresh_destroy_200_jobs_and_tags_exact_counts(
    new_service: Callable[..., Service], stacks: Callable[..., Stack]
) -> None:
    service = new_service(job_cancel_seconds="0.2")
    stack = stacks(service)
    names = [f"j{i:03d}" for i in range(JOBS)]
    stack.jobs({name: job_spec(f"load-{name}") for name in names})
    stack.configure(
        "engine-test:resourceTags",
        {f"t{name}": {"job": name, "tags": {"reviewed-by": name}} for name in names},
    )
    client = service.client()
    steps: dict[str, dict[str, object]] = {}

    seen = operations(service)
    with timed() as elapsed:
        done = stack.apply("--parallel", PARALLEL)
    _clean(done.stdout + done.stderr)
    calls = _calls(service, seen)
    jobs = all_jobs(client)
    ids = stack.ids()
    assert len(ids) == JOBS
    assert len(stack.ids(TAGS_TYPE)) == JOBS
    assert len(jobs) == JOBS
    assert {job["jobArn"] for job in jobs} == set(ids.values())
    assert all(job["status"] not in TERMINAL for job in jobs)
    by_arn = {arn: name for name, arn in ids.items()}
    assert all(job["tags"] == {"team": "qa", "reviewed-by": by_arn[job["jobArn"]]} for job in jobs)
    assert calls["CreateJob"] == JOBS
    assert calls["TagResource"] == JOBS
    steps["up"] = {"seconds": elapsed(), "jobs": len(jobs), "calls": calls}

    seen = operations(service)
    with timed() as elapsed:
        done = stack.cli("refresh", "--yes", "--skip-preview", "--parallel", PARALLEL, *FAST_FLAGS)
    _clean(done.stdout + done.stderr)
    calls = _calls(service, seen)
    # One read per resource, and nothing written.
    assert calls == {"GetJob": JOBS, "ListTagsForResource": JOBS}
    assert stack.ids() == ids
    assert len(all_jobs(client)) == JOBS
    steps["refresh"] = {"seconds": elapsed(), "jobs": JOBS, "calls": calls}

    seen = operations(service)
    with timed() as elapsed:
        done = stack.cli("destroy", "--yes", "--skip-preview", "--parallel", PARALLEL, *FAST_FLAGS)
    _clean(done.stdout + done.stderr)
    calls = _calls(service, seen)
    jobs = all_jobs(client)
    assert len(jobs) == JOBS
    assert Counter(job["status"] for job in jobs) == {"CANCELLED": JOBS}
    assert all(job["tags"] == {"team": "qa", "pulumi-braket:released": "true"} for job in jobs)
    assert calls["CancelJob"] == JOBS
    assert calls["UntagResource"] == JOBS
    assert stack.ids() == {} and stack.ids(TAGS_TYPE) == {}
    steps["destroy"] = {"seconds": elapsed(), "jobs": len(jobs), "calls": calls}

    errors = [call for call in service.calls() if call["status"] >= 500]
    assert errors == []
    record("load", "200", {"jobs": JOBS, "resource_tags": JOBS, "parallel": 32, "steps": steps})
