"""Every example project runs under the real engine: up, a clean preview, refresh, destroy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.engine.conftest import REPO, Project

pytestmark = pytest.mark.engine


def example(project: Callable[..., Project], name: str) -> Project:
    p = project(program=REPO / "examples" / name / "__main__.py")
    return p


def no_changes(p: Project) -> dict[str, int]:
    return {op: n for op, n in p.preview().change_summary.items() if op != "same"}


def test_up_quickstart_example(project: Callable[..., Project]) -> None:
    p = example(project, "quickstart")
    up = p.up()
    assert up.summary.resource_changes == {"create": 3}
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
    assert p.braket().get_job(jobArn=arn)["status"] in ("CANCELLING", "CANCELLED", "COMPLETED")


def test_up_hybrid_job_example_with_secret(project: Callable[..., Project]) -> None:
    p = example(project, "hybrid-job")
    p.configure("engine-test:apiToken", "SENTINEL-EXAMPLE-TOKEN", secret=True)
    up = p.up()
    job = p.braket().get_job(jobArn=up.outputs["job_arn"].value)
    assert job["hyperParameters"]["api_token"] == "SENTINEL-EXAMPLE-TOKEN"
    assert job["inputDataConfig"][0]["channelName"] == "molecule"
    assert "SENTINEL-EXAMPLE-TOKEN" not in p.run("stack", "export").stdout
    assert no_changes(p) == {}
    p.stack.destroy(color="never")


def test_up_quantum_task_example_device_from_lookup(project: Callable[..., Project]) -> None:
    p = example(project, "quantum-task")
    up = p.up()
    outputs: dict[str, Any] = {key: value.value for key, value in up.outputs.items()}
    sv1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
    assert outputs["device"] == {"arn": sv1, "status": "ONLINE"}
    assert outputs["job_device"] == {"device": sv1}
    task = p.braket().get_quantum_task(quantumTaskArn=outputs["task_arn"])
    assert task["deviceArn"] == sv1
    assert task["tags"] == {"experiment": "bell"}
    assert sv1 in outputs["devices_in_region"]
    assert no_changes(p) == {}
    destroy = p.stack.destroy(color="never")
    assert destroy.summary.resource_changes == {"delete": 3}


def test_preview_quantum_task_example_offline_device_fails(project: Callable[..., Project]) -> None:
    p = example(project, "quantum-task")
    p.configure("engine-test:device", "ionq/forte-enterprise-1")
    with pytest.raises(Exception) as caught:
        p.preview()
    assert (
        "get Braket device (ionq/forte-enterprise-1): the device is OFFLINE; wait until it is "
        "ONLINE or choose another"
    ) in str(caught.value)


def test_up_sweep_from_source_example_defaults_and_wait(project: Callable[..., Project]) -> None:
    p = example(project, "sweep-from-source")
    try:
        p.service.client("iam").create_role(
            RoleName="AmazonBraketJobsExecutionRole",
            Path="/service-role/",
            AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}',
        )
    except p.service.client("iam").exceptions.EntityAlreadyExistsException:
        pass  # another test on the shared service made it
    up = p.up()
    assert up.summary.resource_changes == {"create": 4}
    assert up.outputs["final_status"].value == "COMPLETED"
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
