"""Program sets run as Braket runs them: per program and input, within the device's limits."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Service
from tests.local.test_run_tasks import (
    ANKAA,
    BELL,
    FORTE,
    LACKS_MS,
    SV1,
    WEST_BUCKET,
    create,
    wait,
)
from tests.local.test_spending_limits import FORTE_SHOT, FORTE_TASK_FEE, limit, summary

ROTATION = "OPENQASM 3;\ninput float a;\nqubit[1] q;\nbit[1] c;\nrx(a) q[0];\nc = measure q;\n"


def program_set(*programs: tuple[str, dict[str, list[float]]]) -> str:
    """A braket.ir.openqasm.program_set action of OpenQASM sources and their input lists."""
    return json.dumps(
        {
            "braketSchemaHeader": {"name": "braket.ir.openqasm.program_set", "version": "1"},
            "programs": [
                {
                    "braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"},
                    "source": source,
                    "inputs": inputs,
                }
                for source, inputs in programs
            ],
        }
    )


def refused(braket: Any, device: str, action: str, shots: int) -> str:
    with pytest.raises(ClientError) as caught:
        create(braket, device, action, shots)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    return str(caught.value.response["Error"]["Message"])


def test_run_program_set_results_per_program_and_input_through_the_sdk(sdk: Service) -> None:
    from braket.aws import AwsDevice
    from braket.circuits import Circuit, FreeParameter
    from braket.program_sets import CircuitBinding, ProgramSet

    angle = FreeParameter("a")
    programs = ProgramSet(
        [
            Circuit().h(0).cnot(0, 1),
            CircuitBinding(Circuit().rx(0, angle), input_sets={"a": [0.0, math.pi]}),
        ],
        shots_per_executable=40,
    )
    task = AwsDevice(SV1).run(programs)
    result = task.result()
    assert result.num_executables == 3
    bell = result[0][0].counts
    assert set(bell) <= {"00", "11"} and sum(bell.values()) == 40
    assert result[1][0].counts == {"0": 40}
    assert result[1][1].counts == {"1": 40}
    assert result.task_metadata.id == task.id
    assert result.task_metadata.deviceId == SV1
    assert result.task_metadata.requestedShots == 120
    assert sdk.client().get_quantum_task(quantumTaskArn=task.id)["status"] == "COMPLETED"


def test_run_program_set_on_a_qpu_writes_the_program_set_schema(sdk: Service) -> None:
    from braket.schema_common import BraketSchemaBase

    braket, s3 = sdk.client(), sdk.client("s3")
    arn = create(braket, FORTE, program_set((BELL, {}), (ROTATION, {"a": [math.pi]})), 20)
    task = wait(braket, arn)
    assert task["status"] == "COMPLETED", task.get("failureReason")
    key = f"{task['outputS3Directory']}/results.json"
    text = s3.get_object(Bucket="amazon-braket-us-east-1-123456789012", Key=key)["Body"].read()
    parsed = BraketSchemaBase.parse_raw_schema(text.decode())
    assert type(parsed).__name__ == "ProgramSetTaskResult"
    assert parsed.taskMetadata.id == arn
    assert parsed.taskMetadata.deviceId == FORTE
    assert [len(program.executableResults) for program in parsed.programResults] == [1, 1]
    # Forte-1 is emulated from its calibration: its readout flips a bit now and then.
    flipped = parsed.programResults[1].executableResults[0].measurements
    assert len(flipped) == 10 and sum(shot == [1] for shot in flipped) >= 8


@pytest.mark.parametrize(
    ("programs", "shots", "message"),
    [
        (
            [(BELL, {})] * 101,
            101,
            f"action: the program set has 101 executables; {SV1} runs at most 100 in one task "
            "(maximumExecutables)",
        ),
        (
            [(BELL, {}), (BELL, {})],
            200_002,
            f"shots: 200002 is outside the range 1 to 200000 of total shots that {SV1} takes "
            "for a program set (minimumTotalShots, maximumTotalShots)",
        ),
        (
            [(BELL, {}), (ROTATION, {"a": [0.0, 1.0]})],
            10,
            "shots: Total shots must be divisible by number of executables: 10 shots for 3 "
            "executables",
        ),
        (
            [(BELL, {})],
            150_000,
            f"shots per executable: 150000 is outside the range 0 to 100000 that {SV1} supports",
        ),
    ],
    ids=["executables", "total-shots", "indivisible", "per-executable"],
)
def test_create_program_set_over_the_device_limits_refused(
    sdk: Service, programs: list[tuple[str, dict[str, list[float]]]], shots: int, message: str
) -> None:
    assert refused(sdk.client(), SV1, program_set(*programs), shots) == message


def test_create_program_set_priced_per_task_and_shot(new_service: Any) -> None:
    service: Service = new_service()
    braket = service.client()
    service.client("s3").create_bucket(Bucket="amazon-braket-us-east-1-123456789012")
    arn = limit(braket, amount="100.00")
    create(braket, FORTE, program_set((BELL, {}), (ROTATION, {"a": [0.0, 1.0]})), 30)
    # One task fee for the set, and every shot of every executable.
    expected = FORTE_TASK_FEE + FORTE_SHOT * 30
    spent = summary(braket, arn)
    assert Decimal(spent["queuedSpend"]) + Decimal(spent["totalSpend"]) == expected


def test_run_program_set_failing_program_fails_its_executables_others_run(sdk: Service) -> None:
    from braket.aws import AwsQuantumTask

    braket = sdk.client()
    # Within SV1's qubits, so Braket takes it at create; over the memory budget at run.
    wide = "OPENQASM 3;\nqubit[34] q;\nbit[34] c;\nh q[0];\nc = measure q;\n"
    arn = create(braket, SV1, program_set((BELL, {}), (wide, {})), 20)
    task = wait(braket, arn)
    assert task["status"] == "FAILED"
    assert task["failureReason"].startswith(
        "1 of 2 executables failed; the first: program 1: a 34-qubit state vector needs "
        "256.0 GiB, over the local service's memory budget of "
    )
    # The SDK reads a failed program set's results: the good program's counts are there.
    result = AwsQuantumTask(arn).result()
    assert result.task_metadata.totalFailedExecutables == 1
    assert result.task_metadata.successfulShots == 10
    assert sum(result[0][0].counts.values()) == 10


def test_create_program_set_with_an_operation_the_qpu_lacks_is_refused(sdk: Service) -> None:
    braket = sdk.client(region="us-west-1")
    with pytest.raises(ClientError) as raised:
        create(braket, ANKAA, program_set((BELL, {}), (LACKS_MS, {})), 20, WEST_BUCKET)
    error = raised.value.response
    assert error["Error"]["Message"] == (
        "action: 1 program(s) of the set are refused; the first, programs[1]: [line 4] uses a "
        "gate: ms which is not supported by the device or defined via a defcal"
    )
    assert error["programSetValidationFailures"] == [
        {
            "programIndex": 1,
            "inputsIndex": 0,
            "errors": [
                "[line 4] uses a gate: ms which is not supported by the device or defined via a "
                "defcal"
            ],
        }
    ]
