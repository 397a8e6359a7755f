"""Analog programs on Aquila: refused by its limits at create, and simulated within the budget."""

from __future__ import annotations

import copy
import json
from collections import Counter
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Service
from tests.local.test_run_tasks import AQUILA, BUCKET, create, wait

SHOTS = 1000


def program(sites: list[list[float]], rabi: float = 1.5e7) -> dict[str, Any]:
    """A Rabi pulse of 4 µs on ``sites``, as the SDK writes braket.ir.ahs.program."""
    flat = {"values": [0, 0], "times": [0, 4e-6]}
    return {
        "braketSchemaHeader": {"name": "braket.ir.ahs.program", "version": "1"},
        "setup": {"ahs_register": {"sites": sites, "filling": [1] * len(sites)}},
        "hamiltonian": {
            "drivingFields": [
                {
                    "amplitude": {
                        "time_series": {
                            "values": [0, rabi, rabi, 0],
                            "times": [0, 1e-7, 3.9e-6, 4e-6],
                        },
                        "pattern": "uniform",
                    },
                    "phase": {"time_series": dict(flat), "pattern": "uniform"},
                    "detuning": {"time_series": dict(flat), "pattern": "uniform"},
                }
            ],
            "localDetuning": [],
        },
    }


PAIR = [[0.0, 0.0], [0.0, 6.1e-6]]
# Four copies of the pair 20 µm apart, as Braket's "Parallel tasks on Aquila" tiles a program
# over the field: further apart than three times the pair's own spacing.
TILED = [[x * 2e-5, y] for x in range(4) for _, y in PAIR]


def edited(change: Any) -> str:
    document = copy.deepcopy(program(PAIR))
    change(document)
    return json.dumps(document)


def amplitude(document: dict[str, Any]) -> dict[str, Any]:
    series: dict[str, Any] = document["hamiltonian"]["drivingFields"][0]["amplitude"]
    return series["time_series"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["setup"]["ahs_register"].update(sites=[[0.0, 0.0], [0.0, 2e-6]]),
            "action: Sites 0([Decimal('0.0'), Decimal('0.0')]) and site 1([Decimal('0.0'), "
            "Decimal('0.000002')]) are too close. Their Euclidean distance (0.000002 meters) is "
            "smaller than the device's scale (0.000004 meters).",
        ),
        (
            lambda d: d["setup"]["ahs_register"].update(sites=[[0.0, 0.0], [6e-6, 2e-6]]),
            "action: setup.ahs_register.sites: rows at y = 0.0 m and y = 0.000002 m are closer "
            "than the device's 0.000004 m (spacingVerticalMin)",
        ),
        (
            lambda d: d["setup"]["ahs_register"].update(sites=[[0.0, 0.0], [0.0, 6.15e-6]]),
            "action: setup.ahs_register.sites[1]: y = 0.00000615 m is not a multiple of the "
            "device's position resolution 1E-7 m (positionResolution)",
        ),
        (
            lambda d: amplitude(d).update(values=[0, 2.5e7, 2.5e7, 0]),
            "action: Value 1 (25000000.0) in amplitude time series outside the device's range "
            "[0, 15800000].",
        ),
        (
            lambda d: amplitude(d).update(values=[0, 1.5e7, 1.5e7, 1.5e7]),
            "action: hamiltonian.drivingFields[0].amplitude.time_series.values: the Rabi "
            "frequency must start and end at 0 on the device; it starts at 0 and ends at "
            "15000000.0",
        ),
        (
            lambda d: amplitude(d).update(times=[0, 1e-8, 3.9e-6, 4e-6]),
            "action: hamiltonian.drivingFields[0].amplitude.time_series.times[1]: 1E-8 s after "
            "the point before it, less than the device's 5E-8 s (timeDeltaMin)",
        ),
        (
            lambda d: amplitude(d).update(times=[0, 1e-7, 4e-6, 4e-6]),
            "action: Time point 2 (0.000004) and time point 3 (0.000004) must be monotonically "
            "increasing.",
        ),
    ],
)
def test_create_ahs_refused_by_aquila_limits(
    shared_service: Service, change: Any, message: str
) -> None:
    braket = shared_service.client()
    with pytest.raises(ClientError) as caught:
        braket.create_quantum_task(
            clientToken=f"refused-{abs(hash(message))}",
            deviceArn=AQUILA,
            action=edited(change),
            shots=10,
            outputS3Bucket=BUCKET,
            outputS3KeyPrefix="analog",
        )
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert caught.value.response["Error"]["Message"] == message
    found = braket.search_quantum_tasks(
        filters=[{"name": "deviceArn", "operator": "EQUAL", "values": [AQUILA]}]
    )["quantumTasks"]
    assert not [task for task in found if "/analog/" in task["outputS3Directory"]]


def run(service: Service, sites: list[list[float]], token: str) -> dict[str, Any]:
    braket, s3 = service.client(), service.client("s3")
    task = wait(braket, create(braket, AQUILA, json.dumps(program(sites)), SHOTS, token=token))
    assert task["status"] == "COMPLETED", task.get("failureReason")
    key = f"{task['outputS3Directory']}/results.json"
    document: dict[str, Any] = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    return document


def pairs(document: dict[str, Any], first: int) -> Counter[tuple[int, int]]:
    return Counter(
        (shot["shotResult"]["postSequence"][first], shot["shotResult"]["postSequence"][first + 1])
        for shot in document["measurements"]
    )


def test_run_ahs_tiled_program_cluster_by_cluster(new_service: Any) -> None:
    service = new_service(execute="on", task_workers="1", seed="11")
    service.client("s3").create_bucket(Bucket=BUCKET)
    whole = run(service, TILED, "tiled")
    emulation = whole["taskMetadata"]["localEmulation"]
    assert emulation["method"] == "cluster by cluster"
    assert (emulation["clusters"], emulation["clusterSizes"]) == (4, [2])
    alone = pairs(run(service, PAIR, "alone"), 0)
    for copy_index in range(4):
        tile = pairs(whole, 2 * copy_index)
        distance = sum(abs(tile[k] - alone[k]) for k in set(tile) | set(alone)) / (2 * SHOTS)
        assert distance < 0.05, (copy_index, tile, alone)
    # The copies are independent: how one came out says nothing of another.
    both = Counter(
        (tuple(s["shotResult"]["postSequence"][0:2]), tuple(s["shotResult"]["postSequence"][2:4]))
        for s in whole["measurements"]
    )
    first, second = pairs(whole, 0), pairs(whole, 2)
    for (a, b), count in both.items():
        expected = first[a] * second[b] / SHOTS
        assert abs(count - expected) < 5 * max(expected, 1) ** 0.5 + 5, (a, b, count, expected)


def test_run_ahs_over_budget_fails_naming_atoms(new_service: Any) -> None:
    # Two interacting atoms hold 6.6 KiB: over a 4000-byte budget, even split.
    service = new_service(execute="on", task_workers="1", memory_budget_bytes="4000")
    service.client("s3").create_bucket(Bucket=BUCKET)
    braket = service.client()
    task = wait(braket, create(braket, AQUILA, json.dumps(program(TILED)), 10, token="big"))
    assert task["status"] == "FAILED"
    assert task["failureReason"] == (
        "2 interacting atoms (sites 0, 1) need 6.6 KiB to simulate, over the local service's "
        "memory budget of 3.9 KiB (setting memory_budget_bytes); atoms 3 times the "
        "nearest-neighbour distance apart are simulated apart"
    )
