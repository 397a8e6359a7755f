"""Quantum tasks run on the local simulators: results through the Braket SDK and boto3."""

from __future__ import annotations

import json
import math
import time
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Service

SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
DM1 = "arn:aws:braket:::device/quantum-simulator/amazon/dm1"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
ANKAA = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"
AQUILA = "arn:aws:braket:us-east-1::device/qpu/quera/Aquila"
IBEX = "arn:aws:braket:eu-north-1::device/qpu/aqt/Ibex-Q1"
BUCKET = "amazon-braket-us-east-1-123456789012"
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED"}


def openqasm(source: str) -> str:
    header = {"name": "braket.ir.openqasm.program", "version": "1"}
    return json.dumps({"braketSchemaHeader": header, "source": source})


BELL = "OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncnot q[0], q[1];\nc = measure q;\n"


def wait(braket: Any, arn: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        task: dict[str, Any] = braket.get_quantum_task(quantumTaskArn=arn)
        if task["status"] in TERMINAL or time.monotonic() > deadline:
            return task
        time.sleep(0.05)


# The default bucket of the region of Ankaa-3, which lives in us-west-1.
WEST_BUCKET = "amazon-braket-us-west-1-123456789012"
NORTH_BUCKET = "amazon-braket-eu-north-1-123456789012"
LACKS_MS = "OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nms(0.1, 0.2, 0.3) q[0], q[1];\nc = measure q;\n"


def create(
    braket: Any,
    device: str,
    action: str,
    shots: int,
    bucket: str = BUCKET,
    token: str | None = None,
    **extra: Any,
) -> str:
    arn: str = braket.create_quantum_task(
        clientToken=token or str(uuid.uuid4()),
        deviceArn=device,
        shots=shots,
        outputS3Bucket=bucket,
        outputS3KeyPrefix="tasks",
        action=action,
        **extra,
    )["quantumTaskArn"]
    return arn


def test_run_sv1_bell_counts_through_the_sdk(sdk: Service) -> None:
    from braket.aws import AwsDevice
    from braket.circuits import Circuit

    task = AwsDevice(SV1).run(Circuit().h(0).cnot(0, 1), shots=1000)
    result = task.result()
    counts = result.measurement_counts
    assert set(counts) == {"00", "11"}
    assert sum(counts.values()) == 1000
    assert 350 < counts["00"] < 650
    assert result.task_metadata.id == task.id
    assert result.task_metadata.deviceId == SV1
    assert result.task_metadata.shots == 1000


def test_run_dm1_noise_changes_the_probabilities(sdk: Service) -> None:
    from braket.aws import AwsDevice
    from braket.circuits import Circuit

    circuit = Circuit().h(0).cnot(0, 1).bit_flip(0, 0.2).probability()
    values = AwsDevice(DM1).run(circuit, shots=0).result().values[0]
    assert [round(float(v), 6) for v in values] == [0.4, 0.1, 0.1, 0.4]


def test_run_openqasm_writes_results_json_before_completed(sdk: Service) -> None:
    from braket.schema_common import BraketSchemaBase

    braket, s3 = sdk.client(), sdk.client("s3")
    arn = create(braket, SV1, openqasm(BELL), 100)
    task = wait(braket, arn)
    assert task["status"] == "COMPLETED", task.get("failureReason")
    body = s3.get_object(Bucket=BUCKET, Key=f"{task['outputS3Directory']}/results.json")["Body"]
    text = body.read().decode()
    document = json.loads(text)
    assert document["taskMetadata"]["id"] == arn
    assert document["taskMetadata"]["deviceId"] == SV1
    assert document["taskMetadata"]["shots"] == 100
    assert document["taskMetadata"]["localEmulation"]["simulator"] == "braket_sv"
    assert all(shot in ([0, 0], [1, 1]) for shot in document["measurements"])
    parsed = BraketSchemaBase.parse_raw_schema(text)
    assert type(parsed).__name__ == "GateModelTaskResult"


def test_run_shots_zero_result_types_parse_in_the_sdk(sdk: Service) -> None:
    from braket.aws import AwsDevice
    from braket.circuits import Circuit, Observable

    circuit = (
        Circuit()
        .h(0)
        .cnot(0, 1)
        .amplitude(["00", "11"])
        .expectation(Observable.Z(), target=[0])
        .probability()
    )
    result = AwsDevice(SV1).run(circuit, shots=0).result()
    amplitudes, expectation, probabilities = result.values
    assert round(abs(amplitudes["11"]) ** 2, 6) == 0.5
    assert abs(expectation) < 1e-9
    assert [round(float(p), 6) for p in probabilities] == [0.5, 0.0, 0.0, 0.5]
    # The guide's result-type table: StateVector is for the local simulators only.
    with pytest.raises(ClientError) as raised:
        AwsDevice(SV1).run(Circuit().h(0).state_vector(), shots=0)
    assert raised.value.response["Error"]["Message"].startswith(
        "The result type StateVector is not a supported result type for this device."
    )


def test_run_qpu_emulated_from_calibration_and_says_so(sdk: Service) -> None:
    braket, s3 = sdk.client(), sdk.client("s3")
    arn = create(braket, FORTE, openqasm(BELL), 100)
    task = wait(braket, arn)
    assert task["status"] == "COMPLETED", task.get("failureReason")
    document = json.loads(
        s3.get_object(Bucket=BUCKET, Key=f"{task['outputS3Directory']}/results.json")["Body"].read()
    )
    emulation = document["taskMetadata"]["localEmulation"]
    assert emulation["simulator"] == "braket_dm"
    assert emulation["note"] == (
        f"{FORTE} emulated from its calibration with braket.emulation's noise model on the "
        "local density-matrix simulator (braket_dm)"
    )
    assert emulation["method"] == "density matrix"
    # Not verbatim, so compiled to Forte's native gates, on the program's two qubits.
    assert "gpi" in emulation["compiledProgram"] and "cnot" not in emulation["compiledProgram"]
    assert document["measuredQubits"] == [0, 1]
    assert task["numSuccessfulShots"] == 100


def test_run_ahs_on_aquila(sdk: Service) -> None:
    from braket.ahs.analog_hamiltonian_simulation import AnalogHamiltonianSimulation
    from braket.ahs.atom_arrangement import AtomArrangement
    from braket.ahs.driving_field import DrivingField
    from braket.aws import AwsDevice
    from braket.timings.time_series import TimeSeries

    register = AtomArrangement().add((0.0, 0.0)).add((0.0, 6.1e-6))
    amplitude = TimeSeries().put(0.0, 0.0).put(1e-7, 1.5e7).put(3.9e-6, 1.5e7).put(4e-6, 0.0)
    detuning = TimeSeries().put(0.0, 0.0).put(4e-6, 0.0)
    phase = TimeSeries().put(0.0, 0.0).put(4e-6, 0.0)
    drive = DrivingField(amplitude=amplitude, detuning=detuning, phase=phase)
    program = AnalogHamiltonianSimulation(register=register, hamiltonian=drive)
    result = AwsDevice(AQUILA).run(program, shots=20).result()
    assert len(result.measurements) == 20
    assert all(len(shot.post_sequence) == 2 for shot in result.measurements)


def test_create_shots_outside_the_device_range_is_refused(sdk: Service) -> None:
    braket = sdk.client()
    with pytest.raises(ClientError) as raised:
        create(braket, FORTE, openqasm(BELL), 0)
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"] == f"Shot count should be between 1 and 5000 on {FORTE}, but found 0."


def refusal(braket: Any, device: str, source: str, shots: int = 10, bucket: str = BUCKET) -> str:
    """The message of the ValidationException that create_quantum_task answers."""
    with pytest.raises(ClientError) as raised:
        create(braket, device, openqasm(source), shots, bucket)
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationException"
    return str(error["Message"])


def test_create_more_qubits_than_the_device_has_is_refused(sdk: Service) -> None:
    source = "OPENQASM 3;\nqubit[40] q;\nh q[0];\ncnot q[0], q[39];\n"
    message = refusal(sdk.client(), SV1, source + "bit[40] c;\nc = measure q;\n")
    assert message == "Used 40 qubits, which is more than the device qubit count of 34"


def test_create_operation_the_qpu_lacks_is_refused(sdk: Service) -> None:
    braket = sdk.client(region="us-west-1")
    assert refusal(braket, ANKAA, LACKS_MS, 100, WEST_BUCKET) == (
        "[line 4] uses a gate: ms which is not supported by the device or defined via a defcal"
    )


def test_create_barrier_the_qpu_lacks_is_refused(sdk: Service) -> None:
    braket = sdk.client(region="eu-north-1")
    source = "OPENQASM 3;\nqubit[2] q;\nh q[0];\nbarrier q;\ncnot q[0], q[1];\n"
    assert refusal(braket, IBEX, source, 100, NORTH_BUCKET) == (
        "[line 4] Uses 'barrier' which is not supported on device"
    )
    # No device lists reset: the same form (Braket's for barrier) names it.
    reset = source.replace("barrier q;", "reset q[1];")
    assert refusal(braket, IBEX, reset, 100, NORTH_BUCKET) == (
        "[line 4] Uses 'reset' which is not supported on device"
    )


def test_create_modifier_the_qpu_lacks_is_refused(sdk: Service) -> None:
    source = "OPENQASM 3;\nqubit[2] q;\nh q[0];\nctrl @ x q[0], q[1];\n"
    assert refusal(sdk.client(), FORTE, source, 100) == (
        "[line 4] uses an unsupported GateModifer: 'ctrl'"
    )


def test_create_partial_measurement_where_all_qubits_must_be_measured_is_refused(
    sdk: Service,
) -> None:
    from braket.aws import AwsDevice
    from braket.circuits import Circuit

    # Braket's own integration test (test_measure.py::test_unsupported_devices) sends this
    # circuit to IonQ; Forte 1 requires every qubit measured too.
    circuit = Circuit().h(0).cnot(0, 1).h(2).measure([0, 1])
    with pytest.raises(ClientError) as raised:
        AwsDevice(FORTE).run(circuit, shots=100)
    assert raised.value.response["Error"]["Message"] == (
        "Device requires all qubits in the program to be measured. This may be caused by "
        "declaring non-contiguous qubits or measuring partial qubits"
    )
    # The same partial measurement runs where the device allows it.
    result = AwsDevice(SV1).run(circuit, shots=20).result()
    assert result.measured_qubits == [0, 1]


def test_create_noise_pragma_on_a_qpu_is_refused(sdk: Service) -> None:
    source = "OPENQASM 3;\nqubit[2] q;\nh q[0];\n#pragma braket noise bit_flip(0.1) q[0]\n"
    assert refusal(sdk.client(), FORTE, source, 100) == (
        "[line 4] uses the pragma 'braket noise bit_flip(0.1) q[0]', which the device forbids "
        "(braket_noise_bit_flip)"
    )
    # DM1 lists the pragma and runs it.
    task = wait(sdk.client(), create(sdk.client(), DM1, openqasm(source), 10))
    assert task["status"] == "COMPLETED"


def test_create_probability_over_fifteen_qubits_is_refused(sdk: Service) -> None:
    from braket.aws import AwsDevice
    from braket.circuits import Circuit

    wide = Circuit().h(range(16))
    with pytest.raises(ClientError) as raised:
        AwsDevice(SV1).run(wide.copy().probability(), shots=0)
    assert raised.value.response["Error"]["Message"] == (
        "Probability result type must be used with 15 or fewer qubits."
    )
    # On two of the sixteen it runs.
    result = AwsDevice(SV1).run(wide.probability(target=[0, 1]), shots=0).result()
    assert [round(float(p), 6) for p in result.values[0]] == [0.25] * 4


def test_create_result_type_the_device_lacks_is_refused(sdk: Service) -> None:
    source = "OPENQASM 3;\nqubit[2] q;\nh q[0];\n#pragma braket result density_matrix\n"
    assert refusal(sdk.client(), SV1, source, 0) == (
        "The result type DensityMatrix is not a supported result type for this device. Check "
        "the device documentation for a list of supported result types."
    )
    hermitian = "#pragma braket result expectation hermitian([[0, 1], [1, 0]]) q[0]\n"
    assert refusal(sdk.client(), FORTE, source.split("#")[0] + hermitian, 100) == (
        "Observable hermitian is not supported for result type Expectation on this device. "
        "Supported observables are: ['x', 'y', 'z', 'h', 'i']."
    )


def test_run_over_the_memory_budget_fails_naming_qubits_and_memory(new_service: Any) -> None:
    service = new_service(execute="on", task_workers="1", memory_budget_bytes=str(2**20))
    service.client("s3").create_bucket(Bucket=BUCKET)
    braket = service.client()
    source = "OPENQASM 3;\nqubit[20] q;\nbit[20] c;\nh q[0];\nc = measure q;\n"
    task = wait(braket, create(braket, SV1, openqasm(source), 10))
    assert task["status"] == "FAILED"
    assert task["failureReason"] == (
        "a 20-qubit state vector needs 16.0 MiB, over the local service's memory budget of "
        "1.0 MiB (setting memory_budget_bytes)"
    )
    dm = wait(braket, create(braket, DM1, openqasm(source.replace("20", "9")), 10))
    assert dm["failureReason"].startswith("a 9-qubit density matrix needs 4.0 MiB")
    # The service is still there and still runs what fits.
    small = wait(braket, create(braket, SV1, openqasm(BELL), 10))
    assert small["status"] == "COMPLETED"


def test_cancel_running_task_frees_its_worker(new_service: Any) -> None:
    service = new_service(execute="on", task_workers="1")
    service.client("s3").create_bucket(Bucket=BUCKET)
    braket = service.client()
    # About 2 ms per gate on 2^22 amplitudes: 40 000 gates keep the only worker busy for
    # over a minute unless the cancel really stops it.
    body = "".join(f"rx({k % 7 / 10}) q[{k % 22}];\n" for k in range(40_000))
    slow = create(braket, SV1, openqasm(f"OPENQASM 3;\nqubit[22] q;\n{body}"), 0)
    deadline = time.monotonic() + 60
    while braket.get_quantum_task(quantumTaskArn=slow)["status"] != "RUNNING":
        assert time.monotonic() < deadline, "the task never started"
        time.sleep(0.05)
    answer = braket.cancel_quantum_task(quantumTaskArn=slow, clientToken=str(uuid.uuid4()))
    assert answer["cancellationStatus"] == "CANCELLING"
    assert wait(braket, slow)["status"] == "CANCELLED"
    quick = wait(braket, create(braket, SV1, openqasm(BELL), 10), timeout=30)
    assert quick["status"] == "COMPLETED"


def test_run_result_types_with_shots_carry_values(sdk: Service) -> None:
    from braket.aws import AwsDevice
    from braket.circuits import Circuit, Observable

    circuit = Circuit().x(0).expectation(Observable.Z(), target=[0]).probability(target=[0])
    expectation, probabilities = AwsDevice(SV1).run(circuit, shots=50).result().values
    assert expectation == -1.0
    assert list(probabilities) == [0.0, 1.0]


def test_run_sv1_adjoint_gradient_gives_expectation_and_gradient(sdk: Service) -> None:
    # SV1 answers an adjoint-gradient result type with the expectation and its gradient; the
    # default simulator alone skips the pragma and gives neither.
    from braket.aws import AwsDevice
    from braket.circuits import Circuit, FreeParameter, observables

    theta, phi = FreeParameter("theta"), FreeParameter("phi")
    circuit = (
        Circuit()
        .rx(0, theta)
        .ry(1, phi)
        .cnot(0, 1)
        .adjoint_gradient(
            observable=observables.Z(0) @ observables.Z(1), target=[0, 1], parameters=[theta, phi]
        )
    )
    result = AwsDevice(SV1).run(circuit, shots=0, inputs={"theta": 0.3, "phi": 0.7}).result()
    (value,) = result.values
    # CNOT carries Z0 Z1 to Z1: <Z0 Z1> = cos(phi), which theta does not change.
    assert value["expectation"] == pytest.approx(math.cos(0.7), abs=1e-9)
    assert value["gradient"]["theta"] == pytest.approx(0.0, abs=1e-7)
    assert value["gradient"]["phi"] == pytest.approx(-math.sin(0.7), abs=1e-7)
    assert result.result_types[0].type.type.value == "adjoint_gradient"
