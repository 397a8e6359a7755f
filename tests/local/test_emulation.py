"""Gate-model QPUs are emulated from the calibration GetDevice serves, as the SDK emulates them."""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pulumi_braket.local.catalogue import devices
from tests.conftest import Service

SHOTS = 4000
GARNET = "arn:aws:braket:eu-north-1::device/qpu/iqm/Garnet"
EMERALD = "arn:aws:braket:eu-north-1::device/qpu/iqm/Emerald"
ANKAA = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"
CEPHEUS = "arn:aws:braket:us-west-1::device/qpu/rigetti/Cepheus-1-108Q"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
FORTE_ENTERPRISE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
IBEX = "arn:aws:braket:eu-north-1::device/qpu/aqt/Ibex-Q1"
REGIONS = ("us-east-1", "us-west-1", "eu-north-1")


def region_of(arn: str) -> str:
    # Retired devices' ARNs name no region; Braket answers for them in every region.
    return arn.split(":")[3] or "us-east-1"


@pytest.fixture(scope="module")
def emulating(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A seeded executing service (its side of every comparison is fixed), with the SDK's
    default buckets in the QPUs' regions."""
    # Forte Enterprise 1 is ONLINE here, as on Braket (the test services mark it OFFLINE).
    service = Service(execute="on", task_workers="2", seed="2026", device_status="")
    patch = pytest.MonkeyPatch()
    patch.chdir(tmp_path_factory.mktemp("results"))
    for name, value in service.environment().items():
        patch.setenv(name, value)
    for region in REGIONS:
        where = {} if region == "us-east-1" else {"LocationConstraint": region}
        with contextlib.suppress(ClientError):
            service.client("s3", region).create_bucket(
                Bucket=f"amazon-braket-{region}-123456789012",
                **({"CreateBucketConfiguration": where} if where else {}),
            )
    yield service
    patch.undo()
    service.stop()


def device(arn: str) -> Any:
    from braket.aws import AwsDevice, AwsSession

    return AwsDevice(arn, aws_session=AwsSession(boto3.Session(region_name=region_of(arn))))


def tvd(first: Counter[str] | dict[str, Any], second: Counter[str] | dict[str, Any]) -> float:
    """Total variation distance between two count (or probability) tables."""
    a_total, b_total = sum(first.values()), sum(second.values())
    keys = set(first) | set(second)
    return sum(abs(first.get(k, 0) / a_total - second.get(k, 0) / b_total) for k in keys) / 2


def chain(
    gate: str,
    pair: tuple[int, int],
    flip: str,
    length: int = 12,
    angle: float | None = None,
) -> Any:
    """A verbatim chain of ``length`` two-qubit gates after flipping the first qubit: its
    ideal answer is one bitstring, so any other outcome is the device's noise."""
    from braket.circuits import Circuit

    body = Circuit()
    a, b = pair
    if flip == "prx":
        body.prx(a, math.pi, 0)
    elif flip == "gpi":
        body.gpi(a, 0)
    else:
        body.rx(a, math.pi)
    for _ in range(length):
        getattr(body, gate)(a, b, *([] if angle is None else [angle]))
    return Circuit().add_verbatim_box(body)


# Twelve CZ gates on Garnet (the issue's own case), on Emerald and on Cepheus; twelve iSWAPs on
# Ankaa-3 (an even count, so the flipped qubit ends where it began); twelve ZZ on IonQ's
# (Forte Enterprise 1 from its published calibration) and twelve XX(pi) on AQT's (2000 shots,
# IBEX Q1's most): each gate leaves the flipped qubit's bitstring as it was.
CHAINS: dict[str, tuple[str, str, float | None, tuple[int, int], str, int]] = {
    "garnet": (GARNET, "cz", None, (1, 2), "prx", SHOTS),
    "emerald": (EMERALD, "cz", None, (1, 2), "prx", SHOTS),
    "cepheus": (CEPHEUS, "cz", None, (0, 1), "rx", SHOTS),
    "ankaa-3": (ANKAA, "iswap", None, (0, 1), "rx", SHOTS),
    "forte-1": (FORTE, "zz", 0.3, (0, 1), "gpi", SHOTS),
    "forte-enterprise-1": (FORTE_ENTERPRISE, "zz", 0.3, (0, 1), "gpi", SHOTS),
    "ibex-q1": (IBEX, "xx", math.pi, (0, 1), "prx", 2000),
}


@pytest.mark.parametrize("case", sorted(CHAINS))
def test_run_verbatim_chain_matches_sdk_emulator(emulating: Service, case: str) -> None:
    arn, gate, angle, pair, flip, shots = CHAINS[case]
    qpu = device(arn)
    circuit = chain(gate, pair, flip, angle=angle)
    served = qpu.run(circuit, shots=shots).result()
    sdk = qpu.emulator().run(circuit, shots=shots).result()
    ideal = {"10": shots}
    assert served.measured_qubits == list(pair)
    distance = tvd(served.measurement_counts, sdk.measurement_counts)
    assert distance < 0.05, (case, distance, served.measurement_counts, sdk.measurement_counts)
    # Both differ from the noise-free answer, by what the calibration says: the service's
    # distance from the ideal is the SDK's, within sampling error.
    noisy, expected = tvd(served.measurement_counts, ideal), tvd(sdk.measurement_counts, ideal)
    assert noisy > 0.01 and expected > 0.01, (noisy, expected)
    # Sampling error grows as shots shrink: 0.03 at 4000 shots (over 4 standard deviations).
    assert abs(noisy - expected) < 0.03 * math.sqrt(SHOTS / shots), (noisy, expected)


def test_run_program_set_on_qpu_emulated_per_executable(emulating: Service) -> None:
    from braket.program_sets import ProgramSet

    qpu = device(GARNET)
    circuit = chain("cz", (1, 2), "prx")
    result = qpu.run(ProgramSet([circuit, circuit], shots_per_executable=SHOTS)).result()
    sdk = qpu.emulator().run(circuit, shots=SHOTS).result()
    for program in (0, 1):
        counts = result[program][0].counts
        assert sum(counts.values()) == SHOTS
        assert tvd(counts, sdk.measurement_counts) < 0.05, (counts, sdk.measurement_counts)
        assert tvd(counts, {"10": 1}) > 0.01


def test_run_verbatim_result_names_method_and_qubits(emulating: Service) -> None:
    s3 = emulating.client("s3", "us-west-1")
    qpu = device(ANKAA)
    # Only the qubits used are simulated: $46 and $47 are a two-qubit density matrix.
    from braket.circuits import Circuit

    task = qpu.run(Circuit().add_verbatim_box(Circuit().rx(46, math.pi).iswap(46, 47)), shots=100)
    task.result()
    braket = emulating.client("braket", "us-west-1")
    directory = braket.get_quantum_task(quantumTaskArn=task.id)["outputS3Directory"]
    bucket = "amazon-braket-us-west-1-123456789012"
    document = json.loads(
        s3.get_object(Bucket=bucket, Key=f"{directory}/results.json")["Body"].read()
    )
    emulation = document["taskMetadata"]["localEmulation"]
    assert emulation["method"] == "density matrix"
    assert emulation["physicalQubits"] == [46, 47]
    assert "compiledProgram" not in emulation
    assert document["measuredQubits"] == [46, 47]
    assert emulation["simulator"] == "braket_dm"


def test_run_compiled_ghz_matches_sdk_pipeline(emulating: Service) -> None:
    """A program that is not verbatim is compiled, as Braket's "Emulating Non-Verbatim
    Circuits with Qiskit" example compiles it, then emulated."""
    from braket.circuits import Circuit
    from qiskit_braket_provider import to_braket

    qpu = device(GARNET)
    ghz = Circuit().h(0).cnot(0, 1).cnot(1, 2)
    served = qpu.run(ghz, shots=SHOTS).result()
    assert served.measured_qubits == [0, 1, 2]
    compiled = served.additional_metadata.iqmMetadata.compiledProgram
    assert "#pragma braket verbatim" in compiled
    assert "cz $" in compiled and "prx(" in compiled and "cnot" not in compiled
    assert served.additional_metadata.action.source == ghz.to_ir().source
    with pytest.warns(UserWarning):
        theirs = to_braket(ghz, braket_device=qpu, optimization_level=1)
    sdk = qpu.emulator().run(theirs, shots=SHOTS).result()
    distance = tvd(served.measurement_counts, sdk.measurement_counts)
    assert distance < 0.05, (distance, served.measurement_counts, sdk.measurement_counts)
    ideal = {"000": SHOTS // 2, "111": SHOTS // 2}
    assert tvd(served.measurement_counts, ideal) > 0.02


def test_run_compiled_expectation_on_program_qubits(emulating: Service) -> None:
    from braket.circuits import Circuit, observables

    qpu = device(GARNET)
    # <X> of |+> is 1 ideally; the device's noise pulls it below, never past the ideal.
    circuit = Circuit().h(0).expectation(observables.X(), 0)
    result = qpu.run(circuit, shots=SHOTS).result()
    (value,) = result.values
    assert 0.85 < value < 1.0, value
    assert result.measured_qubits == [0]


def test_run_rewiring_disabled_keeps_physical_qubits(emulating: Service) -> None:
    from braket.circuits import Circuit

    qpu = device(GARNET)
    graph = qpu.properties.paradigm.connectivity.connectivityGraph
    a = int(next(iter(graph)))
    b = int(graph[str(a)][0])
    result = qpu.run(Circuit().h(a).cnot(a, b), shots=200, disable_qubit_rewiring=True).result()
    assert result.measured_qubits == [a, b]
    compiled = result.additional_metadata.iqmMetadata.compiledProgram
    assert f"${a}" in compiled and f"${b}" in compiled


def test_create_rewiring_disabled_uncoupled_gate_refused(emulating: Service) -> None:
    # Without rewiring the program's qubits are the device's: a gate on two that share no
    # coupler is refused at create, as Braket refuses it.
    from braket.circuits import Circuit

    qpu = device(GARNET)
    graph = qpu.properties.paradigm.connectivity.connectivityGraph
    coupled = {(int(a), int(b)) for a, ends in graph.items() for b in ends}
    a, b = next(
        (x, y)
        for x in range(1, 21)
        for y in range(x + 1, 21)
        if (x, y) not in coupled and (y, x) not in coupled
    )
    with pytest.raises(ClientError) as caught:
        qpu.run(Circuit().h(a).cz(a, b), shots=10, disable_qubit_rewiring=True)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert caught.value.response["Error"]["Message"] == (
        f"[line 4] has disconnected qubits {a} and {b}"
    )


# -- every gate-model QPU ------------------------------------------------------------------


def gate_qpus() -> list[str]:
    found = []
    for qpu in devices.catalogue():
        paradigm = qpu.capabilities().get("paradigm") or {}
        # Gate-model QPUs only: Borealis (photonic), Aquila and the annealers have other
        # paradigms, and Braket builds no emulator for them.
        header = (paradigm.get("braketSchemaHeader") or {}).get("name")
        if header == "braket.device_schema.gate_model_qpu_paradigm_properties":
            found.append(qpu.arn)
    return found


@pytest.mark.parametrize("arn", gate_qpus())
def test_emulator_builds_for_every_gate_qpu(emulating: Service, arn: str) -> None:
    """AwsDevice(arn).emulator() builds from what GetDevice serves, with valid noise."""
    from braket.circuits.noises import Noise

    emulator = device(arn).emulator()
    probabilities = [
        p
        for instruction in emulator.noise_model.instructions
        if isinstance(instruction.noise, Noise)
        for p in instruction.noise.parameters
    ]
    assert probabilities
    assert all(0 <= p <= 0.75 for p in probabilities), (arn, min(probabilities), max(probabilities))


def test_get_device_cepheus_fits_braket_noise_model_example(emulating: Service) -> None:
    """Braket's "Noise models on Rigetti" example reads Cepheus's standardized properties by
    position: readout third, simultaneous RB second, CZ first among the edge's gates."""
    from braket.circuits.noises import BitFlip, Depolarizing, TwoQubitDepolarizing

    properties = device(CEPHEUS).properties
    assert "cz" in properties.paradigm.nativeGateSet
    for data in properties.standardized.oneQubitProperties.values():
        BitFlip(1 - data.oneQubitFidelity[2].fidelity)
        Depolarizing(1 - data.oneQubitFidelity[1].fidelity)
        assert data.oneQubitFidelity[2].fidelityType.name == "READOUT"
    for data in properties.standardized.twoQubitProperties.values():
        assert data.twoQubitGateFidelity[0].gateName == "CZ"
        TwoQubitDepolarizing(1 - data.twoQubitGateFidelity[0].fidelity)


def test_get_device_snapshot_cited_and_derived_labelled(emulating: Service) -> None:
    braket = emulating.client("braket", "eu-north-1")
    garnet = json.loads(braket.get_device(deviceArn=GARNET)["deviceCapabilities"])
    source = devices.snapshot_source(GARNET)
    assert source is not None and source["url"].startswith("https://github.com/amazon-braket/")
    assert garnet["service"]["updatedAt"] == source["calibratedAt"]
    ankaa = json.loads(
        emulating.client("braket", "us-west-1").get_device(deviceArn=ANKAA)["deviceCapabilities"]
    )
    assert ankaa["service"]["deviceDocumentation"]["summary"].endswith(devices.DERIVED)
    assert devices.snapshot_source(ANKAA) is None


# -- a user's own calibration ---------------------------------------------------------------


@pytest.fixture
def perfect_garnet(tmp_path: Path) -> Path:
    """Garnet's properties as the SDK saves them, with every fidelity made perfect."""
    document = json.loads(devices.find(GARNET).capabilities_json())  # type: ignore[union-attr]
    standardized = document["standardized"]
    for qubit in standardized["oneQubitProperties"].values():
        for fidelity in qubit["oneQubitFidelity"]:
            name = fidelity["fidelityType"]["name"]
            fidelity["fidelity"] = 0.0 if name.startswith("READOUT_ERROR") else 1.0
    for edge in standardized["twoQubitProperties"].values():
        for fidelity in edge["twoQubitGateFidelity"]:
            fidelity["fidelity"] = 1.0
    document["service"]["updatedAt"] = "2026-12-01T00:00:00+00:00"
    path = tmp_path / "garnet.json"
    # json.dump(device.properties.json(), f): the SDK's document as one JSON string.
    path.write_text(json.dumps(json.dumps(document)))
    return path


def test_settings_device_properties_serves_and_emulates_file(
    new_service: Any, perfect_garnet: Path
) -> None:
    service = new_service(execute="on", task_workers="1")
    service.configure(device_properties={"iqm/garnet": str(perfect_garnet)})
    braket = service.client("braket", "eu-north-1")
    served = json.loads(braket.get_device(deviceArn=GARNET)["deviceCapabilities"])
    assert served["service"]["updatedAt"] == "2026-12-01T00:00:00+00:00"
    task = create_chain(service, "perfect-1", 500, chain("cz", (1, 2), "prx"))
    assert task["status"] == "COMPLETED", task.get("failureReason")
    result = results_of(service, task)
    # Perfect calibration, perfect answer: the file, not the catalogue, gave the noise.
    assert {tuple(shot) for shot in result["measurements"]} == {(1, 0)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "is not JSON"),
        ('{"a": 1}', "is not a Braket deviceCapabilities document"),
    ],
)
def test_settings_device_properties_bad_file_refused(
    tmp_path: Path, content: str, message: str
) -> None:
    from pulumi_braket.local.config import ServiceSettings

    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=message) as caught:
        ServiceSettings().updated({"device_properties": f"iqm/garnet={path}"})
    assert str(caught.value).startswith(f"device_properties: iqm/garnet: {path}")


