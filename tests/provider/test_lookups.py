"""Lookups against the local service, through real boto3 over HTTP."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pulumi
import pytest

from pulumi_braket import BraketError, lookups, searches, shapes
from pulumi_braket.lookups import (
    DeviceResult,
    JobSummary,
    QuantumTaskSummary,
    get_device,
    get_device_output,
    search_devices,
    search_devices_output,
    search_jobs,
    search_jobs_output,
    search_quantum_tasks,
    search_quantum_tasks_output,
)
from tests.conftest import Service, iam_user, use_credentials
from tests.local.test_jobs import job_request
from tests.local.test_tasks_devices import task_request

SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
DM1 = "arn:aws:braket:::device/quantum-simulator/amazon/dm1"
TN1 = "arn:aws:braket:::device/quantum-simulator/amazon/tn1"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
OFFLINE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
RETIRED = "arn:aws:braket:us-east-1::device/qpu/ionq/Harmony"
AQUILA = "arn:aws:braket:us-east-1::device/qpu/quera/Aquila"
ANKAA = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"
KNOWN_EAST = (
    "d-wave/advantage_system1, d-wave/advantage_system3, d-wave/advantage_system4, "
    "d-wave/dw_2000q_6, dm1, ionq/aria-1, ionq/aria-2, ionq/forte-1, ionq/forte-enterprise-1, "
    "ionq/harmony, quera/aquila, rigetti/aspen-10, rigetti/aspen-11, rigetti/aspen-8, "
    "rigetti/aspen-9, sv1, tn1, xanadu/borealis"
)  # fmt: skip


class World:
    """A service of its own holding three jobs and five tasks a known time apart."""

    def __init__(self) -> None:
        # Long runs keep every job and task in one state while the tests look at them.
        self.service = Service(job_run_seconds="120", task_run_seconds="120")
        client = self.service.client()
        stamp = uuid.uuid4().hex[:6]
        self.jobs: list[dict[str, Any]] = []
        for index in range(3):
            request = job_request(jobName=f"sweep-{stamp}-{index}")
            arn = client.create_job(**request)["jobArn"]
            self.jobs.append(client.get_job(jobArn=arn))
            time.sleep(0.03)
        self.tasks: list[dict[str, Any]] = []
        for index in range(5):
            extra: dict[str, Any] = {}
            if index == 3:
                extra["deviceArn"] = DM1
            if index == 4:
                # Locally a job's token is its ARN: this task belongs to the first job.
                extra["jobToken"] = self.jobs[0]["jobArn"]
            request = task_request(shots=(index + 1) * 10, **extra)
            arn = client.create_quantum_task(**request)["quantumTaskArn"]
            self.tasks.append(client.get_quantum_task(quantumTaskArn=arn))
            time.sleep(0.03)

    @property
    def where(self) -> dict[str, Any]:
        return {"endpoint_url": self.service.endpoint, "region": "us-east-1"}


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    made = World()
    yield made
    made.service.stop()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_BRAKET",
        "PULUMI_CONFIG",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ):
        monkeypatch.delenv(name, raising=False)
    use_credentials(monkeypatch)


def at(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def resolve(build: Callable[[], pulumi.Output[Any]]) -> Any:
    """The value of an Output built inside an event loop, as a Pulumi program's are."""

    async def wait() -> Any:
        return await build().future()

    return asyncio.run(wait())


def job_names(found: list[JobSummary]) -> list[str]:
    return [job.job_name for job in found]


def task_shots(found: list[QuantumTaskSummary]) -> list[int]:
    return [task.shots for task in found]


# -- get_device -------------------------------------------------------------------------------


def test_get_device_by_arn(world: World) -> None:
    device = get_device(FORTE, **world.where)
    assert isinstance(device, DeviceResult)
    assert device.arn == FORTE
    assert device.name == "Forte 1"
    assert device.provider_name == "IonQ"
    assert device.device_type == "QPU"
    assert device.status == "ONLINE"
    assert device.region == "us-east-1"
    assert "braket.ir.openqasm.program" in device.capabilities["action"]
    assert {"queue": "JOBS_QUEUE", "queue_size": "0"} in device.queue_info


