"""Import onto the native plugin: `pulumi import` and `import_=` of Jobs and QuantumTasks."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.engine.conftest import BUCKET, Project, job_args
from tests.engine.test_lifecycle import changes, job_outside_pulumi

pytestmark = pytest.mark.engine

SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
BELL = "OPENQASM 3; qubit[2] q; bit[2] c; h q[0]; cnot q[0], q[1]; c = measure q;"


def cli_import(p: Project, token: str, name: str, arn: str) -> dict[str, Any]:
    """`pulumi import` as the README gives it for a Python project; the imported state entry."""
    done = p.run("import", token, name, arn, "--yes", "--generate-code=false", "--protect=false")
    assert "1 imported" in done.stdout
    resources = p.stack.export_stack().deployment["resources"]
    found: dict[str, Any] = next(r for r in resources if r["urn"].endswith(f"::{name}"))
    assert found["id"] == arn
    return found


def job_outside(project: Callable[..., Project]) -> tuple[Project, dict[str, Any], str]:
    """A plugin project, and a job someone started outside it with what it will declare."""
    p = project(host="plugin")
    args = job_args()
    return p, args, job_outside_pulumi(p, args, tags=args["tags"])


def test_import_cli_job_then_program_declares_it_no_changes(
    project: Callable[..., Project],
) -> None:
    p, args, arn = job_outside(project)
    imported = cli_import(p, "braket:index:Job", "sweep", arn)
    # The inputs are rebuilt from get_job, in the schema's spelling.
    assert imported["inputs"]["jobName"] == args["job_name"]
    assert imported["inputs"]["instanceConfig"]["instanceType"] == "ml.m5.large"
    assert imported["inputs"]["tags"] == {"team": "qa"}
    p.jobs({"sweep": args})
    assert changes(p.preview()) == {}
    # Managed from here: a tag change is in place; destroy cancels the job.
    p.jobs({"sweep": {**args, "tags": {"team": "ops"}}})
    assert p.up().summary.resource_changes == {"update": 1, "same": 1}
    braket = p.braket()
    assert braket.get_job(jobArn=arn)["tags"] == {"team": "ops"}
    p.stack.destroy(color="never")
    assert braket.get_job(jobArn=arn)["status"] in ("CANCELLING", "CANCELLED")


def test_import_option_job_started_outside_then_preview_is_clean(
    project: Callable[..., Project],
) -> None:
    p, args, arn = job_outside(project)
    p.jobs({"sweep": {**args, "importArn": True, "arn": arn}})
    up = p.up()
    assert up.summary.resource_changes == {"create": 1, "import": 1}
    assert up.outputs["sweep_arn"].value == arn
    assert changes(p.preview()) == {}
    names = [{"name": "jobName", "operator": "EQUAL", "values": [args["job_name"]]}]
    assert [job["jobArn"] for job in p.braket().search_jobs(filters=names)["jobs"]] == [arn]


def test_import_option_job_program_differs_refused(
    project: Callable[..., Project],
) -> None:
    p, args, arn = job_outside(project)
    other = {**args, "hyper_parameters": {"braket.local.run_seconds": "5"}}
    p.jobs({"sweep": {**other, "importArn": True, "arn": arn}})
    failed = p.run("up", "--yes", "--skip-preview", check=False)
    assert failed.returncode != 0
    # The engine refuses an import that would replace, naming the property that differs.
    assert "previously-imported resources that still specify an ID may not be replaced" in (
        failed.stdout
    )
    assert (
        "hyperParameters: {map[braket.local.run_seconds:{120}]} => "
        "{map[braket.local.run_seconds:{5}]}"
    ) in failed.stdout
    braket = p.braket()
    assert braket.get_job(jobArn=arn)["status"] in ("QUEUED", "RUNNING")
    names = [{"name": "jobName", "operator": "EQUAL", "values": [args["job_name"]]}]
    assert len(braket.search_jobs(filters=names)["jobs"]) == 1


def task_args(prefix: str) -> dict[str, Any]:
    return {
        "device_arn": SV1,
        "shots": 100,
        "action": BELL,
        "output_s3_bucket": BUCKET,
        "output_s3_key_prefix": f"tasks/{prefix}",
        "tags": {"team": "qa"},
    }


def task_outside_pulumi(p: Project, args: dict[str, Any]) -> str:
    """A task submitted with the Braket SDK's wire form: the OpenQASM program as JSON."""
    action = {"braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"}}
    return str(
        p.braket().create_quantum_task(
            clientToken=uuid.uuid4().hex,
            deviceArn=args["device_arn"],
            shots=args["shots"],
            action=json.dumps({**action, "source": args["action"]}),
            outputS3Bucket=args["output_s3_bucket"],
            outputS3KeyPrefix=args["output_s3_key_prefix"],
            tags=args["tags"],
        )["quantumTaskArn"]
    )


def test_import_cli_quantum_task_then_program_declares_it_no_changes(
    project: Callable[..., Project],
) -> None:
    p = project(host="plugin")
    args = task_args("import-" + uuid.uuid4().hex[:8])
    arn = task_outside_pulumi(p, args)
    imported = cli_import(p, "braket:index:QuantumTask", "bell", arn)
    inputs = imported["inputs"]
    assert (inputs["deviceArn"], inputs["shots"]) == (SV1, 100)
    assert inputs["outputS3KeyPrefix"] == args["output_s3_key_prefix"]
    # Braket does not report a task's action; its type (actionMetadata) is what is compared.
    assert "action" not in inputs
    p.configure("engine-test:tasks", {"bell": args})
    assert changes(p.preview()) == {}
    # A program of another action type is another task: that is a replace, not a match.
    jaqcd = {
        "braketSchemaHeader": {"name": "braket.ir.jaqcd.program", "version": "1"},
        "instructions": [{"type": "h", "target": 0}],
    }
    p.configure("engine-test:tasks", {"bell": {**args, "action": json.dumps(jaqcd)}})
    assert changes(p.preview()) == {"replace": 1}
    p.configure("engine-test:tasks", {"bell": args})
    destroy = p.stack.destroy(color="never")
    assert destroy.summary.resource_changes == {"delete": 2}
    assert p.stack.export_stack().deployment.get("resources") in (None, [])


def test_import_option_quantum_task_then_preview_is_clean(
    project: Callable[..., Project],
) -> None:
    p = project(host="plugin")
    args = task_args("import-" + uuid.uuid4().hex[:8])
    arn = task_outside_pulumi(p, args)
    p.configure("engine-test:tasks", {"bell": {**args, "importArn": True, "arn": arn}})
    up = p.up()
    assert up.summary.resource_changes == {"create": 1, "import": 1}
    assert up.outputs["bell_arn"].value == arn
    assert changes(p.preview()) == {}
