"""The native plugin under the engine: a Pulumi YAML stack in the S3 backend, and import."""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import tarfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Service, ensure_jobs_role, session_credentials
from tests.engine.conftest import BUCKET, REPO, ROLE, Project

pytestmark = pytest.mark.engine

GITOPS = REPO / "examples" / "yaml-gitops" / "Pulumi.yaml"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
STATE = "pulumi-state"


def s3_backend(service: Service) -> str:
    """The DIY S3 backend on the local service's S3, path-style, as teams point it at MinIO."""
    return f"s3://{STATE}?endpoint={service.endpoint}&use_path_style=true&region=us-east-1"


def gitops(project: Callable[..., Project], service: Service) -> tuple[Project, list[str]]:
    """The example's stack, run with a role session's credentials; and those credentials."""
    s3 = service.client("s3")
    s3.create_bucket(Bucket=STATE)
    # CI uploads the experiment's code, as the example's README shows.
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as tar:
        tar.add(REPO / "examples" / "quickstart" / "bell", arcname="bell")
    s3.put_object(Bucket=BUCKET, Key="yaml-gitops/bell.tar.gz", Body=packed.getvalue())
    p = project(service=service, program=GITOPS, backend=s3_backend(service))
    # Credentials the engine and the plugin see, as a CI role session has them; none may
    # reach the state, nor may the service's own pair.
    session = session_credentials(service)
    for key, value in session.items():
        p.env[key] = value
        p.stack.workspace.env_vars[key] = value
    return p, [*session.values(), service.access_key_id, service.secret_access_key]


def changes(p: Project) -> dict[str, int]:
    return {op: n for op, n in p.preview().change_summary.items() if op != "same"}


def test_up_yaml_gitops_example_in_s3_backend(
    project: Callable[..., Project], running: Service
) -> None:
    p, credentials = gitops(project, running)
    up = p.up()
    outputs: dict[str, Any] = {key: value.value for key, value in up.outputs.items()}
    assert outputs["jobStatus"] == "COMPLETED"
    assert sum(outputs["jobResult"]["counts"].values()) == 100
    assert set(outputs["taskCounts"]) <= {"00", "11"}
    assert sum(outputs["taskCounts"].values()) == 100
    braket = p.braket()
    job = braket.get_job(jobArn=outputs["jobArn"])
    assert job["hyperParameters"]["shots"] == "100"
    assert {"experiment": "bell", "owner": "quantum-team"}.items() <= job["tags"].items()
    # The state is in S3, with the stack's lock released.
    keys = [item["Key"] for item in running.client("s3").list_objects_v2(Bucket=STATE)["Contents"]]
    assert f".pulumi/stacks/{p.name}/test.json" in keys
    assert not [key for key in keys if key.startswith(".pulumi/locks/")]
    assert changes(p) == {}
    state = p.run("stack", "export", "--show-secrets").stdout
    assert [value for value in credentials if value in state] == []
    # A reviewed tag change: updated in place, the same job.
    p.configure(f"{p.name}:owner", "platform-team")
    assert changes(p) == {"update": 1}
    updated = p.up()
    assert updated.summary.resource_changes == {"update": 1, "same": 3}
    assert updated.outputs["jobArn"].value == outputs["jobArn"]
    assert braket.get_job(jobArn=outputs["jobArn"])["tags"]["owner"] == "platform-team"
    refreshed = p.stack.refresh(color="never")
    assert refreshed.summary.resource_changes == {"same": 4}
    p.stack.destroy(color="never")
    # The job had ended: it stays as history, and its tags are what ResourceTags left.
    assert braket.get_job(jobArn=outputs["jobArn"])["status"] == "COMPLETED"


CAP = f"""
  cap:
    type: braket:index:SpendingLimit
    properties:
      deviceArn: {FORTE}
      spendingLimit: "25.00"
      tags:
        team: finance
"""


def test_import_spending_limit_then_program_declares_it_no_changes(
    project: Callable[..., Project], tmp_path: Path
) -> None:
    program = tmp_path / "yaml" / "Pulumi.yaml"
    program.parent.mkdir()
    program.write_text("name: yaml-import\nruntime: yaml\nresources: {}\n")
    p = project(program=program)
    arn = p.braket().create_spending_limit(
        deviceArn=FORTE, spendingLimit="25.00", tags={"team": "finance"}
    )["spendingLimitArn"]
    imported = p.run(
        "import",
        "braket:index:SpendingLimit",
        "cap",
        arn,
        "--yes",
        "--generate-code=false",
        "--protect=false",
    )
    assert "1 imported" in imported.stdout
    exported = json.loads(p.run("stack", "export").stdout)
    cap = next(r for r in exported["deployment"]["resources"] if r["urn"].endswith("::cap"))
    assert cap["id"] == arn
    assert {k: cap["inputs"][k] for k in ("deviceArn", "spendingLimit", "tags")} == {
        "deviceArn": FORTE,
        "spendingLimit": "25.00",
        "tags": {"team": "finance"},
    }
    # The program that declares what the service reports previews with no changes.
    (p.root / "project" / "Pulumi.yaml").write_text(
        "name: yaml-import\nruntime: yaml\nresources:" + CAP
    )
    assert changes(p) == {}
    p.stack.destroy(color="never")
    gone = p.braket().search_spending_limits(
        filters=[{"name": "spendingLimitArn", "operator": "EQUAL", "values": [arn]}]
    )["spendingLimits"]
    assert gone == []