@pytest.mark.parametrize(
    ("name", "arn"),
    [
        ("sv1", SV1),
        ("DM1", DM1),
        ("tn1", TN1),
        ("amazon/sv1", SV1),
        ("ionq/forte-1", FORTE),
        ("IonQ/Forte 1", FORTE),
        ("ionq/Forte-Enterprise-1", OFFLINE),
        ("quera/aquila", AQUILA),
    ],
)
def test_get_device_short_name_resolved(world: World, name: str, arn: str) -> None:
    device = get_device(name, **world.where)
    assert device.arn == arn


def test_get_device_simulator_has_no_region(world: World) -> None:
    assert get_device("sv1", **world.where).region is None


def test_get_device_qpu_of_other_region_with_region(world: World) -> None:
    device = get_device("rigetti/ankaa-3", endpoint_url=world.service.endpoint, region="us-west-1")
    assert device.arn == ANKAA
    assert device.region == "us-west-1"


def test_get_device_unknown_name_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        get_device("ionq/nope", **world.where)
    assert str(caught.value) == (
        f"get Braket device (ionq/nope): no device matches in us-east-1; known: {KNOWN_EAST}; "
        "a QPU of another region needs region=<its region>"
    )


def test_get_device_qpu_of_other_region_by_name_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        get_device("rigetti/ankaa-3", **world.where)
    assert str(caught.value).startswith(
        "get Braket device (rigetti/ankaa-3): no device matches in us-east-1; known: "
    )


def test_get_device_unknown_arn_message(world: World) -> None:
    arn = "arn:aws:braket:::device/quantum-simulator/amazon/nope"
    with pytest.raises(BraketError) as caught:
        get_device(arn, **world.where)
    assert str(caught.value) == (
        f"get Braket device ({arn}): ResourceNotFoundException: Device {arn} not found in "
        "region us-east-1"
    )


def test_get_device_arn_of_other_region_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        get_device(ANKAA, **world.where)
    assert str(caught.value) == (
        f"get Braket device ({ANKAA}): ResourceNotFoundException: Device {ANKAA} not found in "
        "region us-east-1; the device is in us-west-1: pass region='us-west-1'"
    )


def test_get_device_empty_name_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        get_device(" ", **world.where)
    assert str(caught.value) == (
        "get Braket device (): give a device ARN or a short name such as sv1"
    )


@pytest.mark.parametrize(("name", "status"), [("ionq/forte-enterprise-1", "OFFLINE"),
                                               ("ionq/harmony", "RETIRED")])  # fmt: skip
def test_get_device_unavailable_returned_with_status(world: World, name: str, status: str) -> None:
    assert get_device(name, **world.where).status == status


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "ionq/forte-enterprise-1",
            "get Braket device (ionq/forte-enterprise-1): the device is OFFLINE; wait until it "
            "is ONLINE or choose another",
        ),
        (RETIRED, f"get Braket device ({RETIRED}): the device is RETIRED; choose another device"),
    ],
    ids=["offline", "retired"],
)
def test_get_device_require_online_refuses(world: World, name: str, message: str) -> None:
    with pytest.raises(BraketError) as caught:
        get_device(name, require_online=True, **world.where)
    assert str(caught.value) == message


def test_get_device_require_online_passes_online(world: World) -> None:
    assert get_device("sv1", require_online=True, **world.where).status == "ONLINE"


def test_get_device_settings_from_pulumi_config(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # How a Pulumi program's stack config reaches the language host.
    config = {"braket:endpoint": world.service.endpoint, "aws:region": "us-east-1"}
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps(config))
    assert get_device("ionq/forte-1").arn == FORTE
    # Explicit keywords win over config.
    assert get_device("rigetti/ankaa-3", region="us-west-1").arn == ANKAA


def test_get_device_output_resolves_inputs(world: World) -> None:
    def build() -> pulumi.Output[DeviceResult]:
        name = pulumi.Output.from_input("ionq").apply(lambda provider: f"{provider}/forte-1")
        return get_device_output(name, **world.where)

    device = resolve(build)
    assert device.arn == FORTE


