"""Moving a stack from the dynamic Job to the native plugin, with its job still running."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from tests.engine.conftest import PLUGIN_PROGRAM, Project, job_args
from tests.engine.test_lifecycle import changes

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
    name = "alias-" + uuid.uuid4().hex[:8]
    args = job_args(name)
    p = project()
    p.jobs({"vqe": args})
    arn = p.up().outputs["vqe_arn"].value
    # The same program on the plugin, with an alias from the dynamic type.
    declared = '    job = pulumi.CustomResource("braket:index:Job", name, props, opts)'
    program = PLUGIN_PROGRAM.read_text()
    assert declared in program
    alias = '    old = pulumi.Alias(type_="pulumi-python:dynamic/braket:Job")\n'
    merged = "pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(aliases=[old])))"
    aliased = alias + declared.replace("opts)", merged)
    (p.root / "project" / "__main__.py").write_text(program.replace(declared, aliased))
    p.use_plugin()
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
