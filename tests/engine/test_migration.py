"""Moving a stack from the dynamic Job to the native plugin, with its job still running."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.engine.conftest import Project, job_args
from tests.engine.test_lifecycle import changes

pytestmark = pytest.mark.engine

DYNAMIC_JOB = "pulumi-python:dynamic/braket:Job"


def running_dynamic_job(
    project: Callable[..., Project], prefix: str
) -> tuple[Project, str, dict[str, Any], str]:
    """A stack with one dynamic Job, still running: the project, job name, inputs and ARN."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    args = job_args(name)
    p = project()
    p.jobs({"vqe": args})
    arn = p.up().outputs["vqe_arn"].value
    assert p.braket().get_job(jobArn=arn)["status"] in ("QUEUED", "RUNNING")
    return p, name, args, arn


def test_migrate_dynamic_job_to_plugin_by_import_keeps_running_job(
    project: Callable[..., Project],
) -> None:
    p, name, args, arn = running_dynamic_job(project, "migrate")
    braket = p.braket()
    # 1. Forget the dynamic resource: the state only; no provider runs, nothing is cancelled.
    p.run(
        "state",
        "delete",
        f"urn:pulumi:test::engine-test::{DYNAMIC_JOB}::vqe",
        "--yes",
    )
    # 2. The same job on the plugin, imported by ARN, with the inputs the program had.
    p.use_plugin()
    p.jobs({"vqe": {**args, "importArn": True, "arn": arn}})
    up = p.up()
    made = up.summary.resource_changes or {}
    assert made.get("import") == 1
    assert not {"create", "replace", "delete"} & set(made)
    assert up.outputs["vqe_arn"].value == arn
    job = braket.get_job(jobArn=arn)
    assert job["status"] in ("QUEUED", "RUNNING")
    named = braket.search_jobs(filters=[{"name": "jobName", "operator": "EQUAL", "values": [name]}])
    assert [found["jobArn"] for found in named["jobs"]] == [arn]
    # 3. Managed by the plugin from here: no changes, then destroy cancels it.
    assert changes(p.preview()) == {}
    p.stack.destroy(color="never")
    assert braket.get_job(jobArn=arn)["status"] in ("CANCELLING", "CANCELLED")


def test_migrate_by_alias_keeps_running_job_refresh_respells_state(
    project: Callable[..., Project],
) -> None:
    p, name, args, arn = running_dynamic_job(project, "alias")
    # The same job on the plugin, with an alias from the dynamic type.
    p.use_plugin()
    p.jobs({"vqe": {**args, "aliasType": DYNAMIC_JOB}})
    # The plugin reads the dynamic state's snake_case names as its own: no change at all.
    assert changes(p.preview()) == {}
    assert p.up().summary.resource_changes == {"same": 2}
    braket = p.braket()
    assert braket.get_job(jobArn=arn)["status"] in ("QUEUED", "RUNNING")
    # The engine keeps a "same" resource's outputs as they were (the dynamic host's, with
    # its __provider) until a refresh reads them again, in the schema's spelling.
    job = next(r for r in p.stack.export_stack().deployment["resources"] if r.get("id") == arn)
    assert (job["type"], "__provider" in job["outputs"]) == ("braket:index:Job", True)
    p.stack.refresh(color="never")
    job = next(r for r in p.stack.export_stack().deployment["resources"] if r.get("id") == arn)
    assert "__provider" not in job["outputs"]
    assert job["outputs"]["tagsAll"] == {"team": "qa"}
    assert changes(p.preview()) == {}
    up = p.up()
    assert (up.outputs["vqe_arn"].value, up.outputs["vqe_tags"].value) == (arn, {"team": "qa"})
    names = [{"name": "jobName", "operator": "EQUAL", "values": [name]}]
    assert [found["jobArn"] for found in braket.search_jobs(filters=names)["jobs"]] == [arn]