def test_get_device_output_settings_from_inline_program_config(world: World) -> None:
    def build() -> pulumi.Output[DeviceResult]:
        # How the Automation API hands stack config to an inline program: a context variable.
        config = {"braket:endpoint": world.service.endpoint, "aws:region": "us-east-1"}
        pulumi.runtime.set_all_config(config)
        return get_device_output("ionq/forte-1")

    assert resolve(build).arn == FORTE


def test_get_device_by_name_access_denied_message(
    new_service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = new_service()
    intern = iam_user(service, "intern")
    service.configure(deny_access_keys=intern.access_key_id)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", intern.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", intern.secret_access_key)
    with pytest.raises(BraketError) as caught:
        get_device("sv1", endpoint_url=service.endpoint, region="us-east-1")
    assert str(caught.value) == (
        "get Braket device (sv1): AccessDeniedException: User: "
        "arn:aws:iam::123456789012:user/intern is not authorized to perform: "
        "braket:SearchDevices on resource: *; the caller's credentials lack braket:SearchDevices"
    )


def test_get_device_output_error_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        resolve(lambda: get_device_output("ionq/harmony", require_online=True, **world.where))
    assert str(caught.value) == (
        "get Braket device (ionq/harmony): the device is RETIRED; choose another device"
    )


# -- search_devices ---------------------------------------------------------------------------


def test_search_devices_by_arn(world: World) -> None:
    found = search_devices([{"name": "deviceArn", "values": [SV1, FORTE]}], **world.where)
    assert [device.device_arn for device in found] == [SV1, FORTE]
    assert found[1].device_name == "Forte 1"
    assert found[1].device_status == "ONLINE"


def test_search_devices_no_filters_lists_region(world: World) -> None:
    found = search_devices(**world.where)
    # 3 simulators, 7 us-east-1 QPUs and 8 retired QPUs whose ARNs predate regions.
    assert len(found) == 18
    assert ANKAA not in {device.device_arn for device in found}


def test_search_devices_snake_case_name_and_single_value(world: World) -> None:
    found = search_devices([{"name": "device_arn", "values": RETIRED}], **world.where)
    assert [device.device_arn for device in found] == [RETIRED]
    assert found[0].device_status == "RETIRED"


def test_search_devices_equal_operator_accepted(world: World) -> None:
    found = search_devices(
        [{"name": "deviceArn", "operator": "EQUAL", "values": [SV1]}],  # type: ignore[typeddict-unknown-key]
        **world.where,
    )
    assert [device.device_arn for device in found] == [SV1]


def test_search_devices_operator_refused_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_devices(
            [{"name": "deviceArn", "operator": "GT", "values": [SV1]}],  # type: ignore[typeddict-unknown-key]
            **world.where,
        )
    assert str(caught.value) == (
        "search Braket devices (filters[0] deviceArn): operator 'GT' is not supported: "
        "SearchDevices filters take no operator and match any of their values"
    )


def test_search_devices_output_resolves_inputs(world: World) -> None:
    def build() -> pulumi.Output[list[Any]]:
        arn = get_device_output("dm1", **world.where).apply(lambda device: device.arn)
        return search_devices_output([{"name": "deviceArn", "values": [arn]}], **world.where)

    found = resolve(build)
    assert [device.device_arn for device in found] == [DM1]


# -- search_jobs ------------------------------------------------------------------------------


def test_search_jobs_name_equal(world: World) -> None:
    name = world.jobs[1]["jobName"]
    found = search_jobs([{"name": "jobName", "operator": "EQUAL", "values": [name]}], **world.where)
    assert job_names(found) == [name]
    assert found[0].job_arn == world.jobs[1]["jobArn"]
    assert found[0].device == SV1
    assert found[0].created_at == world.jobs[1]["createdAt"]


def test_search_jobs_name_contains(world: World) -> None:
    stamp = world.jobs[0]["jobName"].split("-")[1]
    found = search_jobs(
        [{"name": "jobName", "operator": "CONTAINS", "values": [stamp]}], **world.where
    )
    assert job_names(found) == [job["jobName"] for job in world.jobs]


