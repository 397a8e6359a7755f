"""Quantum tasks and devices on the local service, through real boto3 over HTTP."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest

SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
OFFLINE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
RETIRED = "arn:aws:braket:us-east-1::device/qpu/ionq/Harmony"
BELL = "OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncnot q[0], q[1];\nc = measure q;"


def openqasm(source: str = BELL) -> str:
    return json.dumps(
        {
            "braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"},
            "source": source,
        }
    )


def task_request(**overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "clientToken": uuid.uuid4().hex,
        "deviceArn": SV1,
        "shots": 100,
        "outputS3Bucket": "amazon-braket-us-east-1-123456789012",
        "outputS3KeyPrefix": "tasks",
        "action": openqasm(),
    }
    request.update(overrides)
    return request


def statuses(client: Any, arn: str, until: str, timeout: float = 10.0) -> list[str]:
    seen = [client.get_quantum_task(quantumTaskArn=arn)["status"]]
    deadline = time.monotonic() + timeout
    while seen[-1] != until and time.monotonic() < deadline:
        status = client.get_quantum_task(quantumTaskArn=arn)["status"]
        if status != seen[-1]:
            seen.append(status)
        time.sleep(0.01)
    return seen


def test_create_quantum_task_lifecycle_created_queued_running_completed(
    new_service: Any,
) -> None:
    # Phases of half a second or more, so a loaded machine still sees every one.
    service = new_service(task_created_seconds="0.5", task_queue_seconds="0.5")
    braket = service.client()
    arn = braket.create_quantum_task(
        **task_request(tags={"exp": "bell", "braket.local.run_seconds": "0.5"})
    )["quantumTaskArn"]
    assert arn.startswith("arn:aws:braket:us-east-1:123456789012:quantum-task/")
    assert statuses(braket, arn, "COMPLETED") == ["CREATED", "QUEUED", "RUNNING", "COMPLETED"]
    task = braket.get_quantum_task(quantumTaskArn=arn)
    assert task["deviceArn"] == SV1
    assert task["shots"] == 100
    assert task["numSuccessfulShots"] == 100
    assert task["outputS3Directory"] == f"tasks/{arn.rsplit('/', 1)[1]}"
    assert task["tags"] == {"exp": "bell", "braket.local.run_seconds": "0.5"}
    assert task["deviceParameters"] == "{}"
    assert task["actionMetadata"]["actionType"] == "braket.ir.openqasm.program"
    assert task["createdAt"] <= task["endedAt"]


def test_create_quantum_task_same_token_same_arn(braket: Any) -> None:
    request = task_request()
    assert (
        braket.create_quantum_task(**request)["quantumTaskArn"]
        == braket.create_quantum_task(**request)["quantumTaskArn"]
    )


def test_create_quantum_task_token_reused_with_other_inputs_refused(braket: Any) -> None:
    request = task_request()
    arn = braket.create_quantum_task(**request)["quantumTaskArn"]
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.create_quantum_task(**{**request, "shots": 5})
    assert caught.value.response["Error"]["Message"] == (
        f"clientToken {request['clientToken']} was already used to create {arn} with "
        "different parameters"
    )


def test_create_quantum_task_failure_marker_fails(braket: Any) -> None:
    request = task_request(tags={"braket.local.fail": "Qubit 1 is not calibrated"})
    arn = braket.create_quantum_task(**request)["quantumTaskArn"]
    assert statuses(braket, arn, "FAILED")[-1] == "FAILED"
    assert braket.get_quantum_task(quantumTaskArn=arn)["failureReason"] == (
        "Qubit 1 is not calibrated"
    )


def test_create_quantum_task_offline_device_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.DeviceOfflineException) as caught:
        braket.create_quantum_task(**task_request(deviceArn=OFFLINE))
    assert caught.value.response["Error"]["Message"] == f"Device {OFFLINE} is offline"


def test_create_quantum_task_retired_device_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.DeviceRetiredException) as caught:
        braket.create_quantum_task(**task_request(deviceArn=RETIRED))
    assert caught.value.response["Error"]["Message"] == f"Device {RETIRED} is retired"


def test_create_quantum_task_unsupported_action_refused(braket: Any) -> None:
    action = json.dumps({"braketSchemaHeader": {"name": "braket.ir.ahs.program", "version": "1"}})
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.create_quantum_task(**task_request(action=action))
    message = caught.value.response["Error"]["Message"]
    assert message.startswith(
        f"action: braketSchemaHeader.name 'braket.ir.ahs.program' is not supported by {SV1}"
    )


def test_create_quantum_task_action_not_json_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.create_quantum_task(**task_request(action="OPENQASM 3; h q;"))
    assert caught.value.response["Error"]["Message"].startswith("action: not valid JSON")


def test_create_quantum_task_negative_shots_validation(braket_unchecked: Any) -> None:
    with pytest.raises(braket_unchecked.exceptions.ValidationException) as caught:
        braket_unchecked.create_quantum_task(**task_request(shots=-1))
    assert caught.value.response["Error"]["Message"] == (
        "1 validation error detected: shots: Input should be greater than or equal to 0"
    )


def test_cancel_quantum_task_running_then_cancelled(braket: Any) -> None:
    request = task_request(tags={"braket.local.run_seconds": "30"})
    arn = braket.create_quantum_task(**request)["quantumTaskArn"]
    statuses(braket, arn, "RUNNING")
    answer = braket.cancel_quantum_task(quantumTaskArn=arn, clientToken=uuid.uuid4().hex)
    assert answer == {**answer, "quantumTaskArn": arn, "cancellationStatus": "CANCELLING"}
    assert statuses(braket, arn, "CANCELLED")[-1] == "CANCELLED"


def test_cancel_quantum_task_completed_conflict(braket: Any) -> None:
    arn = braket.create_quantum_task(**task_request())["quantumTaskArn"]
    statuses(braket, arn, "COMPLETED")
    with pytest.raises(braket.exceptions.ConflictException) as caught:
        braket.cancel_quantum_task(quantumTaskArn=arn, clientToken=uuid.uuid4().hex)
    assert caught.value.response["Error"]["Message"] == (
        f"Quantum task {arn} is already COMPLETED and cannot be cancelled"
    )


def test_get_quantum_task_unknown_not_found(braket: Any) -> None:
    arn = "arn:aws:braket:us-east-1:123456789012:quantum-task/nope"
    with pytest.raises(braket.exceptions.ResourceNotFoundException) as caught:
        braket.get_quantum_task(quantumTaskArn=arn)
    assert caught.value.response["Error"]["Message"] == f"Quantum task {arn} not found"


def test_get_device_simulator_with_capabilities(braket: Any) -> None:
    device = braket.get_device(deviceArn=SV1)
    assert device["deviceName"] == "SV1"
    assert device["deviceType"] == "SIMULATOR"
    assert device["deviceStatus"] == "ONLINE"
    capabilities = json.loads(device["deviceCapabilities"])
    assert "braket.ir.openqasm.program" in capabilities["action"]
    assert {queue["queue"] for queue in device["deviceQueueInfo"]} == {
        "QUANTUM_TASKS_QUEUE",
        "JOBS_QUEUE",
    }


def test_get_device_qpu_in_other_region_not_found(shared_service: Any) -> None:
    west = shared_service.client(region="us-west-2")
    with pytest.raises(west.exceptions.ResourceNotFoundException) as caught:
        west.get_device(deviceArn=FORTE)
    assert caught.value.response["Error"]["Message"] == (
        f"Device {FORTE} not found in region us-west-2"
    )


def test_search_devices_filters_and_region(shared_service: Any) -> None:
    east = shared_service.client(region="us-east-1")
    found = east.search_devices(filters=[])["devices"]
    qpus = {device["deviceArn"] for device in found if device["deviceType"] == "QPU"}
    assert qpus >= {FORTE, OFFLINE, RETIRED}
    # Besides us-east-1's QPUs, the retired ones whose ARNs predate regions are listed everywhere.
    assert all(":us-east-1:" in arn or ":::" in arn for arn in qpus)
    by_arn = east.search_devices(filters=[{"name": "deviceArn", "values": [RETIRED, SV1]}])
    assert [device["deviceArn"] for device in by_arn["devices"]] == [SV1, RETIRED]
    west = shared_service.client(region="us-west-1")
    names = {device["deviceName"] for device in west.search_devices(filters=[])["devices"]}
    assert {"SV1", "DM1", "TN1", "Ankaa-3"} <= names
    assert "Forte 1" not in names


def test_search_devices_paginator_pages(braket: Any) -> None:
    pages = list(
        braket.get_paginator("search_devices").paginate(
            filters=[], PaginationConfig={"PageSize": 2}
        )
    )
    arns = [device["deviceArn"] for page in pages for device in page["devices"]]
    assert len(pages) >= 3
    assert len(arns) == len(set(arns))
    assert SV1 in arns


def test_search_devices_unknown_filter_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.search_devices(filters=[{"name": "qubits", "values": ["5"]}])
    assert caught.value.response["Error"]["Message"] == (
        "filters[0].name: 'qubits' is not a filter of SearchDevices; valid names: deviceArn"
    )


def test_search_devices_without_setting_lists_current_devices_online(new_service: Any) -> None:
    # What real code sees: every device Braket lists as online is ONLINE, and runs tasks.
    service = new_service(device_status="")
    braket = service.client()
    found = {
        device["deviceArn"]: device["deviceStatus"]
        for device in braket.search_devices(filters=[])["devices"]
    }
    assert found[OFFLINE] == "ONLINE"
    assert found[RETIRED] == "RETIRED"
    arn = braket.create_quantum_task(**task_request(deviceArn=OFFLINE))["quantumTaskArn"]
    assert braket.get_quantum_task(quantumTaskArn=arn)["deviceArn"] == OFFLINE


def test_settings_device_status_marks_a_device_at_runtime(new_service: Any) -> None:
    service = new_service(device_status="")
    braket = service.client()
    changed = service.configure(device_status="ionq/forte-1=RETIRED")
    assert changed["device_status"] == {FORTE: "RETIRED"}
    assert braket.get_device(deviceArn=FORTE)["deviceStatus"] == "RETIRED"
    with pytest.raises(braket.exceptions.DeviceRetiredException) as caught:
        braket.create_quantum_task(**task_request(deviceArn=FORTE))
    assert caught.value.response["Error"]["Message"] == f"Device {FORTE} is retired"
    service.configure(device_status="")
    assert braket.get_device(deviceArn=FORTE)["deviceStatus"] == "ONLINE"
