"""Every example project runs under the real engine: up, a clean preview, refresh, destroy."""

from __future__ import annotations

import contextlib
import io
import json
import tarfile
import time
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Service, ensure_jobs_role
from tests.engine.conftest import BUCKET, REPO, Project

pytestmark = pytest.mark.engine


def example(project: Callable[..., Project], name: str, service: Service) -> Project:
    p = project(service=service, program=REPO / "examples" / name / "__main__.py")
    return p


def job_result(p: Project, arn: str) -> dict[str, Any]:
    """The job's results.json, read as the Braket SDK reads it, once the job has ended."""
    braket = p.braket()
    deadline = time.monotonic() + 120
    while (job := braket.get_job(jobArn=arn))["status"] not in ("COMPLETED", "FAILED"):
        assert time.monotonic() < deadline, f"job still {job['status']}"
        time.sleep(0.2)
    assert job["status"] == "COMPLETED", job.get("failureReason")
    bucket, key = job["outputDataConfig"]["s3Path"][len("s3://") :].split("/", 1)
    archive = p.service.client("s3").get_object(Bucket=bucket, Key=f"{key}/output/model.tar.gz")
    with tarfile.open(fileobj=io.BytesIO(archive["Body"].read())) as tar:
        member = tar.extractfile("results.json")
        assert member is not None
        document: dict[str, Any] = json.load(member)
    return dict(document["dataDictionary"])


def no_changes(p: Project) -> dict[str, int]:
    return {op: n for op, n in p.preview().change_summary.items() if op != "same"}


def test_up_quickstart_example_runs_and_outputs_counts(
    project: Callable[..., Project], running: Service
) -> None:
    p = example(project, "quickstart", running)
    up = p.up()
    assert up.summary.resource_changes == {"create": 3}
    assert up.outputs["status"].value == "COMPLETED"
    counts = up.outputs["counts"].value
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 1000
    assert up.outputs["correlation"].value == 1.0
    # What `make demo` prints: the measured counts, from the stack's outputs.
    shown = json.loads(p.run("stack", "output", "counts", "--json").stdout)
    assert shown == counts
    arn = up.outputs["job_arn"].value
    job = p.braket().get_job(jobArn=arn)
    assert job["tags"] == {
        "experiment": "bell",
        "owner": "quantum-team",
        "reviewed-by": "pull-request",
    }
    assert up.outputs["tags"].value == {"experiment": "bell", "owner": "quantum-team"}
    assert no_changes(p) == {}
    p.stack.destroy(color="never")
    assert p.braket().get_job(jobArn=arn)["status"] == "COMPLETED"


def test_up_hybrid_job_example_with_secret(
    project: Callable[..., Project], running: Service
) -> None:
    p = example(project, "hybrid-job", running)
    p.configure("engine-test:apiToken", "SENTINEL-EXAMPLE-TOKEN", secret=True)
    # The example's code and input live in S3, as its README uploads them.
    s3, prefix = running.client("s3"), "jobs/vqe-h2"
    with contextlib.suppress(ClientError):
        s3.create_bucket(Bucket=BUCKET)
    packed = io.BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as tar:
        tar.add(REPO / "examples" / "hybrid-job" / "vqe", arcname="vqe")
    s3.put_object(Bucket=BUCKET, Key=f"{prefix}/script/source.tar.gz", Body=packed.getvalue())
    h2 = (REPO / "examples" / "hybrid-job" / "input" / "h2.json").read_bytes()
    s3.put_object(Bucket=BUCKET, Key=f"{prefix}/input/h2.json", Body=h2)
    up = p.up()
    result = job_result(p, up.outputs["job_arn"].value)
    assert result["energy"] < -0.9
    job = p.braket().get_job(jobArn=up.outputs["job_arn"].value)
    assert job["hyperParameters"]["api_token"] == "SENTINEL-EXAMPLE-TOKEN"
    assert job["inputDataConfig"][0]["channelName"] == "molecule"
    assert "SENTINEL-EXAMPLE-TOKEN" not in p.run("stack", "export").stdout
    assert no_changes(p) == {}
    p.stack.destroy(color="never")