def test_search_jobs_arn_equal(world: World) -> None:
    arn = world.jobs[2]["jobArn"]
    found = search_jobs([{"name": "job_arn", "operator": "EQUAL", "values": [arn]}], **world.where)
    assert [job.job_arn for job in found] == [arn]


def test_search_jobs_device_arn_equal(world: World) -> None:
    found = search_jobs(
        [{"name": "deviceArn", "operator": "EQUAL", "values": [SV1]}], **world.where
    )
    assert len(found) == 3


@pytest.mark.parametrize(
    ("operator", "expected"),
    [("EQUAL", [1]), ("LT", [0]), ("LTE", [0, 1]), ("GT", [2]), ("GTE", [1, 2])],
)
def test_search_jobs_created_at_compared(world: World, operator: str, expected: list[int]) -> None:
    pivot = at(world.jobs[1]["createdAt"])
    found = search_jobs(
        [{"name": "createdAt", "operator": operator, "values": [pivot]}], **world.where
    )
    assert job_names(found) == [world.jobs[i]["jobName"] for i in expected]


def test_search_jobs_created_at_between_datetimes(world: World) -> None:
    low = world.jobs[1]["createdAt"]
    high = world.jobs[2]["createdAt"] + timedelta(hours=1)
    found = search_jobs(
        [{"name": "created_at", "operator": "BETWEEN", "values": [low, high]}], **world.where
    )
    assert job_names(found) == [world.jobs[1]["jobName"], world.jobs[2]["jobName"]]


def test_search_jobs_pages_of_one(world: World) -> None:
    before = len(world.service.calls())
    found = search_jobs(page_size=1, **world.where)
    calls = [c["operation"] for c in world.service.calls()[before:]]
    assert job_names(found) == [job["jobName"] for job in world.jobs]
    assert calls == ["SearchJobs"] * 3


def test_search_jobs_unknown_operator_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_jobs([{"name": "jobName", "operator": "LIKE", "values": ["x"]}], **world.where)
    assert str(caught.value) == (
        "search Braket jobs (filters[0] jobName): operator 'LIKE' is not one of LT, LTE, EQUAL, "
        "GT, GTE, BETWEEN, CONTAINS"
    )


def test_search_jobs_missing_operator_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_jobs([{"name": "jobName", "values": ["x"]}], **world.where)  # type: ignore[typeddict-item]
    assert str(caught.value) == "search Braket jobs (filters[0] jobName): operator: is required"


def test_search_jobs_unknown_filter_name_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_jobs([{"name": "colour", "operator": "EQUAL", "values": ["red"]}], **world.where)
    assert str(caught.value) == (
        "search Braket jobs (colour EQUAL red): ValidationException: filters[0].name: 'colour' "
        "is not a filter of SearchJobs; valid names: createdAt, deviceArn, jobArn, jobName"
    )


def test_search_jobs_between_one_value_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_jobs(
            [{"name": "createdAt", "operator": "BETWEEN", "values": ["2025-01-01T00:00:00Z"]}],
            **world.where,
        )
    assert str(caught.value) == (
        "search Braket jobs (createdAt BETWEEN 2025-01-01T00:00:00Z): ValidationException: "
        "filters[0].values: operator BETWEEN takes exactly 2 value(s), got 1"
    )


def test_search_jobs_filters_not_a_list_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_jobs({"name": "jobName", "operator": "EQUAL", "values": ["x"]}, **world.where)  # type: ignore[arg-type]
    assert str(caught.value) == "search Braket jobs (filters): must be a list of filters, got dict"


def test_search_jobs_page_size_out_of_range_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_jobs(page_size=500, **world.where)
    assert (
        str(caught.value) == "search Braket jobs (no filters): page_size must be 1 to 100, got 500"
    )


def test_search_jobs_access_denied_message(
    new_service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = new_service()
    intern = iam_user(service, "intern")
    service.configure(deny_access_keys=intern.access_key_id)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", intern.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", intern.secret_access_key)
    with pytest.raises(BraketError) as caught:
        search_jobs(endpoint_url=service.endpoint, region="us-east-1")
    assert str(caught.value) == (
        "search Braket jobs (no filters): AccessDeniedException: User: "
        "arn:aws:iam::123456789012:user/intern is not authorized to perform: braket:SearchJobs "
        "on resource: *; the caller's credentials lack braket:SearchJobs"
    )


