"""A throttling storm: 30% of calls throttled is absorbed; 100% fails fast and says why."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.conftest import Service
from tests.reliability.support import Stack, census, job_spec, record, timed

pytestmark = [pytest.mark.engine, pytest.mark.slow]

JOBS = 50


@pytest.mark.timeout(300)
def test_up_thirty_percent_throttled_creates_each_job_once(
    new_service: Callable[..., Service], stacks: Callable[..., Stack]
) -> None:
    service = new_service(throttle_rate="0.3", seed="8")
    stack = stacks(service)
    declared = {f"j{i:02d}": job_spec() for i in range(JOBS)}
    stack.jobs(declared)
    with timed() as elapsed:
        stack.apply()
    seconds = elapsed()
    calls = [call for call in service.calls() if ":" not in call["operation"]]
    service.configure(throttle_rate=0)
    throttled = [call for call in calls if call["code"] == "ThrottlingException"]
    created = [call for call in calls if call["operation"] == "CreateJob" and call["status"] == 201]
    ids = stack.ids()
    found = census(service.client(), ids)
    assert len(ids) == JOBS
    assert len(found.jobs) == JOBS
    assert found.duplicates == 0
    assert sorted(found.active) == sorted(ids.values())
    # A throttled call changes nothing, so each job was created by exactly one call.
    assert len(created) == JOBS
    assert len(throttled) >= 0.2 * len(calls)
    assert {call["code"] for call in calls if call["status"] >= 300} == {"ThrottlingException"}
    record(
        "throttling",
        "storm",
        {
            "throttle_rate": 0.3,
            "jobs": JOBS,
            "calls": len(calls),
            "throttled_absorbed": len(throttled),
            "duplicates": found.duplicates,
            "seconds": seconds,
        },
    )


@pytest.mark.timeout(120)
def test_up_fully_throttled_fails_fast_naming_resource(
    new_service: Callable[..., Service], stacks: Callable[..., Stack]
) -> None:
    service = new_service(throttle_rate="1")
    stack = stacks(service)
    spec = job_spec()
    stack.jobs({"j0": spec})
    attempts = 3
    stack.configure("braket:maxAttempts", str(attempts))
    with timed() as elapsed:
        done = stack.apply(check=False)
    seconds = elapsed()
    assert done.returncode != 0
    # botocore's standard mode sleeps at most 1 + 2 s between three attempts.
    assert seconds < 30
    # One line names the job and the cause, whichever call gave up first: CreateJob, or a
    # device lookup during check.
    expected = re.compile(
        rf"(create Braket Job \({re.escape(spec['job_name'])}\)|resource 'j0'): .*"
        r"ThrottlingException: Rate exceeded for \w+ \(injected throttle\); still throttled "
        r"after every retry; raise braket:maxAttempts or lower --parallel\s*$"
    )
    lines = [line for line in done.stdout.splitlines() if expected.search(line)]
    assert lines, done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    calls = [call for call in service.calls() if ":" not in call["operation"]]
    assert calls and len(calls) % attempts == 0
    assert {call["code"] for call in calls} == {"ThrottlingException"}
    service.configure(throttle_rate=0)
    assert census(service.client(), {}).jobs == []
    record(
        "throttling",
        "all",
        {"throttle_rate": 1.0, "max_attempts": attempts, "calls": len(calls), "seconds": seconds},
    )