def test_up_quantum_task_example_device_from_lookup(
    project: Callable[..., Project], running: Service
) -> None:
    p = example(project, "quantum-task", running)
    up = p.up()
    outputs: dict[str, Any] = {key: value.value for key, value in up.outputs.items()}
    sv1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
    assert outputs["device"] == {"arn": sv1, "status": "ONLINE"}
    assert outputs["job_device"] == {"device": sv1}
    assert set(outputs["task_counts"]) <= {"00", "11"}
    assert sum(outputs["task_counts"].values()) == 100
    assert outputs["job_result"] == {"device": "SV1", "qubits": 34}
    task = p.braket().get_quantum_task(quantumTaskArn=outputs["task_arn"])
    assert task["deviceArn"] == sv1
    assert task["tags"] == {"experiment": "bell"}
    assert sv1 in outputs["devices_in_region"]
    assert no_changes(p) == {}
    destroy = p.stack.destroy(color="never")
    assert destroy.summary.resource_changes == {"delete": 3}


def test_preview_quantum_task_example_offline_device_fails(
    project: Callable[..., Project], running: Service
) -> None:
    p = example(project, "quantum-task", running)
    p.configure("engine-test:device", "ionq/forte-enterprise-1")
    with pytest.raises(Exception) as caught:
        p.preview()
    assert (
        "get Braket device (ionq/forte-enterprise-1): the device is OFFLINE; wait until it is "
        "ONLINE or choose another"
    ) in str(caught.value)


def test_up_sweep_from_source_example_defaults_and_wait(
    project: Callable[..., Project], running: Service
) -> None:
    p = example(project, "sweep-from-source", running)
    up = p.up()
    assert up.summary.resource_changes == {"create": 4}
    assert up.outputs["final_status"].value == "COMPLETED"
    assert up.outputs["final_result"].value == {"bond_length": 0.74, "shots": "10000"}
    bucket = "amazon-braket-us-east-1-123456789012"
    assert up.outputs["final_results"].value == (
        f"s3://{bucket}/jobs/h2-final/data/output/model.tar.gz"
    )
    script = up.outputs["final_script"].value["script_mode_config"]
    key = script["s3_uri"].removeprefix(f"s3://{bucket}/")
    assert p.service.client("s3").head_object(Bucket=bucket, Key=key)["ContentLength"] > 0
    job = p.braket().get_job(jobArn=up.outputs["shots_100_arn"].value)
    assert job["jobName"] == "h2-shots-100"
    assert job["roleArn"].endswith(":role/service-role/AmazonBraketJobsExecutionRole")
    assert job["inputDataConfig"][0]["channelName"] == "molecule"
    assert no_changes(p) == {}
    p.stack.destroy(color="never")


def test_up_guardrails_example_task_over_the_limit_refused_nothing_created(
    project: Callable[..., Project], running: Service
) -> None:
    p = example(project, "guardrails", running)
    preview = p.run("preview", "--diff")
    # Under the resource (a diagnostic), and in the diff as the task's estimated_cost.
    shown = preview.stdout + preview.stderr
    assert "estimated cost 8.30 USD: 0.30 per task + 100 shots x 0.08 USD" in shown
    assert 'estimated_cost      : "8.30"' in preview.stdout
    up = p.up()
    assert up.outputs["estimated_cost"].value == "8.30"
    assert sum(up.outputs["counts"].value.values()) == 100
    arn = up.outputs["limit_arn"].value
    braket = p.braket()

    def tasks_on_forte() -> int:
        found = braket.search_quantum_tasks(
            filters=[{"name": "deviceArn", "operator": "EQUAL", "values": [FORTE]}]
        )["quantumTasks"]
        return len([task for task in found if task["outputS3Directory"].startswith(PREFIX)])

    before = tasks_on_forte()
    p.configure("engine-test:shots", "1000")
    with pytest.raises(Exception) as caught:
        p.up()
    text = str(caught.value)
    assert (
        "ValidationException: the task's estimated cost of 80.30 USD exceeds what remains of "
        f"spending limit {arn} (20.00 USD, 11.70 USD remaining)"
    ) in text
    assert tasks_on_forte() == before
    p.configure("engine-test:shots", "100")
    p.stack.destroy(color="never")


FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
PREFIX = "tasks/guardrails/"


def test_up_quantum_task_example_seeded_same_outputs_on_fresh_services(
    project: Callable[..., Project], new_service: Callable[..., Service]
) -> None:
    # A team re-runs the experiment on another machine: with the same seed, the same outputs.
    outputs = []
    for _ in range(2):
        service = new_service(execute="on", seed="2026")
        ensure_jobs_role(service)
        service.client("s3").create_bucket(Bucket=BUCKET)
        up = example(project, "quantum-task", service).up()
        outputs.append({key: value.value for key, value in up.outputs.items()})
    assert outputs[0] == outputs[1]
    assert sum(outputs[0]["task_counts"].values()) == 100
    assert set(outputs[0]["task_counts"]) == {"00", "11"}