def test_search_jobs_output_resolves_inputs(world: World) -> None:
    def build() -> pulumi.Output[list[JobSummary]]:
        name = pulumi.Output.from_input(world.jobs[0]["jobName"])
        equal = [{"name": "jobName", "operator": "EQUAL", "values": [name]}]
        return search_jobs_output(equal, **world.where)

    found = resolve(build)
    assert job_names(found) == [world.jobs[0]["jobName"]]


# -- search_quantum_tasks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "expected"),
    [("EQUAL", [2]), ("LT", [0, 1]), ("LTE", [0, 1, 2]), ("GT", [3, 4]), ("GTE", [2, 3, 4])],
)
def test_search_quantum_tasks_created_at_compared(
    world: World, operator: str, expected: list[int]
) -> None:
    pivot = world.tasks[2]["createdAt"]
    found = search_quantum_tasks(
        [{"name": "createdAt", "operator": operator, "values": [pivot]}], **world.where
    )
    assert [t.quantum_task_arn for t in found] == [
        world.tasks[i]["quantumTaskArn"] for i in expected
    ]


def test_search_quantum_tasks_created_at_between(world: World) -> None:
    low, high = at(world.tasks[1]["createdAt"]), at(world.tasks[3]["createdAt"])
    found = search_quantum_tasks(
        [{"name": "createdAt", "operator": "BETWEEN", "values": [low, high]}], **world.where
    )
    assert task_shots(found) == [20, 30, 40]


def test_search_quantum_tasks_device_and_arn_equal(world: World) -> None:
    on_dm1 = search_quantum_tasks(
        [{"name": "device_arn", "operator": "EQUAL", "values": [DM1]}], **world.where
    )
    assert task_shots(on_dm1) == [40]
    arn = world.tasks[1]["quantumTaskArn"]
    by_arn = search_quantum_tasks(
        [{"name": "quantumTaskArn", "operator": "EQUAL", "values": [arn]}], **world.where
    )
    assert [task.quantum_task_arn for task in by_arn] == [arn]
    assert by_arn[0].output_s3_bucket == "amazon-braket-us-east-1-123456789012"
    assert by_arn[0].output_s3_directory == f"tasks/{arn.rsplit('/', 1)[1]}"


def test_search_quantum_tasks_job_arn_equal(world: World) -> None:
    job = world.jobs[0]["jobArn"]
    found = search_quantum_tasks(
        [{"name": "jobArn", "operator": "EQUAL", "values": [job]}], **world.where
    )
    assert task_shots(found) == [50]


def test_search_quantum_tasks_status_and_combined_filters(world: World) -> None:
    found = search_quantum_tasks(
        [
            {"name": "status", "operator": "EQUAL", "values": ["QUEUED", "RUNNING"]},
            {"name": "deviceArn", "operator": "EQUAL", "values": [SV1]},
        ],
        **world.where,
    )
    assert task_shots(found) == [10, 20, 30, 50]


def test_search_quantum_tasks_pages_of_two(world: World) -> None:
    before = len(world.service.calls())
    found = search_quantum_tasks(page_size=2, **world.where)
    calls = [c["operation"] for c in world.service.calls()[before:]]
    assert task_shots(found) == [10, 20, 30, 40, 50]
    assert calls == ["SearchQuantumTasks"] * 3


def test_search_quantum_tasks_max_items_stops_early(world: World) -> None:
    found = search_quantum_tasks(page_size=2, max_items=3, **world.where)
    assert task_shots(found) == [10, 20, 30]


def test_search_quantum_tasks_contains_refused_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_quantum_tasks(
            [{"name": "status", "operator": "CONTAINS", "values": ["RUN"]}], **world.where
        )
    assert str(caught.value) == (
        "search Braket quantum tasks (filters[0] status): operator 'CONTAINS' is not one of LT, "
        "LTE, EQUAL, GT, GTE, BETWEEN"
    )