def test_settings_device_properties_other_kind_refused(tmp_path: Path) -> None:
    from pulumi_braket.local.config import ServiceSettings

    path = tmp_path / "forte.json"
    path.write_text(devices.find(FORTE).capabilities_json())  # type: ignore[union-attr]
    with pytest.raises(ValueError) as caught:
        ServiceSettings().updated({"device_properties": f"iqm/garnet={path}"})
    assert str(caught.value) == (
        f"device_properties: iqm/garnet: {path} describes a "
        "braket.device_schema.ionq.ionq_device_capabilities device; "
        f"{GARNET} is a braket.device_schema.iqm.iqm_device_capabilities device"
    )


def run_on_garnet(service: Service, token: str, shots: int, action: str) -> dict[str, Any]:
    """A task on Garnet, created with boto3; the task when it has ended."""
    braket = service.client("braket", "eu-north-1")
    with contextlib.suppress(ClientError):
        service.client("s3", "eu-north-1").create_bucket(
            Bucket="budget", CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
    arn = braket.create_quantum_task(
        clientToken=token,
        deviceArn=GARNET,
        action=action,
        shots=shots,
        outputS3Bucket="budget",
        outputS3KeyPrefix="tasks",
    )["quantumTaskArn"]
    return wait_for(braket, arn)


def create_chain(service: Service, token: str, shots: int, circuit: Any) -> dict[str, Any]:
    """A circuit on Garnet, as OpenQASM; its task when it has ended."""
    from braket.circuits.serialization import IRType

    return run_on_garnet(service, token, shots, circuit.to_ir(IRType.OPENQASM).json())


def results_of(service: Service, task: dict[str, Any]) -> dict[str, Any]:
    s3 = service.client("s3", "eu-north-1")
    key = f"{task['outputS3Directory']}/results.json"
    document: dict[str, Any] = json.loads(s3.get_object(Bucket="budget", Key=key)["Body"].read())
    return document


def test_run_emulation_over_budget_samples_trajectories(new_service: Any) -> None:
    # A 2-qubit density matrix is 256 B, its state vector 64 B: with a 200-byte budget the
    # task runs as noisy trajectories, and keeps the device's noise.
    service = new_service(execute="on", task_workers="1", memory_budget_bytes="200", seed="7")
    for name, value in service.environment().items():
        os.environ[name] = value
    try:
        task = create_chain(service, "trajectories-1", SHOTS, chain("cz", (1, 2), "prx"))
        assert task["status"] == "COMPLETED", task.get("failureReason")
        document = results_of(service, task)
        assert document["taskMetadata"]["localEmulation"]["method"] == "noisy trajectories"
        counts = Counter("".join(map(str, shot)) for shot in document["measurements"])
        sdk = device(GARNET).emulator().run(chain("cz", (1, 2), "prx"), shots=SHOTS).result()
        distance = tvd(counts, sdk.measurement_counts)
        assert distance < 0.05, (distance, counts, sdk.measurement_counts)
        assert tvd(counts, {"10": 1}) > 0.01
    finally:
        for name in service.environment():
            os.environ.pop(name, None)


def test_run_emulation_over_budget_fails_naming_qubits(new_service: Any) -> None:
    # Three qubits' trajectories need 128 B: over a 100-byte budget, and noise is not dropped.
    from braket.circuits import Circuit

    service = new_service(execute="on", task_workers="1", memory_budget_bytes="100")
    task = create_chain(
        service, "small-1", 10, Circuit().add_verbatim_box(Circuit().cz(1, 2).cz(1, 4))
    )
    assert task["status"] == "FAILED"
    assert task["failureReason"] == (
        f"emulating {GARNET} on qubits 1, 2, 4 needs 128 B for 3-qubit noisy trajectories, "
        "over the local service's memory budget of 100 B (setting memory_budget_bytes); noise "
        "is never dropped to make a program fit"
    )


def wait_for(braket: Any, arn: str) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        task: dict[str, Any] = braket.get_quantum_task(quantumTaskArn=arn)
        if task["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
            return task
        time.sleep(0.1)
    raise AssertionError(f"{arn} did not finish")


def test_run_program_set_over_budget_samples_trajectories(new_service: Any) -> None:
    # A program of a set is held to the budget on the qubits it runs on, as a lone program
    # is: over it as a density matrix, it runs as noisy trajectories rather than failing.
    from braket.circuits.serialization import IRType

    service = new_service(execute="on", task_workers="1", memory_budget_bytes="200")
    source = chain("cz", (1, 2), "prx").to_ir(IRType.OPENQASM).source
    program = {"braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"}}
    action = {
        "braketSchemaHeader": {"name": "braket.ir.openqasm.program_set", "version": "1"},
        "programs": [{**program, "source": source}, {**program, "source": source}],
    }
    task = run_on_garnet(service, "budget-set-1", 200, json.dumps(action))
    assert task["status"] == "COMPLETED", task.get("failureReason")
