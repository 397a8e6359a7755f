"""Unmodified AWS clients against the local service: the AWS CLI and the Amazon Braket SDK.

Nothing here is mocked, stubbed or patched. The AWS CLI runs as a subprocess and the Braket SDK
builds its own boto3 clients; both are given only an endpoint (AWS_ENDPOINT_URL), fake
credentials and a region, and reach the service over HTTP on 127.0.0.1. HOME points at an empty
temporary directory so no user configuration or profile leaks in.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from braket.aws import AwsDevice, AwsDeviceType, AwsQuantumJob, AwsQuantumTask, AwsSession
from braket.circuits import Circuit
from braket.device_schema.rigetti import RigettiDeviceCapabilitiesV2
from braket.device_schema.simulators import GateModelSimulatorDeviceCapabilities

from tests.conftest import Service

AWS_CLI = str(Path(sys.executable).parent / "aws")
ACCOUNT = "123456789012"
REGION = "us-east-1"
DEFAULT_BUCKET = f"amazon-braket-{REGION}-{ACCOUNT}"
SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
ANKAA_3 = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"
FORTE_ENTERPRISE_1 = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/AmazonBraketJobsExecutionRole"
OPENQASM = "braket.ir.openqasm.program"
BELL = "OPENQASM 3; qubit[2] q; h q[0]; cnot q[0], q[1];"
# Service markers (pulumi_braket.local.service.models) that stretch a lifecycle phase for one
# resource.
RUN_SECONDS = "braket.local.run_seconds"
QUEUE_SECONDS = "braket.local.queue_seconds"

# What SearchDevices lists in us-east-1: simulators, then this region's QPUs, in catalogue order.
US_EAST_1_DEVICES = [
    ("SV1", "Amazon Braket", "SIMULATOR", "ONLINE"),
    ("DM1", "Amazon Braket", "SIMULATOR", "ONLINE"),
    ("TN1", "Amazon Braket", "SIMULATOR", "ONLINE"),
    ("Forte 1", "IonQ", "QPU", "ONLINE"),
    ("Forte Enterprise 1", "IonQ", "QPU", "OFFLINE"),
    ("Harmony", "IonQ", "QPU", "RETIRED"),
    ("Aria 1", "IonQ", "QPU", "RETIRED"),
    ("Aria 2", "IonQ", "QPU", "RETIRED"),
    # Retired QPUs whose ARNs predate regions are listed in every region.
    ("Aspen-11", "Rigetti", "QPU", "RETIRED"),
    ("Aspen-10", "Rigetti", "QPU", "RETIRED"),
    ("Aspen-9", "Rigetti", "QPU", "RETIRED"),
    ("Aspen-8", "Rigetti", "QPU", "RETIRED"),
    ("Aquila", "QuEra", "QPU", "ONLINE"),
    ("Advantage_system1", "D-Wave Systems", "QPU", "RETIRED"),
    ("Advantage_system3", "D-Wave Systems", "QPU", "RETIRED"),
    ("Advantage_system4", "D-Wave Systems", "QPU", "RETIRED"),
    ("DW_2000Q_6", "D-Wave Systems", "QPU", "RETIRED"),
    ("Borealis", "Xanadu", "QPU", "RETIRED"),
]
TASK_LIFECYCLE = ["CREATED", "QUEUED", "RUNNING", "COMPLETED"]
# Variables that could steer a client somewhere other than the local service.
LEAKY_PREFIXES = ("AWS_", "BRAKET_", "AMZN_BRAKET_")


# -- helpers --------------------------------------------------------------------------------------


def cli_environment(service: Service, home: Path) -> dict[str, str]:
    """Only PATH, an empty HOME, the endpoint, the service's credentials and a region."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "AWS_ENDPOINT_URL": service.endpoint,
        "AWS_ACCESS_KEY_ID": service.access_key_id,
        "AWS_SECRET_ACCESS_KEY": service.secret_access_key,
        "AWS_DEFAULT_REGION": REGION,
    }


