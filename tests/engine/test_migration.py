"""Moving a stack from the dynamic Job to the native plugin, with its job still running."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from tests.engine.conftest import PLUGIN_PROGRAM, Project, job_args

pytestmark = pytest.mark.engine


def test_migrate_dynamic_job_to_plugin_by_import_keeps_running_job(
    project: Callable[..., Project],
) -> None:
    name = "migrate-" + uuid.uuid4().hex[:8]
    args = job_args(name)
    p = project()
    p.jobs({"vqe": args})
    arn = p.up().outputs["vqe_arn"].value
    braket = p.braket()
    assert braket.get_job(jobArn=arn)["status"] in ("QUEUED", "RUNNING")
    # 1. Forget the dynamic resource: the state only; no provider runs, nothing is cancelled.
    p.run(
        "state",
        "delete",
        "urn:pulumi:test::engine-test::pulumi-python:dynamic/braket:Job::vqe",
        "--yes",
    )
    # 2. The same job on the plugin, imported by ARN, with the inputs the program had.
    (p.root / "project" / "__main__.py").write_text(PLUGIN_PROGRAM.read_text())
    p.use_plugin()
    p.jobs({"vqe": {**args, "importArn": True, "arn": arn}})
    up = p.up()
    changes = up.summary.resource_changes or {}
    assert changes.get("import") == 1
    assert not {"create", "replace", "delete"} & set(changes)
    assert up.outputs["vqe_arn"].value == arn
    job = braket.get_job(jobArn=arn)
    assert job["status"] in ("QUEUED", "RUNNING")
    named = braket.search_jobs(filters=[{"name": "jobName", "operator": "EQUAL", "values": [name]}])
    assert [found["jobArn"] for found in named["jobs"]] == [arn]
    # 3. Managed by the plugin from here: no changes, then destroy cancels it.
    assert {op: n for op, n in p.preview().change_summary.items() if op != "same"} == {}
    p.stack.destroy(color="never")
    assert braket.get_job(jobArn=arn)["status"] in ("CANCELLING", "CANCELLED")