def test_search_quantum_tasks_too_many_values_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_quantum_tasks(
            [{"name": "status", "operator": "EQUAL", "values": ["QUEUED"] * 11}], **world.where
        )
    assert str(caught.value) == (
        "search Braket quantum tasks (filters[0] status): values: List should have at most 10 "
        "items after validation, not 11"
    )


def test_search_quantum_tasks_misspelt_key_message(world: World) -> None:
    misspelt: Any = [{"name": "status", "operator": "EQUAL", "value": ["QUEUED"]}]
    with pytest.raises(BraketError) as caught:
        search_quantum_tasks(misspelt, **world.where)
    assert str(caught.value) == (
        "search Braket quantum tasks (filters[0] status): values: is required; value: is not a "
        "member of this shape"
    )


def test_search_quantum_tasks_bad_value_message(world: World) -> None:
    with pytest.raises(BraketError) as caught:
        search_quantum_tasks(
            [{"name": "createdAt", "operator": "GT", "values": ["yesterday"]}], **world.where
        )
    assert str(caught.value) == (
        "search Braket quantum tasks (createdAt GT yesterday): ValidationException: "
        "filters[0].values: 'yesterday' is not an RFC 3339 date-time such as 2026-01-31T12:00:00Z"
    )


def test_search_quantum_tasks_output_resolves_inputs(world: World) -> None:
    def build() -> pulumi.Output[list[QuantumTaskSummary]]:
        pivot = pulumi.Output.from_input(world.tasks[1]["createdAt"])
        lte = [{"name": "createdAt", "operator": "LTE", "values": [pivot]}]
        return search_quantum_tasks_output(lte, page_size=1, **world.where)

    found = resolve(build)
    assert task_shots(found) == [10, 20]


# -- filter values and result types ---------------------------------------------------------


def test_search_filter_values_written_as_the_service_reads_them() -> None:
    naive = datetime(2025, 1, 2, 3, 4, 5, 600000)
    aware = datetime(2025, 1, 2, 4, 4, 5, tzinfo=timezone(timedelta(hours=1)))
    found = searches.wire_filter(
        searches.TASKS,
        0,
        {"name": "created_at", "operator": "BETWEEN", "values": [naive, aware]},
    )
    assert found == {
        "name": "createdAt",
        "operator": "BETWEEN",
        "values": ["2025-01-02T03:04:05.600000Z", "2025-01-02T03:04:05Z"],
    }
    numbers = {"name": "shots", "operator": "EQUAL", "values": [100, 100.0, 2.5]}
    assert searches.wire_filter(searches.TASKS, 0, numbers)["values"] == ["100", "100", "2.5"]


@pytest.mark.parametrize(
    ("fields", "shape"),
    [
        (searches.DeviceSummaryFields, "DeviceSummary"),
        (searches.JobSummaryFields, "JobSummary"),
        (searches.QuantumTaskSummaryFields, "QuantumTaskSummary"),
        (searches.SpendingLimitSummaryFields, "SpendingLimitSummary"),
    ],
)
def test_search_result_fields_match_model(fields: type, shape: str) -> None:
    assert list(fields.__annotations__) == list(shapes.model(shape).model_fields)


def test_search_results_are_the_model_summaries(world: World) -> None:
    found = search_quantum_tasks(max_items=1, **world.where)
    assert type(found[0]) is shapes.model("QuantumTaskSummary")
    assert found[0].model_dump()["shots"] == 10
    assert isinstance(found[0].created_at, datetime)


@pytest.mark.parametrize(
    ("typed", "shape"),
    [
        (lookups.SearchDevicesFilterArgs, "SearchDevicesFilter"),
        (lookups.SearchJobsFilterArgs, "SearchJobsFilter"),
        (lookups.SearchQuantumTasksFilterArgs, "SearchQuantumTasksFilter"),
        (lookups.SearchSpendingLimitsFilterArgs, "SearchSpendingLimitsFilter"),
    ],
)
def test_search_filter_args_match_model(typed: type, shape: str) -> None:
    structure = shapes.service_model().shape_for(shape)
    assert set(typed.__required_keys__) == set(structure.required_members)  # type: ignore[attr-defined]
    assert set(typed.__annotations__) == set(structure.members)
