"""Seeded services run the same requests the same way, to the byte, on any machine."""

from __future__ import annotations

import json
import math
from typing import Any

from tests.conftest import Service
from tests.local.test_program_sets import ROTATION, program_set
from tests.local.test_run_tasks import AQUILA, BELL, BUCKET, DM1, SV1, create, openqasm, wait

NOISY = "OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncnot q[0], q[1];\n#pragma braket noise bit_flip(0.2) q[0]\nc = measure q;\n"  # noqa: E501
# A two-atom Rydberg program, as the SDK writes it (braket.ir.ahs.program).
AHS_PROGRAM = {
    "braketSchemaHeader": {"name": "braket.ir.ahs.program", "version": "1"},
    "setup": {"ahs_register": {"sites": [[0, 0], [0, 6.1e-6]], "filling": [1, 1]}},
    "hamiltonian": {
        "drivingFields": [
            {
                "amplitude": {
                    "time_series": {
                        "values": [0, 1.5e7, 1.5e7, 0],
                        "times": [0, 1e-7, 3.9e-6, 4e-6],
                    },
                    "pattern": "uniform",
                },
                "phase": {
                    "time_series": {"values": [0, 0], "times": [0, 4e-6]},
                    "pattern": "uniform",
                },
                "detuning": {
                    "time_series": {"values": [0, 0], "times": [0, 4e-6]},
                    "pattern": "uniform",
                },
            }
        ],
        "localDetuning": [],
    },
}
REQUESTS = {
    "sv1": (SV1, openqasm(BELL), 200),
    "dm1": (DM1, openqasm(NOISY), 200),
    "set": (SV1, program_set((BELL, {}), (ROTATION, {"a": [math.pi / 2, math.pi / 3]})), 300),
    "ahs": (AQUILA, json.dumps(AHS_PROGRAM), 50),
}


def run_all(service: Service) -> dict[str, tuple[str, bytes]]:
    """Each request with the same client token: its ARN and the bytes of its results.json."""
    braket, s3 = service.client(), service.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    found = {}
    for name, (device, action, shots) in REQUESTS.items():
        arn = create(braket, device, action, shots, token=f"reproducible-{name}")
        task = wait(braket, arn)
        assert task["status"] == "COMPLETED", task.get("failureReason")
        key = f"{task['outputS3Directory']}/results.json"
        found[name] = (arn, s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    return found


def test_run_seeded_services_write_byte_identical_results(new_service: Any) -> None:
    first = run_all(new_service(execute="on", task_workers="1", seed="2026"))
    second = run_all(new_service(execute="on", task_workers="1", seed="2026"))
    other = run_all(new_service(execute="on", task_workers="1", seed="7"))
    for name in REQUESTS:
        assert first[name] == second[name], name
        assert first[name][0] != other[name][0], name
        assert first[name][1] != other[name][1], name
    document = json.loads(first["sv1"][1])
    seed = document["taskMetadata"]["localEmulation"]["seed"]
    assert isinstance(seed, int)
    assert "createdAt" not in document["taskMetadata"]
    # The counts really are random ones: both outcomes of the Bell pair appear.
    assert {tuple(shot) for shot in document["measurements"]} == {(0, 0), (1, 1)}


def test_run_unseeded_tasks_differ_from_run_to_run(new_service: Any) -> None:
    service = new_service(execute="on", task_workers="1")
    braket, s3 = service.client(), service.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    seen = set()
    for token in ("a", "b"):
        arn = create(braket, SV1, openqasm(BELL), 200, token=token)
        task = wait(braket, arn)
        body = s3.get_object(Bucket=BUCKET, Key=f"{task['outputS3Directory']}/results.json")
        document = json.loads(body["Body"].read())
        assert "seed" not in document["taskMetadata"]["localEmulation"]
        seen.add(json.dumps(document["measurements"]))
    assert len(seen) == 2