def aws(service: Service, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the AWS CLI with nothing but the local endpoint configured."""
    return subprocess.run(
        [AWS_CLI, *args],
        env=cli_environment(service, home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def aws_json(service: Service, home: Path, *args: str) -> Any:
    """Run the AWS CLI with ``--output json``; it must succeed."""
    done = aws(service, home, *args, "--output", "json")
    assert done.returncode == 0, f"aws {' '.join(args)} failed:\n{done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None


def point_sdk_at(monkeypatch: pytest.MonkeyPatch, home: Path, variables: dict[str, str]) -> None:
    """Clear every AWS and Braket variable, then set exactly ``variables`` and an empty HOME."""
    for name in list(os.environ):
        if name.startswith(LEAKY_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)


def wait_until(read: Callable[[], str], statuses: set[str], timeout: float = 15.0) -> list[str]:
    """Poll ``read`` until it returns one of ``statuses``; the distinct values seen, in order."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if not seen or seen[-1] != value:
            seen.append(value)
        if value in statuses:
            return seen
        assert time.monotonic() < deadline, f"still {value} after {timeout}s; saw {seen}"
        time.sleep(0.02)


def last_seq(service: Service) -> int:
    calls = service.calls()
    return int(calls[-1]["seq"]) if calls else 0


def operations_since(service: Service, seq: int) -> list[tuple[str, int]]:
    return [(c["operation"], c["status"]) for c in service.calls() if c["seq"] > seq]


def job_request(name: str, **overrides: Any) -> dict[str, Any]:
    request: dict[str, Any] = {
        "jobName": name,
        "roleArn": ROLE,
        "algorithmSpecification": {
            "scriptModeConfig": {
                "entryPoint": "algo:main",
                "s3Uri": f"s3://{DEFAULT_BUCKET}/jobs/{name}/script/source.tar.gz",
                "compressionType": "GZIP",
            }
        },
        "outputDataConfig": {"s3Path": f"s3://{DEFAULT_BUCKET}/jobs/{name}/data"},
        "instanceConfig": {"instanceType": "ml.m5.large", "volumeSizeInGb": 30},
        "deviceConfig": {"device": SV1},
    }
    request.update(overrides)
    return request


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def tar_members(service: Service, s3_uri: str) -> dict[str, bytes]:
    """The files of a .tar.gz in the service's S3, by name."""
    bucket, key = s3_uri.removeprefix("s3://").split("/", 1)
    body = service.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:
        return {
            member.name: archive.extractfile(member).read()  # type: ignore[union-attr]
            for member in archive.getmembers()
            if member.isfile()
        }


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def sdk(shared_service: Service, monkeypatch: pytest.MonkeyPatch, home: Path) -> Service:
    """The shared service, with the process environment pointing every SDK client at it."""
    point_sdk_at(monkeypatch, home, shared_service.environment(REGION))
    return shared_service


@pytest.fixture
def refused_endpoint() -> Iterator[str]:
    """A loopback address that refuses connections: a bound socket that never listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


# -- AWS CLI: Braket --------------------------------------------------------------------------


def test_search_devices_cli_lists_region_catalogue(shared_service: Service, home: Path) -> None:
    answer = aws_json(shared_service, home, "braket", "search-devices", "--filters", "[]")
    listed = [
        (d["deviceName"], d["providerName"], d["deviceType"], d["deviceStatus"])
        for d in answer["devices"]
    ]
    assert listed == US_EAST_1_DEVICES
    assert answer["devices"][0]["deviceArn"] == SV1
    assert "nextToken" not in answer


def test_search_devices_cli_page_size_follows_next_tokens(
    shared_service: Service, home: Path
) -> None:
    before = last_seq(shared_service)
    answer = aws_json(
        shared_service, home, "braket", "search-devices", "--filters", "[]", "--page-size", "2"
    )
    assert [d["deviceName"] for d in answer["devices"]] == [d[0] for d in US_EAST_1_DEVICES]
    # 18 devices in pages of two: the CLI sent the service's nextToken back eight times.
    assert operations_since(shared_service, before) == [("SearchDevices", 200)] * 9


def test_get_device_cli_returns_parsed_capabilities(shared_service: Service, home: Path) -> None:
    device = aws_json(shared_service, home, "braket", "get-device", "--device-arn", SV1)
    assert device["deviceArn"] == SV1
    assert device["deviceName"] == "SV1"
    assert device["providerName"] == "Amazon Braket"
    assert device["deviceType"] == "SIMULATOR"
    assert device["deviceStatus"] == "ONLINE"
    capabilities = json.loads(device["deviceCapabilities"])
    assert capabilities["paradigm"]["qubitCount"] == 34
    assert OPENQASM in capabilities["action"]
    assert {q["queue"] for q in device["deviceQueueInfo"]} == {"QUANTUM_TASKS_QUEUE", "JOBS_QUEUE"}


def test_create_job_cli_then_get_and_cancel(shared_service: Service, home: Path) -> None:
    name = unique("cli-job")
    request = job_request(name)
    created = aws_json(
        shared_service,
        home,
        "braket",
        "create-job",
        "--job-name",
        name,
        "--role-arn",
        ROLE,
        "--algorithm-specification",
        json.dumps(request["algorithmSpecification"]),
        "--output-data-config",
        json.dumps(request["outputDataConfig"]),
        "--instance-config",
        json.dumps(request["instanceConfig"]),
        "--device-config",
        json.dumps(request["deviceConfig"]),
        "--hyper-parameters",
        f"{RUN_SECONDS}=30,lr=0.1",
        "--tags",
        "team=qa",
    )
    arn = created["jobArn"]
    assert arn.startswith(f"arn:aws:braket:{REGION}:{ACCOUNT}:job/")

    job = aws_json(shared_service, home, "braket", "get-job", "--job-arn", arn)
    assert job["jobArn"] == arn
    assert job["jobName"] == name
    assert job["status"] in {"QUEUED", "RUNNING"}
    assert job["roleArn"] == ROLE
    assert job["hyperParameters"] == {RUN_SECONDS: "30", "lr": "0.1"}
    assert job["tags"] == {"team": "qa"}
    assert job["algorithmSpecification"] == request["algorithmSpecification"]
    assert job["instanceConfig"] == {**request["instanceConfig"], "instanceCount": 1}
    assert job["events"][0]["eventType"] == "QUEUED_FOR_EXECUTION"

    cancelled = aws_json(shared_service, home, "braket", "cancel-job", "--job-arn", arn)
    assert cancelled == {"jobArn": arn, "cancellationStatus": "CANCELLING"}

    braket = shared_service.client()
    wait_until(lambda: str(braket.get_job(jobArn=arn)["status"]), {"CANCELLED"})
    job = aws_json(shared_service, home, "braket", "get-job", "--job-arn", arn)
    assert job["status"] == "CANCELLED"
    assert job["events"][-1]["eventType"] == "CANCELLED"
    assert "endedAt" in job


def test_tag_resource_cli_then_list_and_untag(shared_service: Service, home: Path) -> None:
    braket = shared_service.client()
    arn = braket.create_job(**job_request(unique("cli-tags"), tags={"team": "qa"}))["jobArn"]

    tagged = aws(
        shared_service, home, "braket", "tag-resource", "--resource-arn", arn, "--tags", "a=1,b=2"
    )
    assert (tagged.returncode, tagged.stdout, tagged.stderr) == (0, "", "")
    listed = aws_json(
        shared_service, home, "braket", "list-tags-for-resource", "--resource-arn", arn
    )
    assert listed == {"tags": {"team": "qa", "a": "1", "b": "2"}}

    untagged = aws(
        shared_service, home, "braket", "untag-resource", "--resource-arn", arn, "--tag-keys", "a"
    )
    assert untagged.returncode == 0, untagged.stderr
    assert braket.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "qa", "b": "2"}


def test_get_job_cli_unknown_arn_exits_with_resource_not_found(
    shared_service: Service, home: Path
) -> None:
    arn = f"arn:aws:braket:{REGION}:{ACCOUNT}:job/nope"
    before = last_seq(shared_service)
    done = aws(shared_service, home, "braket", "get-job", "--job-arn", arn)
    # AWS CLI v1 exits 255 when the service answers with an error.
    assert done.returncode == 255
    assert done.stdout == ""
    assert "An error occurred (ResourceNotFoundException) when calling the GetJob operation" in (
        done.stderr
    )
    assert arn in done.stderr
    # A 404 is not retried: the service answered exactly once.
    assert operations_since(shared_service, before) == [("GetJob", 404)]


def test_create_quantum_task_cli_then_get_and_cancel(shared_service: Service, home: Path) -> None:
    bucket = unique("cli-tasks")
    action = {"braketSchemaHeader": {"name": OPENQASM, "version": "1"}, "source": BELL}
    created = aws_json(
        shared_service,
        home,
        "braket",
        "create-quantum-task",
        "--device-arn",
        SV1,
        "--shots",
        "100",
        "--output-s3-bucket",
        bucket,
        "--output-s3-key-prefix",
        "bell",
        "--action",
        json.dumps(action),
        "--tags",
        f"{RUN_SECONDS}=30",
    )
    arn = created["quantumTaskArn"]
    task_id = arn.rsplit("/", 1)[1]
    assert arn == f"arn:aws:braket:{REGION}:{ACCOUNT}:quantum-task/{task_id}"

    task = aws_json(shared_service, home, "braket", "get-quantum-task", "--quantum-task-arn", arn)
    assert task["status"] in {"CREATED", "QUEUED", "RUNNING"}
    assert task["deviceArn"] == SV1
    assert task["shots"] == 100
    assert task["outputS3Bucket"] == bucket
    assert task["outputS3Directory"] == f"bell/{task_id}"
    assert task["actionMetadata"] == {"actionType": OPENQASM, "programCount": 1}

    cancelled = aws_json(
        shared_service, home, "braket", "cancel-quantum-task", "--quantum-task-arn", arn
    )
    assert cancelled == {"quantumTaskArn": arn, "cancellationStatus": "CANCELLING"}


# -- AWS CLI: S3 and STS through the same endpoint ------------------------------------------------


def test_s3_cli_mb_then_cp_up_and_down(shared_service: Service, home: Path) -> None:
    bucket = unique("cli-bucket")
    made = aws(shared_service, home, "s3", "mb", f"s3://{bucket}")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"make_bucket: {bucket}"

    source = home / "hello.txt"
    source.write_text("hello from the AWS CLI\n")
    uploaded = aws(shared_service, home, "s3", "cp", str(source), f"s3://{bucket}/dir/hello.txt")
    assert uploaded.returncode == 0, uploaded.stderr
    assert f"upload: ./hello.txt to s3://{bucket}/dir/hello.txt" in uploaded.stdout

    downloaded = aws(shared_service, home, "s3", "cp", f"s3://{bucket}/dir/hello.txt", "-")
    assert downloaded.returncode == 0, downloaded.stderr
    assert downloaded.stdout == "hello from the AWS CLI\n"

    # The object is in the service's S3, where boto3 (and the Braket SDK) will find it.
    s3 = shared_service.client("s3")
    body = s3.get_object(Bucket=bucket, Key="dir/hello.txt")["Body"].read()
    assert body == b"hello from the AWS CLI\n"


def test_get_caller_identity_cli_matches_braket_account(
    shared_service: Service, home: Path
) -> None:
    identity = aws_json(shared_service, home, "sts", "get-caller-identity")
    assert identity["Account"] == ACCOUNT
    assert identity["Arn"].startswith(f"arn:aws:sts::{ACCOUNT}:")
    # Braket ARNs name the same account, so the SDK's default bucket name agrees with both.
    arn = shared_service.client().create_job(**job_request(unique("account")))["jobArn"]
    assert arn.split(":")[4] == identity["Account"]


# -- Braket SDK: devices ----------------------------------------------------------------------


def test_aws_device_sv1_loads_name_status_and_properties(sdk: Service) -> None:
    device = AwsDevice(SV1)
    assert device.arn == SV1
    assert device.name == "SV1"
    assert device.status == "ONLINE"
    assert device.type == AwsDeviceType.SIMULATOR
    assert device.provider_name == "Amazon Braket"
    assert device.is_available is True
    assert device.aws_session.region == REGION
    assert isinstance(device.properties, GateModelSimulatorDeviceCapabilities)
    assert device.properties.paradigm.qubitCount == 34
    assert OPENQASM in device.properties.action
    assert device.properties.service.shotsRange == (0, 100000)
    depth = device.queue_depth()
    assert depth.jobs == "0"
    assert set(depth.quantum_tasks.values()) == {"0"}


def test_aws_device_qpu_in_other_region_switches_session_region(sdk: Service) -> None:
    device = AwsDevice(ANKAA_3)
    assert device.name == "Ankaa-3"
    assert device.status == "ONLINE"
    assert device.type == AwsDeviceType.QPU
    assert device.aws_session.region == "us-west-1"
    assert isinstance(device.properties, RigettiDeviceCapabilitiesV2)
    assert device.properties.paradigm.qubitCount == 84
    assert device.topology_graph.number_of_nodes() == 84


def test_aws_device_unknown_simulator_raises_value_error(sdk: Service) -> None:
    # The SDK turns the service's ResourceNotFoundException into its own ValueError.
    with pytest.raises(ValueError, match=f"not found in '{REGION}'"):
        AwsDevice("arn:aws:braket:::device/quantum-simulator/amazon/nope")


def test_get_devices_sdk_searches_every_region_and_skips_retired(
    new_service: Callable[..., Service], monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    service = new_service()
    point_sdk_at(monkeypatch, home, service.environment(REGION))
    devices = AwsDevice.get_devices()
    assert [d.name for d in devices] == [
        "Ankaa-3",
        "Aquila",
        "Cepheus-1-108Q",
        "DM1",
        "Emerald",
        "Forte 1",
        "Forte Enterprise 1",
        "Garnet",
        "IBEX Q1",
        "SV1",
        "TN1",
    ]
    regions = {d.name: d.aws_session.region for d in devices}
    assert regions["Ankaa-3"] == regions["Cepheus-1-108Q"] == "us-west-1"
    assert regions["Garnet"] == regions["Emerald"] == regions["IBEX Q1"] == "eu-north-1"
    assert regions["SV1"] == REGION
    calls = [(c["operation"], c["status"]) for c in service.calls()]
    # One SearchDevices per region the SDK knows, then one GetDevice per device it builds.
    assert calls.count(("SearchDevices", 200)) == len(AwsDevice.REGIONS) == 5
    assert calls.count(("GetDevice", 200)) == len(devices)
    assert len(calls) == 5 + len(devices)


def test_get_devices_sdk_retired_filter_finds_them_in_their_regions(sdk: Service) -> None:
    devices = AwsDevice.get_devices(statuses=["RETIRED"], order_by="arn")
    # ARNs without a region sort first; the service lists them in every region, so the SDK
    # finds them in the session's own.
    assert [(d.name, d.aws_session.region) for d in devices] == [
        ("Advantage_system1", REGION),
        ("Advantage_system3", REGION),
        ("Advantage_system4", REGION),
        ("DW_2000Q_6", REGION),
        ("Aspen-10", REGION),
        ("Aspen-11", REGION),
        ("Aspen-8", REGION),
        ("Aspen-9", REGION),
        ("Lucy", "eu-west-2"),
        ("Aria 1", "us-east-1"),
        ("Aria 2", "us-east-1"),
        ("Harmony", "us-east-1"),
        ("Borealis", "us-east-1"),
        ("Ankaa-2", "us-west-1"),
        ("Aspen-M-1", "us-west-1"),
        ("Aspen-M-2", "us-west-1"),
        ("Aspen-M-3", "us-west-1"),
        ("Advantage_system6", "us-west-2"),
    ]


def test_get_devices_sdk_simulators_searches_session_region_only(sdk: Service) -> None:
    before = last_seq(sdk)
    devices = AwsDevice.get_devices(types=[AwsDeviceType.SIMULATOR])
    assert [d.arn for d in devices] == [
        "arn:aws:braket:::device/quantum-simulator/amazon/dm1",
        SV1,
        "arn:aws:braket:::device/quantum-simulator/amazon/tn1",
    ]
    assert operations_since(sdk, before) == [("SearchDevices", 200)] + [("GetDevice", 200)] * 3


def test_get_devices_sdk_braket_endpoint_variable_reaches_every_region(
    shared_service: Service,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
    refused_endpoint: str,
) -> None:
    # The SDK's own BRAKET_ENDPOINT wins over AWS_ENDPOINT_URL for Braket clients, including
    # the per-region copies get_devices makes; anything else would hit the refusing port.
    variables = {**shared_service.environment(REGION), "AWS_ENDPOINT_URL": refused_endpoint}
    point_sdk_at(monkeypatch, home, {**variables, "BRAKET_ENDPOINT": shared_service.endpoint})
    devices = AwsDevice.get_devices(provider_names=["Rigetti", "IQM"])
    assert [(d.name, d.aws_session.region) for d in devices] == [
        ("Ankaa-3", "us-west-1"),
        ("Cepheus-1-108Q", "us-west-1"),
        ("Emerald", "eu-north-1"),
        ("Garnet", "eu-north-1"),
    ]


# -- Braket SDK: quantum tasks ----------------------------------------------------------------


def test_run_sdk_circuit_task_moves_through_lifecycle_to_completed(sdk: Service) -> None:
    bucket = unique("sdk-tasks")
    task = AwsDevice(SV1).run(
        Circuit().h(0).cnot(0, 1), s3_destination_folder=(bucket, "prefix"), shots=10
    )
    task_id = task.id.rsplit("/", 1)[1]
    assert task.id == f"arn:aws:braket:{REGION}:{ACCOUNT}:quantum-task/{task_id}"

    seen = wait_until(task.state, {"COMPLETED", "FAILED", "CANCELLED"})
    assert seen[-1] == "COMPLETED"
    assert "RUNNING" in seen
    assert seen == sorted(seen, key=TASK_LIFECYCLE.index)

    metadata = task.metadata()
    assert metadata["status"] == "COMPLETED"
    assert metadata["deviceArn"] == SV1
    assert metadata["shots"] == 10
    assert metadata["numSuccessfulShots"] == 10
    assert metadata["outputS3Bucket"] == bucket
    assert metadata["outputS3Directory"] == f"prefix/{task_id}"
    assert metadata["endedAt"] > metadata["createdAt"]
    parameters = json.loads(metadata["deviceParameters"])
    assert parameters["paradigmParameters"]["qubitCount"] == 2
    assert metadata["actionMetadata"]["actionType"] == OPENQASM


def test_run_sdk_without_destination_creates_default_bucket(sdk: Service) -> None:
    # The SDK asks STS for the account, then creates amazon-braket-<region>-<account> in S3.
    task = AwsDevice(SV1).run(Circuit().h(0), shots=5)
    metadata = task.metadata()
    assert metadata["outputS3Bucket"] == DEFAULT_BUCKET
    assert metadata["outputS3Directory"] == f"tasks/{task.id.rsplit('/', 1)[1]}"
    buckets = [b["Name"] for b in sdk.client("s3").list_buckets()["Buckets"]]
    assert DEFAULT_BUCKET in buckets


def test_cancel_sdk_quantum_task_while_running(sdk: Service) -> None:
    task = AwsDevice(SV1).run(
        Circuit().h(0),
        s3_destination_folder=(unique("sdk-cancel"), "prefix"),
        shots=10,
        tags={RUN_SECONDS: "30"},
    )
    same = AwsQuantumTask(task.id)
    wait_until(same.state, {"RUNNING"})
    assert same.cancel() is None
    assert wait_until(same.state, {"CANCELLED"})[-1] == "CANCELLED"
    metadata = same.metadata()
    assert metadata["status"] == "CANCELLED"
    assert metadata["tags"] == {RUN_SECONDS: "30"}
    assert "endedAt" in metadata


def test_aws_quantum_task_sdk_unknown_arn_raises_resource_not_found(sdk: Service) -> None:
    arn = f"arn:aws:braket:{REGION}:{ACCOUNT}:quantum-task/nope"
    before = last_seq(sdk)
    with pytest.raises(ClientError) as raised:
        AwsQuantumTask(arn).state()
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    # The SDK retries GetQuantumTask on ResourceNotFoundException (eventual consistency).
    assert operations_since(sdk, before) == [("GetQuantumTask", 404)] * 3


def test_run_sdk_offline_device_raises_device_offline(sdk: Service) -> None:
    device = AwsDevice(FORTE_ENTERPRISE_1)
    assert device.status == "OFFLINE"
    assert device.is_available is False
    with pytest.raises(ClientError) as raised:
        device.run(Circuit().h(0), s3_destination_folder=(unique("sdk-off"), "p"), shots=10)
    assert raised.value.response["Error"]["Code"] == "DeviceOfflineException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 424


def test_run_batch_sdk_tasks_all_complete(sdk: Service) -> None:
    bucket = unique("sdk-batch")
    batch = AwsDevice(SV1).run_batch(
        [Circuit().h(0), Circuit().x(0).cnot(0, 1)],
        s3_destination_folder=(bucket, "batch"),
        shots=10,
    )
    assert len(batch.tasks) == 2
    assert batch.unsuccessful == set()
    for task in batch.tasks:
        assert wait_until(task.state, {"COMPLETED", "FAILED", "CANCELLED"})[-1] == "COMPLETED"
        assert task.metadata()["outputS3Bucket"] == bucket


def test_aws_session_explicit_braket_client_runs_task_without_endpoint_variable(
    shared_service: Service,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
    refused_endpoint: str,
) -> None:
    # Only the Braket client knows the service; any client the SDK builds itself would go to
    # the refusing port and fail the test.
    point_sdk_at(monkeypatch, home, {"AWS_ENDPOINT_URL": refused_endpoint})
    boto_session = boto3.Session(
        aws_access_key_id=shared_service.access_key_id,
        aws_secret_access_key=shared_service.secret_access_key,
        region_name=REGION,
    )
    braket = boto_session.client("braket", endpoint_url=shared_service.endpoint)
    session = AwsSession(boto_session=boto_session, braket_client=braket)
    device = AwsDevice(SV1, aws_session=session)
    assert device.name == "SV1"
    task = device.run(Circuit().h(0), s3_destination_folder=(unique("explicit"), "p"), shots=5)
    same = AwsQuantumTask(task.id, aws_session=session)
    assert wait_until(same.state, {"COMPLETED", "FAILED", "CANCELLED"})[-1] == "COMPLETED"


# -- Braket SDK: hybrid jobs ------------------------------------------------------------------


def test_aws_quantum_job_sdk_reads_and_cancels_boto3_job(sdk: Service) -> None:
    name = unique("boto-job")
    request = job_request(name, hyperParameters={QUEUE_SECONDS: "30"})
    arn = sdk.client().create_job(**request)["jobArn"]

    job = AwsQuantumJob(arn)
    assert job.arn == arn
    assert job.name == name
    assert job.state() == "QUEUED"
    metadata = job.metadata()
    assert metadata["jobName"] == name
    assert metadata["roleArn"] == ROLE
    assert metadata["deviceConfig"] == {"device": SV1}
    assert metadata["algorithmSpecification"] == request["algorithmSpecification"]
    assert metadata["hyperParameters"] == {QUEUE_SECONDS: "30"}
    assert [e["eventType"] for e in metadata["events"]] == ["QUEUED_FOR_EXECUTION"]
    position = job.queue_position().queue_position
    assert position is not None
    assert int(position) >= 1

    assert job.cancel() == "CANCELLING"
    assert wait_until(job.state, {"CANCELLED"})[-1] == "CANCELLED"
    assert job.metadata()["events"][-1]["eventType"] == "CANCELLED"


def test_create_sdk_job_uploads_source_and_job_runs(sdk: Service, tmp_path: Path) -> None:
    source = tmp_path / "algo.py"
    source.write_text("def main() -> None:\n    print('hello from algo')\n")
    name = unique("sdk-job")
    job = AwsQuantumJob.create(
        device=SV1,
        source_module=str(source),
        entry_point="algo:main",
        job_name=name,
        role_arn=ROLE,
        hyperparameters={"shots": "10"},
        wait_until_complete=False,
    )
    assert job.arn.startswith(f"arn:aws:braket:{REGION}:{ACCOUNT}:job/")

    # Read back with plain boto3: what the SDK sent is what the service stored.
    stored = sdk.client().get_job(jobArn=job.arn)
    assert stored["jobName"] == name
    assert stored["roleArn"] == ROLE
    assert stored["deviceConfig"] == {"device": SV1}
    assert stored["hyperParameters"] == {"shots": "10"}
    script = stored["algorithmSpecification"]["scriptModeConfig"]
    assert script["entryPoint"] == "algo:main"
    assert script["compressionType"] == "GZIP"
    assert script["s3Uri"].startswith(f"s3://{DEFAULT_BUCKET}/jobs/{name}/")
    assert script["s3Uri"].endswith("/script/source.tar.gz")
    assert stored["outputDataConfig"]["s3Path"].startswith(f"s3://{DEFAULT_BUCKET}/jobs/{name}/")

    # The SDK tarred the module and uploaded it to the service's S3 (creating the bucket).
    assert tar_members(sdk, script["s3Uri"]) == {"algo.py": source.read_bytes()}

    assert wait_until(job.state, {"COMPLETED", "FAILED", "CANCELLED"})[-1] == "COMPLETED"


def test_create_sdk_job_without_role_finds_console_role_in_iam(
    new_service: Callable[..., Service],
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
    tmp_path: Path,
) -> None:
    # A fresh service, so the role the SDK finds by listing IAM roles can only be this one.
    service = new_service()
    point_sdk_at(monkeypatch, home, service.environment(REGION))
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "braket.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = service.client("iam").create_role(
        RoleName="AmazonBraketJobsExecutionRole-local",
        Path="/service-role/",
        AssumeRolePolicyDocument=json.dumps(trust),
    )["Role"]["Arn"]
    assert role == f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonBraketJobsExecutionRole-local"

    package = tmp_path / "hybrid"
    package.mkdir()
    code = "def main() -> None:\n    pass\n"
    (package / "algo.py").write_text(code)
    job = AwsQuantumJob.create(
        device=SV1,
        source_module=str(package),
        entry_point="hybrid.algo:main",
        wait_until_complete=False,
    )
    metadata = job.metadata()
    assert metadata["roleArn"] == role
    script = metadata["algorithmSpecification"]["scriptModeConfig"]
    assert script["entryPoint"] == "hybrid.algo:main"
    assert tar_members(service, script["s3Uri"]) == {
        "hybrid/algo.py": b"def main() -> None:\n    pass\n"
    }


def test_logs_sdk_job_tails_cloudwatch_until_complete(
    sdk: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    name = unique("logs-job")
    arn = sdk.client().create_job(**job_request(name))["jobArn"]
    logs = sdk.client("logs")
    group = AwsQuantumJob.LOG_GROUP
    with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
        logs.create_log_group(logGroupName=group)
    # The stream name the SDK looks for: <job name>/<job id>/<host>.
    stream = f"{name}/{arn.rsplit('/', 1)[1]}/algo-1-1700000000"
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    now = int(time.time() * 1000)
    logs.put_log_events(
        logGroupName=group,
        logStreamName=stream,
        logEvents=[
            {"timestamp": now, "message": "hello from algo"},
            {"timestamp": now + 1, "message": "algo done"},
        ],
    )

    job = AwsQuantumJob(arn)
    job.logs(wait=True, poll_interval_seconds=0.05)
    out = capsys.readouterr().out
    assert "hello from algo\nalgo done\n" in out
    assert job.state() == "COMPLETED"


def test_result_sdk_job_without_saved_results_returns_empty(sdk: Service) -> None:
    # The local service runs no script, so no results archive is written to S3; the SDK's
    # answer for a completed job that saved nothing is an empty dict, not an error.
    arn = sdk.client().create_job(**job_request(unique("result-job")))["jobArn"]
    job = AwsQuantumJob(arn)
    assert job.result(poll_timeout_seconds=15, poll_interval_seconds=0.05) == {}
    assert job.state() == "COMPLETED"
