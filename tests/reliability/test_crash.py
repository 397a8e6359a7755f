"""SIGKILL `pulumi up` (or its provider host) at exact points of a create, then recover."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import Service
from tests.reliability.support import (
    AFTER,
    BEFORE,
    FAST_FLAGS,
    HOSTS,
    Proxy,
    Stack,
    census,
    job_spec,
    record,
)

pytestmark = [pytest.mark.engine, pytest.mark.slow]


# Stands for the host's provider process (the dynamic host, or the plugin).
HOST = "<provider host>"


@dataclass(frozen=True)
class KillPoint:
    """Where `pulumi up` dies, and what dies."""

    id: str
    # all: the CLI and every process it started (a crash); cli: pulumi alone; host: the
    # dynamic provider host alone (pulumi reports the error and exits by itself).
    target: str
    what: str
    # Kill when this call is held by the proxy: (operation, n-th since the up began, phase).
    gate: tuple[str, int, str] | None = None
    # Or when a process whose command line holds this text has started.
    process: str | None = None
    jobs: int = 2
    tags: bool = False
    # First a clean up, then the killed up replaces job j0 (an input changed).
    replace: bool = False
    # Jobs declared with wait_for_completion: create returns once the job has ended.
    wait: bool = False


POINTS = [
    KillPoint(
        "program-start", "all", "program started, no provider yet", process="language-python-exec"
    ),
    KillPoint("host-start", "all", "provider host started, no call yet", process=HOST),
    KillPoint(
        "create-unsent", "all", "CreateJob sent, not yet at the service", ("CreateJob", 1, BEFORE)
    ),
    KillPoint(
        "create-answered", "all", "job created, answer not yet back", ("CreateJob", 1, AFTER)
    ),
    KillPoint(
        "create-answered-host", "host", "job created, answer not yet back", ("CreateJob", 1, AFTER)
    ),
    KillPoint(
        "create-answered-cli", "cli", "job created, answer not yet back", ("CreateJob", 1, AFTER)
    ),
    KillPoint(
        "get-answered", "all", "job created and read, create not yet returned", ("GetJob", 1, AFTER)
    ),
    KillPoint(
        "third-of-four",
        "all",
        "4 jobs: third CreateJob held, others in flight",
        ("CreateJob", 3, BEFORE),
        jobs=4,
    ),
    KillPoint(
        "create-waiting",
        "all",
        "wait_for_completion: waiting for the job to end",
        ("GetJob", 3, BEFORE),
        wait=True,
    ),
    KillPoint(
        "create-waiting-host",
        "host",
        "wait_for_completion: waiting for the job to end",
        ("GetJob", 3, BEFORE),
        wait=True,
    ),
    KillPoint(
        "tags-answered",
        "all",
        "ResourceTags applied, answer not yet back",
        ("TagResource", 1, AFTER),
        tags=True,
    ),
    KillPoint(
        "replace-cancel",
        "all",
        "replace: old job cancelled, answer not yet back",
        ("CancelJob", 1, AFTER),
        replace=True,
    ),
    KillPoint(
        "replace-waiting",
        "all",
        "replace: waiting for the old job to end",
        ("GetJob", 2, BEFORE),
        replace=True,
    ),
    KillPoint(
        "replace-create",
        "all",
        "replace: new job created, answer not yet back",
        ("CreateJob", 1, AFTER),
        replace=True,
    ),
]


def _declare(stack: Stack, point: KillPoint) -> dict[str, dict[str, Any]]:
    # A waited-for job ends three seconds after it starts, so the recovering up returns.
    extra: dict[str, Any] = (
        {"wait_for_completion": True, "hyper_parameters": {"braket.local.run_seconds": "3"}}
        if point.wait
        else {}
    )
    declared = {f"j{i}": job_spec(**extra) for i in range(point.jobs)}
    stack.jobs(declared)
    if point.tags:
        review = {"review": {"job": "j0", "tags": {"reviewed-by": "ci"}}}
        stack.configure("engine-test:resourceTags", review)
    if point.replace:
        stack.apply()
        spec = declared["j0"]
        declared["j0"] = {**spec, "hyper_parameters": {**spec["hyper_parameters"], "lr": "0.2"}}
        stack.jobs(declared)
    return declared


# PULUMI_SKIP_CHECKPOINTS=true: the engine writes the state once, at the end, instead of after
# every step (three times faster for 500 Jobs). A kill then loses the whole update's record;
# what must still hold is that the next up finds each job by its client token.
CHECKPOINTS = {"checkpoints": {}, "no-checkpoints": {"PULUMI_SKIP_CHECKPOINTS": "true"}}


@pytest.mark.timeout(240)
@pytest.mark.parametrize("host", list(HOSTS))
@pytest.mark.parametrize("checkpoints", list(CHECKPOINTS))
@pytest.mark.parametrize("point", POINTS, ids=[point.id for point in POINTS])
def test_up_killed_then_recovered_one_job_per_resource(
    point: KillPoint,
    checkpoints: str,
    host: str,
    new_service: Callable[..., Service],
    proxies: Callable[[Service], Proxy],
    stacks: Callable[..., Stack],
) -> None:
    service = new_service()
    proxy = proxies(service)
    stack = stacks(service, proxy.endpoint, host)
    # For every command, as a team that skips checkpoints would set it.
    stack.env.update(CHECKPOINTS[checkpoints])
    declared = _declare(stack, point)
    client = service.client()

    gate = proxy.arm(*point.gate) if point.gate else None
    before_kill = len(proxy.log)
    run = stack.spawn("up", "--yes", "--skip-preview", *FAST_FLAGS)
    if gate is not None:
        run.wait_for(gate.reached.is_set)
    else:
        assert point.process is not None
        needle = stack.host_process if point.process == HOST else point.process
        run.wait_for(lambda: run.find(needle))
    calls_at_kill = len(proxy.log) - before_kill
    killed = run.kill(point.target)
    if gate is not None:
        # The CLI alone died: its provider host still gets the answer and carries on.
        gate.release(deliver=point.target == "cli")
    proxy.disarm()
    if point.target == "host":
        # pulumi outlives its provider host: it reports the failure and ends the update.
        assert run.finish() != 0
        assert "error: error reading from server: EOF" in run.output()
    else:
        proxy.wait_quiet()
        run.reap()
    if point.process is not None:
        assert calls_at_kill == 0, f"{point.id}: a Braket call was made before the kill"
    left_by_kill = len(census(client, {}).jobs)

    steps = stack.recover()

    ids = stack.ids()
    assert set(ids) == set(declared)
    assert not stack.deployment().get("pending_operations")
    found = census(client, ids)
    assert found.duplicates == 0
    assert found.orphans == []
    status = {job["jobArn"]: job["status"] for job in found.jobs}
    # Each resource's job: still running, or (waited for) run to the end.
    wanted = {"COMPLETED"} if point.wait else {"QUEUED", "RUNNING"}
    assert {status.get(arn) for arn in ids.values()} <= wanted
    for name, spec in declared.items():
        same_name = [job for job in found.jobs if job["jobName"] == spec["job_name"]]
        assert len(same_name) == (2 if point.replace and name == "j0" else 1), name
    if point.tags:
        assert client.list_tags_for_resource(resourceArn=ids["j0"])["tags"]["reviewed-by"] == "ci"
    # Converged: the program and the service agree, nothing left to do.
    stack.cli("preview", "--expect-no-changes", *FAST_FLAGS)
    record(
        "crash",
        " ".join(
            [point.id]
            + ([f"({checkpoints})"] if checkpoints != "checkpoints" else [])
            + ([f"({host})"] if host != "dynamic" else [])
        ),
        {
            "order": POINTS.index(point),
            "what": point.what
            + ("" if checkpoints == "checkpoints" else ", checkpoints skipped")
            + ("" if host == "dynamic" else ", on the plugin"),
            "target": point.target,
            "killed": killed,
            "jobs_declared": len(declared),
            "jobs_after_kill": left_by_kill,
            "jobs_after_recovery": len(found.jobs),
            "duplicates": found.duplicates,
            "running_orphans": len(found.orphans),
            "recovery": steps,
        },
    )