def waiting_jobs(count: int, seconds: int, prefix: str) -> str:
    """A YAML program of ``count`` jobs that each run ``seconds`` and are waited for."""
    jobs = "".join(
        f"""
  wait{i}:
    type: braket:index:Job
    properties:
      jobName: {prefix}-{i}
      roleArn: {ROLE}
      device: sv1
      algorithmSpecification:
        scriptModeConfig:
          entryPoint: algo.run:main
          s3Uri: s3://b/src.tar.gz
      outputDataConfig:
        s3Path: s3://b/out
      hyperParameters:
        braket.local.run_seconds: "{seconds}"
      waitForCompletion: true
"""
        for i in range(count)
    )
    return "name: yaml-wait\nruntime: yaml\nresources:" + jobs


def yaml_project(project: Callable[..., Project], tmp_path: Path, text: str) -> Project:
    program = tmp_path / "yaml" / "Pulumi.yaml"
    program.parent.mkdir()
    program.write_text(text)
    p = project(program=program)
    return p


def test_up_plugin_waiting_jobs_run_at_once_past_four(
    project: Callable[..., Project], tmp_path: Path
) -> None:
    # Eight jobs that each wait: the dynamic host's four threads would create the fifth only
    # once the first had ended. The plugin waits on its own pool, so all overlap.
    p = yaml_project(project, tmp_path, waiting_jobs(8, 4, "wait-" + uuid.uuid4().hex[:8]))
    p.stack.up(color="never", parallel=32)
    braket = p.braket()
    arns = [
        resource["id"]
        for resource in json.loads(p.run("stack", "export").stdout)["deployment"]["resources"]
        if resource["type"] == "braket:index:Job"
    ]
    jobs = [braket.get_job(jobArn=arn) for arn in arns]
    assert len(jobs) == 8
    assert {job["status"] for job in jobs} == {"COMPLETED"}
    assert max(job["createdAt"] for job in jobs) < min(job["endedAt"] for job in jobs)
    p.stack.destroy(color="never")


def test_up_plugin_interrupted_cancel_stops_waits(
    project: Callable[..., Project], tmp_path: Path
) -> None:
    # More waits than the plugin ever had threads (32): every one of them is a request in
    # flight, and the engine's Cancel must still be answered and stop them all.
    count = 40
    name = "cancel-" + uuid.uuid4().hex[:8]
    p = yaml_project(project, tmp_path, waiting_jobs(count, 120, name))
    up = subprocess.Popen(
        [
            *("pulumi", "up", "--yes", "--skip-preview", "--stack", "test", "--color", "never"),
            *("--parallel", str(count)),
        ],
        cwd=p.root / "project",
        env=p.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    braket = p.braket()
    mine = [{"name": "jobName", "operator": "CONTAINS", "values": [name]}]

    def statuses() -> list[str]:
        pages = braket.get_paginator("search_jobs").paginate(filters=mine)
        return [job["status"] for page in pages for job in page["jobs"]]

    deadline = time.monotonic() + 120
    while statuses() != ["RUNNING"] * count:
        assert time.monotonic() < deadline, f"not all {count} jobs started: {statuses()}"
        time.sleep(0.5)
    up.send_signal(signal.SIGINT)
    output, _ = up.communicate(timeout=60)
    assert up.returncode != 0
    stopped = set(
        re.findall(rf"\(({name}-\d+)\): stopped waiting, the operation was cancelled", output)
    )
    assert stopped == {f"{name}-{i}" for i in range(count)}, output
    # The jobs themselves keep running: the waits stopped, the jobs were not cancelled.
    assert statuses() == ["RUNNING"] * count
    for page in braket.get_paginator("search_jobs").paginate(filters=mine):
        for job in page["jobs"]:
            braket.cancel_job(jobArn=job["jobArn"])


def test_up_yaml_job_from_source_alone(
    project: Callable[..., Project], tmp_path: Path, shared_service: Service
) -> None:
    # The declaration makes algorithmSpecification optional, as source and entryPoint give
    # it: before, the schema required it and a YAML Job could not use them alone.
    ensure_jobs_role(shared_service)
    name = "source-" + uuid.uuid4().hex[:8]
    text = f"""name: yaml-source
runtime: yaml
resources:
  fromSource:
    type: braket:index:Job
    properties:
      jobName: {name}
      device: sv1
      source: ./algo
      entryPoint: algo.run:main
outputs:
  script: ${{fromSource.algorithmSpecification.scriptModeConfig.s3Uri}}
"""
    program = tmp_path / "yaml" / "Pulumi.yaml"
    (program.parent / "algo").mkdir(parents=True)
    (program.parent / "algo" / "run.py").write_text("def main():\n    print('ran')\n")
    program.write_text(text)
    p = project(program=program)
    up = p.up()
    assert up.summary.resource_changes == {"create": 2}
    assert up.outputs["script"].value.endswith("source.tar.gz")
    assert changes(p) == {}
    p.stack.destroy(color="never")


def test_preview_yaml_input_unknown_until_up_is_planned(
    project: Callable[..., Project], running: Service
) -> None:
    # bellTags.resourceArn is the job's ARN: unknown until the job exists. The plugin must
    # see it as unknown, not as the engine's placeholder text checked against ARN rules.
    p, _ = gitops(project, running)
    preview = p.preview()
    assert preview.change_summary == {"create": 4}
