"""The local service restarts on the same database in the middle of `pulumi up`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Service
from tests.reliability.support import FAST_FLAGS, Stack, census, job_spec, record, timed

pytestmark = [pytest.mark.engine, pytest.mark.slow]

JOBS = 12
RESTART_AFTER = 4


@pytest.mark.timeout(300)
def test_up_service_restarted_mid_apply_rerun_converges(
    tmp_path: Path, new_service: Callable[..., Service], stacks: Callable[..., Stack]
) -> None:
    # Each call takes 0.3 s, so the restart lands while creates are in flight.
    service = new_service(db=str(tmp_path / "braket.db"), latency_ms="300")
    stack = stacks(service)
    declared = {f"j{i:02d}": job_spec() for i in range(JOBS)}
    stack.jobs(declared)

    def created() -> int:
        return sum(
            1 for c in service.calls() if c["operation"] == "CreateJob" and c["status"] == 201
        )

    run = stack.spawn("up", "--yes", "--skip-preview", *FAST_FLAGS)
    run.wait_for(lambda: created() >= RESTART_AFTER, timeout=120)
    with timed() as down:
        service.restart()
    down_seconds = down()
    # The restart landed in the middle of the update: jobs were still to be created.
    assert created() < JOBS
    first = run.finish()
    if first != 0:
        # A failed create names its job and the cause on one line, with no traceback.
        failures = [line for line in run.output().splitlines() if "BraketError: create" in line]
        assert failures, run.output()
        assert "Traceback" not in run.output()
    stack.apply()

    ids = stack.ids()
    assert set(ids) == set(declared)
    found = census(service.client(), ids)
    assert found.duplicates == 0
    assert found.orphans == []
    assert sorted(found.active) == sorted(ids.values())
    assert len(found.jobs) == JOBS
    stack.cli("preview", "--expect-no-changes", *FAST_FLAGS)
    calls = service.calls()
    record(
        "restart",
        "mid-apply",
        {
            "jobs": JOBS,
            "restarted_after_creates": RESTART_AFTER,
            "restart_seconds": down_seconds,
            "first_up": "succeeded" if first == 0 else "failed",
            "jobs_after_rerun": len(found.jobs),
            "duplicates": found.duplicates,
            "create_calls": sum(1 for c in calls if c["operation"] == "CreateJob"),
        },
    )
