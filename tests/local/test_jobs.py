"""Hybrid jobs on the local service, through real boto3 over HTTP."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from tests.conftest import Service

SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
OFFLINE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
RETIRED = "arn:aws:braket:us-east-1::device/qpu/ionq/Harmony"
WEST_QPU = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"
ROLE = "arn:aws:iam::123456789012:role/AmazonBraketJobsExecutionRole"


def job_request(**overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "clientToken": uuid.uuid4().hex,
        "jobName": "job-" + uuid.uuid4().hex[:8],
        "roleArn": ROLE,
        "algorithmSpecification": {
            "scriptModeConfig": {
                "entryPoint": "algo.run:main",
                "s3Uri": "s3://amazon-braket-us-east-1-123456789012/jobs/x/script/source.tar.gz",
                "compressionType": "GZIP",
            }
        },
        "outputDataConfig": {"s3Path": "s3://amazon-braket-us-east-1-123456789012/jobs/x/data"},
        "instanceConfig": {"instanceType": "ml.m5.large", "volumeSizeInGb": 30},
        "deviceConfig": {"device": SV1},
    }
    request.update(overrides)
    return request


def wait_for(client: Any, arn: str, statuses: set[str], timeout: float = 15.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get_job(jobArn=arn)
        if job["status"] in statuses or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def test_create_job_returns_arn_and_get_job_echoes_request(braket: Any) -> None:
    request = job_request(hyperParameters={"lr": "0.1"}, tags={"team": "qa"})
    arn = braket.create_job(**request)["jobArn"]
    assert arn.startswith("arn:aws:braket:us-east-1:123456789012:job/")
    job = braket.get_job(jobArn=arn)
    assert job["jobName"] == request["jobName"]
    assert job["roleArn"] == ROLE
    assert job["hyperParameters"] == {"lr": "0.1"}
    assert job["tags"] == {"team": "qa"}
    assert job["algorithmSpecification"] == request["algorithmSpecification"]
    # The service fills in the instance count, as the real one reports it.
    assert job["instanceConfig"] == {**request["instanceConfig"], "instanceCount": 1}
    assert job["status"] == "QUEUED"
    assert job["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_get_job_lifecycle_queued_running_completed(braket: Any) -> None:
    # Phases of a second each, so a loaded machine still sees every one.
    timing = {"braket.local.queue_seconds": "1", "braket.local.run_seconds": "1"}
    arn = braket.create_job(**job_request(hyperParameters=timing))["jobArn"]
    seen = [braket.get_job(jobArn=arn)["status"]]
    deadline = time.monotonic() + 10
    while seen[-1] != "COMPLETED" and time.monotonic() < deadline:
        status = braket.get_job(jobArn=arn)["status"]
        if status != seen[-1]:
            seen.append(status)
        time.sleep(0.02)
    assert seen == ["QUEUED", "RUNNING", "COMPLETED"]
    job = braket.get_job(jobArn=arn)
    kinds = [event["eventType"] for event in job["events"]]
    assert kinds[0] == "QUEUED_FOR_EXECUTION"
    assert "RUNNING" in kinds
    assert kinds[-1] == "COMPLETED"
    assert job["createdAt"] <= job["startedAt"] <= job["endedAt"]
    # billableDuration is milliseconds of instance time: this job runs for 1 s.
    assert job["billableDuration"] == 1000


def test_get_job_failure_marker_ends_failed_with_reason(braket: Any) -> None:
    request = job_request(hyperParameters={"braket.local.fail": "ImportError: no module algo"})
    arn = braket.create_job(**request)["jobArn"]
    job = wait_for(braket, arn, {"FAILED", "COMPLETED"})
    assert job["status"] == "FAILED"
    assert job["failureReason"] == "ImportError: no module algo"
    assert job["events"][-1]["eventType"] == "FAILED"


def test_get_job_max_runtime_exceeded_fails(braket: Any) -> None:
    request = job_request(
        hyperParameters={"braket.local.run_seconds": "5"},
        stoppingCondition={"maxRuntimeInSeconds": 1},
    )
    arn = braket.create_job(**request)["jobArn"]
    job = wait_for(braket, arn, {"FAILED", "COMPLETED"})
    assert job["status"] == "FAILED"
    assert job["events"][-1]["eventType"] == "MAX_RUNTIME_EXCEEDED"


def test_get_job_queue_info_when_requested(braket: Any) -> None:
    arn = braket.create_job(**job_request(hyperParameters={"braket.local.queue_seconds": "30"}))[
        "jobArn"
    ]
    job = braket.get_job(jobArn=arn, additionalAttributeNames=["QueueInfo"])
    assert job["queueInfo"]["queue"] == "JOBS_QUEUE"
    assert int(job["queueInfo"]["position"]) >= 1
    assert "queueInfo" not in braket.get_job(jobArn=arn)
    braket.cancel_job(jobArn=arn)


def test_get_job_unknown_arn_not_found(braket: Any) -> None:
    arn = "arn:aws:braket:us-east-1:123456789012:job/does-not-exist"
    with pytest.raises(braket.exceptions.ResourceNotFoundException) as caught:
        braket.get_job(jobArn=arn)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert caught.value.response["Error"]["Message"] == f"Job {arn} not found"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_get_job_other_region_not_found(shared_service: Service) -> None:
    east = shared_service.client(region="us-east-1")
    west = shared_service.client(region="us-west-2")
    arn = east.create_job(**job_request())["jobArn"]
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.get_job(jobArn=arn)


def test_cancel_job_running_goes_cancelling_then_cancelled(braket: Any) -> None:
    request = job_request(hyperParameters={"braket.local.run_seconds": "30"})
    arn = braket.create_job(**request)["jobArn"]
    wait_for(braket, arn, {"RUNNING"})
    answer = braket.cancel_job(jobArn=arn)
    assert answer["cancellationStatus"] == "CANCELLING"
    assert answer["jobArn"] == arn
    assert braket.get_job(jobArn=arn)["status"] == "CANCELLING"
    job = wait_for(braket, arn, {"CANCELLED"})
    assert job["status"] == "CANCELLED"
    assert job["events"][-1]["eventType"] == "CANCELLED"
    assert "endedAt" in job


def test_cancel_job_again_is_idempotent(braket: Any) -> None:
    arn = braket.create_job(**job_request(hyperParameters={"braket.local.run_seconds": "30"}))[
        "jobArn"
    ]
    assert braket.cancel_job(jobArn=arn)["cancellationStatus"] == "CANCELLING"
    assert braket.cancel_job(jobArn=arn)["cancellationStatus"] == "CANCELLING"
    wait_for(braket, arn, {"CANCELLED"})
    assert braket.cancel_job(jobArn=arn)["cancellationStatus"] == "CANCELLED"


def test_cancel_job_completed_conflict(braket: Any) -> None:
    arn = braket.create_job(**job_request())["jobArn"]
    wait_for(braket, arn, {"COMPLETED"})
    with pytest.raises(braket.exceptions.ConflictException) as caught:
        braket.cancel_job(jobArn=arn)
    assert caught.value.response["Error"]["Message"] == (
        f"Job {arn} is already COMPLETED and cannot be cancelled"
    )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_create_job_same_client_token_same_arn(braket: Any) -> None:
    request = job_request()
    first = braket.create_job(**request)["jobArn"]
    second = braket.create_job(**request)["jobArn"]
    assert first == second
    found = braket.search_jobs(
        filters=[{"name": "jobName", "operator": "EQUAL", "values": [request["jobName"]]}]
    )["jobs"]
    assert [job["jobArn"] for job in found] == [first]


def test_create_job_token_reused_with_other_inputs_conflict(braket: Any) -> None:
    request = job_request()
    arn = braket.create_job(**request)["jobArn"]
    with pytest.raises(braket.exceptions.ConflictException) as caught:
        braket.create_job(**{**request, "jobName": "another-name"})
    assert caught.value.response["Error"]["Message"] == (
        f"clientToken {request['clientToken']} was already used to create {arn} with "
        "different parameters"
    )


def test_create_job_offline_device_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.DeviceOfflineException) as caught:
        braket.create_job(**job_request(deviceConfig={"device": OFFLINE}))
    assert caught.value.response["Error"]["Message"] == f"Device {OFFLINE} is offline"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 424


def test_create_job_retired_device_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.DeviceRetiredException) as caught:
        braket.create_job(**job_request(deviceConfig={"device": RETIRED}))
    assert caught.value.response["Error"]["Message"] == f"Device {RETIRED} is retired"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410


def test_create_job_qpu_in_other_region_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.create_job(**job_request(deviceConfig={"device": WEST_QPU}))
    assert caught.value.response["Error"]["Message"] == (
        f"deviceConfig.device: device {WEST_QPU} is in region us-west-1, not us-east-1; "
        "call Braket in us-west-1"
    )


def test_create_job_unknown_device_refused(braket: Any) -> None:
    device = "arn:aws:braket:::device/quantum-simulator/amazon/nope"
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.create_job(**job_request(deviceConfig={"device": device}))
    assert caught.value.response["Error"]["Message"] == (
        f"deviceConfig.device: device {device} does not exist"
    )


def test_create_job_local_simulator_device_accepted(braket: Any) -> None:
    arn = braket.create_job(**job_request(deviceConfig={"device": "local:braket/default"}))[
        "jobArn"
    ]
    assert braket.get_job(jobArn=arn)["deviceConfig"] == {"device": "local:braket/default"}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"jobName": "bad_name"}, "jobName: String should match pattern"),
        ({"jobName": "x" * 51}, "jobName: String should have at most 50 characters"),
        (
            {"instanceConfig": {"instanceType": "ml.nope", "volumeSizeInGb": 30}},
            "instanceConfig.instanceType: must be one of the model's",
        ),
        (
            {"instanceConfig": {"instanceType": "ml.m5.large", "volumeSizeInGb": 0}},
            "instanceConfig.volumeSizeInGb: Input should be greater than or equal to 1",
        ),
        (
            {"stoppingCondition": {"maxRuntimeInSeconds": 432001}},
            "stoppingCondition.maxRuntimeInSeconds: Input should be less than or equal to 432000",
        ),
        ({"roleArn": "arn:aws:iam::123:role/x"}, "roleArn: String should match pattern"),
        (
            {"hyperParameters": {f"k{i}": "v" for i in range(101)}},
            "hyperParameters: Dictionary should have at most 100 items",
        ),
        (
            {
                "inputDataConfig": [
                    {"channelName": f"c{i}", "dataSource": {"s3DataSource": {"s3Uri": "s3://b/k"}}}
                    for i in range(21)
                ]
            },
            "inputDataConfig: List should have at most 20 items",
        ),
        ({"clientToken": "t" * 65}, "clientToken: String should have at most 64 characters"),
    ],
)
def test_create_job_invalid_member_validation_exception(
    braket_unchecked: Any, overrides: dict[str, Any], expected: str
) -> None:
    with pytest.raises(braket_unchecked.exceptions.ValidationException) as caught:
        braket_unchecked.create_job(**job_request(**overrides))
    message = caught.value.response["Error"]["Message"]
    assert message.startswith("1 validation error detected: ")
    assert expected in message
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_create_job_many_problems_reported_at_once(braket_unchecked: Any) -> None:
    request = job_request(jobName="bad_name", roleArn="nope")
    del request["deviceConfig"]
    with pytest.raises(braket_unchecked.exceptions.ValidationException) as caught:
        braket_unchecked.create_job(**request)
    message = caught.value.response["Error"]["Message"]
    assert message.startswith("3 validation errors detected: ")
    for part in ("jobName:", "roleArn:", "deviceConfig: is required"):
        assert part in message


def test_create_job_quota_exceeded(new_service: Any) -> None:
    service = new_service(max_concurrent_jobs="2", job_run_seconds="30")
    client = service.client()
    client.create_job(**job_request())
    client.create_job(**job_request())
    with pytest.raises(client.exceptions.ServiceQuotaExceededException) as caught:
        client.create_job(**job_request())
    assert caught.value.response["Error"]["Message"] == (
        "Concurrent hybrid job quota of 2 reached in us-east-1; wait for a job to end or cancel one"
    )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 402
    # Quota is per region, as the service quota is.
    service.client(region="us-west-2").create_job(**job_request())
