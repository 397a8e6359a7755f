"""Jobs written as with the Braket SDK (source, entry point, device, waiting) through the engine."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_braket.source import pack
from tests.conftest import Service
from tests.engine.conftest import Project
from tests.engine.test_lifecycle import changes

pytestmark = pytest.mark.engine

ACCOUNT = "123456789012"
BUCKET = f"amazon-braket-us-east-1-{ACCOUNT}"
SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonBraketJobsExecutionRole"
TRUST = '{"Version": "2012-10-17", "Statement": []}'
# Where the preview of a job built from source, entry_point and device alone is kept, so the
# closing note of the issue can show a real one.
PREVIEW_RECORD = os.environ.get("PULUMI_BRAKET_PREVIEW_RECORD")


# Both hosts send the same client token for the same stack, name and inputs (by design), so
# on the shared service the second host's run would get the first's job back: each
# test's jobs carry a hyperparameter of their own.
def run_id() -> dict[str, str]:
    return {"run": uuid.uuid4().hex[:12]}


def with_source(p: Project, body: str = "def main():\n    print('bell')\n") -> Path:
    """An `algo` package in the project directory, given to the Job by a relative path."""
    algo = p.root / "project" / "algo"
    algo.mkdir(exist_ok=True)
    (algo / "__init__.py").write_text("")
    (algo / "run.py").write_text(body)
    return algo


def with_role(service: Service) -> None:
    """The role the Braket console creates, which the IAM lookup finds."""
    service.client("iam").create_role(
        RoleName="AmazonBraketJobsExecutionRole",
        Path="/service-role/",
        AssumeRolePolicyDocument=TRUST,
    )


def test_preview_source_entry_point_device_only_shows_every_default(
    project: Callable[..., Project], new_service: Callable[..., Service]
) -> None:
    service = new_service()
    with_role(service)
    p = project(service)
    algo = with_source(p)
    p.jobs({"bell": {"source": "algo", "entry_point": "algo.run:main", "device": "sv1"}})
    preview = p.run("preview", "--diff", "--color", "never")
    shown = preview.stdout + preview.stderr
    if PREVIEW_RECORD:
        Path(PREVIEW_RECORD).write_text(shown)
    digest = pack(algo).sha256[:16]
    for expected in (
        'job_name               : "bell"',
        f'role_arn               : "{ROLE}"',
        f'device: "{SV1}"',
        'entry_point     : "algo.run:main"',
        f's3_uri          : "s3://{BUCKET}/jobs/bell/script/{digest}/source.tar.gz"',
        'uri: "292282985366.dkr.ecr.us-east-1.amazonaws.com/amazon-braket-base-jobs:latest"',
        f's3_path: "s3://{BUCKET}/jobs/bell/data"',
        f's3_uri    : "s3://{BUCKET}/jobs/bell/checkpoints"',
        'local_path: "/opt/jobs/checkpoints"',
        'instance_type    : "ml.m5.large"',
        "volume_size_in_gb: 30",
        "instance_count   : 1",
        "max_runtime_in_seconds: 432000",
        "defaults:",
        "job_name = 'bell' (from the resource name)",
    ):
        assert expected in shown, (expected, shown)
    # One default a line, not every default on one line.
    (named,) = [line for line in shown.splitlines() if "job_name = 'bell'" in line]
    assert "instance_type" not in named and len(named) < 200, named

    up = p.up()
    assert up.summary.resource_changes == {"create": 2}
    job = p.braket().get_job(jobArn=up.outputs["bell_arn"].value)
    script = job["algorithmSpecification"]["scriptModeConfig"]
    assert script["s3Uri"] == f"s3://{BUCKET}/jobs/bell/script/{digest}/source.tar.gz"
    assert job["deviceConfig"] == {"device": SV1}
    body = service.client("s3").get_object(
        Bucket=BUCKET, Key=f"jobs/bell/script/{digest}/source.tar.gz"
    )["Body"]
    assert body.read() == pack(algo).data

    # Untouched tree: no change, and not one API call of any service.
    before = len(service.calls())
    assert changes(p.preview()) == {}
    assert service.calls()[before:] == []

    # Changed code: the job is replaced.
    (algo / "run.py").write_text("def main():\n    print('ghz')\n")
    assert changes(p.preview()) == {"replace": 1}


@pytest.mark.parametrize(
    ("device", "message"),
    [
        (
            "ionq/harmony",
            "device: arn:aws:braket:us-east-1::device/qpu/ionq/Harmony is RETIRED; choose "
            "another device",
        ),
        (
            "ionq/forte-9",
            "device: get Braket device (ionq/forte-9): no device matches in us-east-1",
        ),
    ],
)
def test_preview_unknown_or_retired_device_fails_clearly(
    project: Callable[..., Project], host: str, device: str, message: str
) -> None:
    p = project(host=host)
    with_source(p)
    p.jobs({"old": {"source": "algo", "device": device, "role_arn": ROLE}})
    with pytest.raises(auto.CommandError) as raised:
        p.preview()
    assert (
        f"{p.job_type} resource 'old': property device value {{{device}}} has a problem: {message}"
    ) in str(raised.value)


def test_up_wait_for_completion_streams_progress_and_results(
    project: Callable[..., Project],
    host: str,
) -> None:
    p = project(host=host)
    with_source(p)
    done: dict[str, Any] = {"source": "algo", "device": "sv1", "role_arn": ROLE}
    done["hyper_parameters"] = run_id()
    p.jobs({"done": {**done, "wait_for_completion": True}})
    up = p.up()
    assert up.outputs["done_status"].value == "COMPLETED"
    results = up.outputs["done_results"].value
    assert results == f"s3://{BUCKET}/jobs/done/data/output/model.tar.gz"
    assert "Braket Job done: RUNNING Running the algorithm script" in up.stdout
    assert "Braket Job done: COMPLETED Job completed" in up.stdout
    # Each event once: a status an event announced is not repeated bare.
    shown = [line.strip() for line in up.stdout.splitlines() if "Braket Job done:" in line]
    assert "Braket Job done: RUNNING" not in shown and "Braket Job done: COMPLETED" not in shown
    assert len(shown) == len(set(shown)), shown


def test_up_wait_failed_job_fails_with_failure_reason(
    project: Callable[..., Project],
    host: str,
) -> None:
    p = project(host=host)
    with_source(p)
    fails = {
        "source": "algo",
        "device": "sv1",
        "role_arn": ROLE,
        "wait_for_completion": 60,
        "hyper_parameters": {"braket.local.fail": "ValueError: loss diverged", **run_id()},
    }
    p.jobs({"fails": fails})
    with pytest.raises(auto.CommandError) as raised:
        p.up()
    text = str(raised.value)
    assert "create Braket Job (fails): the job ended FAILED: ValueError: loss diverged" in text
    assert "Braket Job fails: RUNNING" in text


def test_up_custom_timeout_bounds_wait(project: Callable[..., Project], host: str) -> None:
    p = project(host=host)
    with_source(p)
    slow = {
        "source": "algo",
        "device": "sv1",
        "role_arn": ROLE,
        "wait_for_completion": True,
        "hyper_parameters": {"braket.local.run_seconds": "120", **run_id()},
        "customTimeouts": {"create": "3s"},
    }
    p.jobs({"slow": slow})
    with pytest.raises(auto.CommandError) as raised:
        p.up()
    text = str(raised.value)
    assert "create Braket Job (slow): still " in text
    assert "after 3 s of waiting" in text
    # The job keeps running, for the next `pulumi up` to wait on again.
    arn = text.split("of waiting (", 1)[1].split(")", 1)[0]
    assert p.braket().get_job(jobArn=arn)["status"] in {"QUEUED", "RUNNING"}
    p.braket().cancel_job(jobArn=arn)


def test_up_custom_timeout_bounds_task_wait(project: Callable[..., Project], host: str) -> None:
    # The same create timeout bounds a QuantumTask's wait, on both hosts.
    p = project(host=host)
    slow = {
        "device_arn": SV1,
        "shots": 100,
        "action": "OPENQASM 3;\nqubit[2] q;\nh q[0];\ncnot q[0], q[1];",
        "output_s3_bucket": BUCKET,
        "output_s3_key_prefix": f"tasks/slow-{uuid.uuid4().hex[:8]}",
        "tags": {"braket.local.run_seconds": "120"},
        "wait_for_completion": True,
        "customTimeouts": {"create": "3s"},
    }
    p.configure("engine-test:tasks", {"slow": slow})
    with pytest.raises(auto.CommandError) as raised:
        p.up()
    text = str(raised.value)
    assert "create Braket QuantumTask (slow): still " in text
    assert "after 3 s of waiting" in text
    arn = text.split("of waiting (", 1)[1].split(")", 1)[0]
    assert p.braket().get_quantum_task(quantumTaskArn=arn)["status"] in {
        "CREATED",
        "QUEUED",
        "RUNNING",
    }
    p.braket().cancel_quantum_task(quantumTaskArn=arn, clientToken=uuid.uuid4().hex)
