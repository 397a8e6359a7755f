"""The devices the local Braket service advertises, with schema-valid deviceCapabilities."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from braket.device_schema import (
    DeviceActionType,
    DeviceConnectivity,
    DeviceExecutionWindow,
    DeviceServiceProperties,
    ExecutionDay,
    GateModelQpuParadigmProperties,
    JaqcdDeviceActionProperties,
    OpenQASMDeviceActionProperties,
    OpenQASMProgramSetDeviceActionProperties,
    ResultType,
)
from braket.device_schema.device_action_properties import DeviceActionProperties
from braket.device_schema.device_service_properties_v1 import DeviceCost, DeviceDocumentation
from braket.device_schema.error_mitigation import Debias, ErrorMitigationProperties
from braket.device_schema.ionq import (
    IonqDeviceCapabilities,
    IonqDeviceParameters,
    IonqProviderProperties,
)
from braket.device_schema.iqm import (
    IqmDeviceCapabilities,
    IqmDeviceParameters,
    IqmProviderProperties,
)
from braket.device_schema.oqc import (
    OqcDeviceCapabilities,
    OqcDeviceParameters,
    OqcProviderProperties,
)
from braket.device_schema.quera import QueraAhsParadigmProperties, QueraDeviceCapabilities
from braket.device_schema.quera.quera_ahs_paradigm_properties_v1 import (
    Area,
    Geometry,
    Lattice,
    Performance,
    PerformanceLattice,
    PerformanceRydberg,
    PerformanceRydbergGlobal,
    PerformanceRydbergLocal,
    RabiCorrection,
    Rydberg,
    RydbergGlobal,
    RydbergLocal,
)
from braket.device_schema.rigetti import (
    RigettiDeviceCapabilities,
    RigettiDeviceCapabilitiesV2,
    RigettiDeviceParameters,
    RigettiProviderProperties,
    RigettiProviderPropertiesV2,
)
from braket.device_schema.simulators import (
    GateModelSimulatorDeviceCapabilities,
    GateModelSimulatorDeviceParameters,
    GateModelSimulatorParadigmProperties,
)
from braket.device_schema.standardized_gate_model_qpu_device_properties_v1 import (
    CoherenceTime,
    Fidelity1Q,
    FidelityType,
    GateFidelity2Q,
    OneQubitProperties,
    StandardizedGateModelQpuDeviceProperties,
    TwoQubitProperties,
)
from braket.ir.openqasm.modifiers import Control, Inverse, NegControl, Power

SIMULATOR = "SIMULATOR"
QPU = "QPU"
ONLINE = "ONLINE"
OFFLINE = "OFFLINE"
RETIRED = "RETIRED"


@dataclass(frozen=True)
class Device:
    """One Braket device as GetDevice and SearchDevices describe it."""

    arn: str
    name: str
    provider_name: str
    device_type: str
    status: str
    short_name: str

    @property
    def region(self) -> str | None:
        """The region the device lives in; None for simulators, which exist in every region."""
        return self.arn.split(":")[3] or None

    def capabilities_json(self) -> str:
        """The deviceCapabilities document GetDevice returns for this device."""
        return _capabilities_json(self.arn)

    def summary(self) -> dict[str, str]:
        """The DeviceSummary wire dict SearchDevices returns for this device."""
        return {
            "deviceArn": self.arn,
            "deviceName": self.name,
            "providerName": self.provider_name,
            "deviceType": self.device_type,
            "deviceStatus": self.status,
        }


_SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
_DM1 = "arn:aws:braket:::device/quantum-simulator/amazon/dm1"
_TN1 = "arn:aws:braket:::device/quantum-simulator/amazon/tn1"
_FORTE_1 = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
_FORTE_ENTERPRISE_1 = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
_HARMONY = "arn:aws:braket:us-east-1::device/qpu/ionq/Harmony"
_ANKAA_3 = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"
_ASPEN_M_3 = "arn:aws:braket:us-west-1::device/qpu/rigetti/Aspen-M-3"
_GARNET = "arn:aws:braket:eu-north-1::device/qpu/iqm/Garnet"
_AQUILA = "arn:aws:braket:us-east-1::device/qpu/quera/Aquila"
_LUCY = "arn:aws:braket:eu-west-2::device/qpu/oqc/Lucy"

# Statuses are chosen so that every device error path of the local service is reachable
# (an OFFLINE QPU, RETIRED QPUs from several providers and regions), not to mirror the
# live service on any given day.
_CATALOGUE: tuple[Device, ...] = (
    Device(_SV1, "SV1", "Amazon Braket", SIMULATOR, ONLINE, "sv1"),
    Device(_DM1, "DM1", "Amazon Braket", SIMULATOR, ONLINE, "dm1"),
    Device(_TN1, "TN1", "Amazon Braket", SIMULATOR, ONLINE, "tn1"),
    Device(_FORTE_1, "Forte 1", "IonQ", QPU, ONLINE, "ionq/forte-1"),
    Device(
        _FORTE_ENTERPRISE_1,
        "Forte Enterprise 1",
        "IonQ",
        QPU,
        OFFLINE,
        "ionq/forte-enterprise-1",
    ),
    Device(_HARMONY, "Harmony", "IonQ", QPU, RETIRED, "ionq/harmony"),
    Device(_ANKAA_3, "Ankaa-3", "Rigetti", QPU, ONLINE, "rigetti/ankaa-3"),
    Device(_ASPEN_M_3, "Aspen-M-3", "Rigetti", QPU, RETIRED, "rigetti/aspen-m-3"),
    Device(_GARNET, "Garnet", "IQM", QPU, ONLINE, "iqm/garnet"),
    Device(_AQUILA, "Aquila", "QuEra", QPU, ONLINE, "quera/aquila"),
    Device(_LUCY, "Lucy", "Oxford", QPU, RETIRED, "oqc/lucy"),
)

_BY_ARN: dict[str, Device] = {device.arn: device for device in _CATALOGUE}


def catalogue() -> tuple[Device, ...]:
    """Every device the local service knows, in the order SearchDevices lists them."""
    return _CATALOGUE


def find(arn: str) -> Device | None:
    """The device with exactly this ARN (ARNs are case-sensitive, as in Braket), or None."""
    return _BY_ARN.get(arn)


# -- shared capability pieces -------------------------------------------------------------

# A fixed timestamp keeps the documents byte-stable, so callers may compare or hash them.
_UPDATED_AT = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)

_BRAKET_DOCS = "https://docs.aws.amazon.com/braket/latest/developerguide/braket-devices.html"

# Clients of the local service finish tasks in milliseconds; a short suggested poll interval
# keeps the Braket SDK's AwsQuantumTask.result() from sleeping a second per round trip.
_POLL_MILLIS = 100

_GATE_OBSERVABLES = ["x", "y", "z", "h", "i"]
_SIMULATOR_OBSERVABLES = [*_GATE_OBSERVABLES, "hermitian"]

_STANDARD_GATES = (
    "ccnot",
    "cnot",
    "cphaseshift",
    "cphaseshift00",
    "cphaseshift01",
    "cphaseshift10",
    "cswap",
    "cy",
    "cz",
    "ecr",
    "h",
    "i",
    "iswap",
    "phaseshift",
    "pswap",
    "rx",
    "ry",
    "rz",
    "s",
    "si",
    "swap",
    "t",
    "ti",
    "v",
    "vi",
    "x",
    "xx",
    "xy",
    "y",
    "yy",
    "z",
    "zz",
)
_SIMULATOR_GATES = (*_STANDARD_GATES, "gphase", "gpi", "gpi2", "ms", "prx", "U", "unitary")
# JAQCD predates gphase, U and the trapped-ion/IQM gates, so its operation list is shorter.
_JAQCD_GATES = (*_STANDARD_GATES, "unitary")
_JAQCD_NOISE = (
    "amplitude_damping",
    "bit_flip",
    "depolarizing",
    "generalized_amplitude_damping",
    "kraus",
    "pauli_channel",
    "phase_damping",
    "phase_flip",
    "two_qubit_dephasing",
    "two_qubit_depolarizing",
)

_NOISE_PRAGMAS = tuple(f"braket_noise_{noise}" for noise in _JAQCD_NOISE)
_BASIC_RESULT_PRAGMAS = (
    "braket_result_type_expectation",
    "braket_result_type_probability",
    "braket_result_type_sample",
    "braket_result_type_variance",
)
_AMPLITUDE = "braket_result_type_amplitude"
_ADJOINT_GRADIENT = "braket_result_type_adjoint_gradient"
_DENSITY_MATRIX = "braket_result_type_density_matrix"
_STATE_VECTOR = "braket_result_type_state_vector"
_UNITARY = "braket_unitary_matrix"
_VERBATIM = "braket_verbatim"

# QPUs reject, rather than silently ignore, pragmas they cannot honour.
_QPU_FORBIDDEN_PRAGMAS = [
    *_NOISE_PRAGMAS,
    _UNITARY,
    _AMPLITUDE,
    _ADJOINT_GRADIENT,
    _DENSITY_MATRIX,
    _STATE_VECTOR,
]

_ALL_MODIFIERS = [
    Control(name="ctrl"),
    NegControl(name="negctrl"),
    Power(name="pow", exponent_types=["int", "float"]),
    Inverse(name="inv"),
]

_FORBIDDEN_ARRAY_OPERATIONS = [
    "concatenation",
    "negativeIndex",
    "range",
    "rangeWithStep",
    "slicing",
    "selection",
]


def _service(
    shots: tuple[int, int],
    price: float,
    unit: str,
    summary: str,
    location: str,
    documentation_url: str = _BRAKET_DOCS,
) -> Any:
    # Whole-day windows make AwsDevice.is_available depend only on status, never on the clock
    # the tests happen to run at.
    window = DeviceExecutionWindow(
        executionDay=ExecutionDay.EVERYDAY,
        windowStartHour=time(0, 0),
        windowEndHour=time(23, 59, 59),
    )
    return DeviceServiceProperties(
        executionWindows=[window],
        shotsRange=shots,
        deviceCost=DeviceCost(price=price, unit=unit),
        deviceDocumentation=DeviceDocumentation(
            imageUrl=None, summary=summary, externalDocumentationUrl=documentation_url
        ),
        deviceLocation=location,
        updatedAt=_UPDATED_AT,
        getTaskPollIntervalMillis=_POLL_MILLIS,
    )


def _result_types(
    shots: tuple[int, int], observables: list[str], *extra: tuple[str, list[str] | None, int, int]
) -> list[Any]:
    low, high = shots
    # Sampling needs at least one shot even where exact results (shots=0) are allowed.
    basic = [
        ResultType(name="Sample", observables=observables, minShots=max(low, 1), maxShots=high),
        ResultType(name="Expectation", observables=observables, minShots=low, maxShots=high),
        ResultType(name="Variance", observables=observables, minShots=low, maxShots=high),
        ResultType(name="Probability", observables=None, minShots=low, maxShots=high),
    ]
    exact = [
        ResultType(name=name, observables=obs, minShots=lo, maxShots=hi)
        for name, obs, lo, hi in extra
    ]
    return basic + exact


def _openqasm(
    operations: Iterable[str],
    result_types: list[Any],
    *,
    pragmas: Sequence[str],
    forbidden: Sequence[str],
    modifiers: Sequence[Any],
    physical_qubits: bool,
    measure_all: bool,
    contiguous: bool,
    partial_verbatim: bool,
    **extra: Any,
) -> Any:
    return OpenQASMDeviceActionProperties(
        actionType=DeviceActionType.OPENQASM.value,
        version=["1"],
        supportedOperations=sorted(set(operations)),
        supportedModifiers=list(modifiers),
        supportedPragmas=list(pragmas),
        forbiddenPragmas=list(forbidden),
        requiresAllQubitsMeasurement=measure_all,
        supportPhysicalQubits=physical_qubits,
        requiresContiguousQubitIndices=contiguous,
        supportsPartialVerbatimBox=partial_verbatim,
        disabledQubitRewiringSupported=physical_qubits,
        supportedResultTypes=result_types,
        **extra,
    )


def _program_set(executables: int, total_shots: int) -> Any:
    return OpenQASMProgramSetDeviceActionProperties(
        actionType=DeviceActionType.OPENQASM_PROGRAM_SET.value,
        version=["1"],
        maximumExecutables=executables,
        maximumTotalShots=total_shots,
    )


def _actions(*actions: Any) -> dict[str, Any]:
    # Plain DeviceActionProperties coerce actionType to the enum, whose str() is its name.
    return {DeviceActionType(action.actionType).value: action for action in actions}


def _undirected(edges: Iterable[tuple[int, int]]) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(str(a), []).append(str(b))
        graph.setdefault(str(b), []).append(str(a))
    return {node: sorted(peers, key=int) for node, peers in sorted(graph.items(), key=_int_key)}


def _directed(edges: Iterable[tuple[int, int]]) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {}
    for control, target in edges:
        graph.setdefault(str(control), []).append(str(target))
    return dict(sorted(graph.items(), key=_int_key))


def _int_key(item: tuple[str, list[str]]) -> int:
    return int(item[0])


def _gate_paradigm(qubits: int, native_gates: list[str], graph: dict[str, list[str]] | None) -> Any:
    # None means all-to-all (trapped ions); Braket then sends an empty graph.
    return GateModelQpuParadigmProperties(
        qubitCount=qubits,
        nativeGateSet=native_gates,
        connectivity=DeviceConnectivity(
            fullyConnected=graph is None, connectivityGraph=graph or {}
        ),
    )


def _wobble(seed: int, scale: float) -> float:
    # Deterministic per-qubit variation so calibration data is not suspiciously uniform,
    # while the documents stay identical from run to run.
    return ((seed * 7919) % 13) / 12 * scale


def _standardized(
    qubits: Sequence[int],
    edges: Sequence[tuple[int, int]],
    two_qubit_gate: str,
    *,
    rb_name: str,
    t1: float,
    t2: float,
    f1q: float,
    readout: float,
    f2q: float,
    directed: bool = False,
) -> Any:
    one_qubit = {
        str(q): OneQubitProperties(
            T1=CoherenceTime(
                value=round(t1 * (1 - _wobble(q, 0.3)), 9), standardError=None, unit="S"
            ),
            T2=CoherenceTime(
                value=round(t2 * (1 - _wobble(q + 1, 0.3)), 9), standardError=None, unit="S"
            ),
            oneQubitFidelity=[
                Fidelity1Q(
                    fidelityType=FidelityType(name=rb_name, description=None),
                    fidelity=round(f1q - _wobble(q, 1 - f1q), 6),
                    standardError=None,
                ),
                Fidelity1Q(
                    fidelityType=FidelityType(name="READOUT", description=None),
                    fidelity=round(readout - _wobble(q + 2, 1 - readout), 6),
                    standardError=None,
                ),
            ],
        )
        for q in qubits
    }
    two_qubit = {
        f"{a}-{b}": TwoQubitProperties(
            twoQubitGateFidelity=[
                GateFidelity2Q(
                    direction={"control": a, "target": b} if directed else None,
                    gateName=two_qubit_gate,
                    fidelity=round(f2q - _wobble(a + b, 1 - f2q), 6),
                    standardError=None,
                    fidelityType=FidelityType(
                        name="INTERLEAVED_RANDOMIZED_BENCHMARKING", description=None
                    ),
                )
            ]
        )
        for a, b in edges
    }
    return StandardizedGateModelQpuDeviceProperties(
        oneQubitProperties=one_qubit, twoQubitProperties=two_qubit
    )


# -- simulators ---------------------------------------------------------------------------

_SIMULATOR_LOCATION = "us-east-1, us-west-1, us-west-2, eu-west-2, eu-north-1"
_SIMULATOR_PARAMETERS = GateModelSimulatorDeviceParameters.schema()


def _simulator(
    qubits: int,
    shots: tuple[int, int],
    price: float,
    summary: str,
    *,
    exact_results: Sequence[tuple[str, list[str] | None, int, int]],
    pragmas: Sequence[str],
    forbidden: Sequence[str],
    jaqcd_extra: Sequence[str] = (),
) -> Any:
    result_types = _result_types(shots, _SIMULATOR_OBSERVABLES, *exact_results)
    openqasm = _openqasm(
        _SIMULATOR_GATES,
        result_types,
        pragmas=pragmas,
        forbidden=forbidden,
        modifiers=_ALL_MODIFIERS,
        physical_qubits=False,
        measure_all=False,
        contiguous=False,
        partial_verbatim=True,
    )
    jaqcd = JaqcdDeviceActionProperties(
        actionType=DeviceActionType.JAQCD.value,
        version=["1"],
        supportedOperations=sorted({*_JAQCD_GATES, *jaqcd_extra}),
        supportedResultTypes=result_types,
    )
    return GateModelSimulatorDeviceCapabilities(
        service=_service(shots, price, "minute", summary, _SIMULATOR_LOCATION),
        action=_actions(openqasm, jaqcd, _program_set(100, 200_000)),
        paradigm=GateModelSimulatorParadigmProperties(qubitCount=qubits),
        deviceParameters=_SIMULATOR_PARAMETERS,
    )


def _sv1() -> Any:
    shots = (0, 100_000)
    return _simulator(
        34,
        shots,
        0.075,
        "State vector simulator for circuits of up to 34 qubits.",
        exact_results=[
            ("Amplitude", None, 0, 0),
            ("AdjointGradient", _SIMULATOR_OBSERVABLES, 0, 0),
        ],
        pragmas=[_VERBATIM, _UNITARY, *_BASIC_RESULT_PRAGMAS, _AMPLITUDE, _ADJOINT_GRADIENT],
        forbidden=[*_NOISE_PRAGMAS, _DENSITY_MATRIX, _STATE_VECTOR],
    )


def _dm1() -> Any:
    shots = (0, 100_000)
    return _simulator(
        17,
        shots,
        0.075,
        "Density matrix simulator for noisy circuits of up to 17 qubits.",
        exact_results=[("DensityMatrix", None, 0, 0)],
        pragmas=[_VERBATIM, _UNITARY, *_NOISE_PRAGMAS, *_BASIC_RESULT_PRAGMAS, _DENSITY_MATRIX],
        forbidden=[_AMPLITUDE, _ADJOINT_GRADIENT, _STATE_VECTOR],
        jaqcd_extra=_JAQCD_NOISE,
    )


def _tn1() -> Any:
    shots = (0, 999)
    return _simulator(
        50,
        shots,
        0.275,
        "Tensor network simulator for structured circuits of up to 50 qubits.",
        exact_results=[],
        pragmas=[_VERBATIM, *_BASIC_RESULT_PRAGMAS],
        forbidden=[*_NOISE_PRAGMAS, _UNITARY, _AMPLITUDE, _ADJOINT_GRADIENT, _DENSITY_MATRIX],
    )


# -- IonQ ---------------------------------------------------------------------------------

_IONQ_PARAMETERS = IonqDeviceParameters.schema()


def _ionq(
    qubits: int,
    native_gates: list[str],
    shots: tuple[int, int],
    price: float,
    summary: str,
    *,
    fidelity_1q: float,
    fidelity_2q: float,
    spam: float,
) -> Any:
    openqasm = _openqasm(
        [*_STANDARD_GATES, *native_gates],
        _result_types(shots, _GATE_OBSERVABLES),
        pragmas=[_VERBATIM, *_BASIC_RESULT_PRAGMAS],
        forbidden=_QPU_FORBIDDEN_PRAGMAS,
        modifiers=[],
        # Trapped ions are compiled onto a single register: all qubits measured, contiguous.
        physical_qubits=False,
        measure_all=True,
        contiguous=True,
        partial_verbatim=False,
        maximumQubitArrays=1,
        maximumClassicalArrays=1,
        forbiddenArrayOperations=_FORBIDDEN_ARRAY_OPERATIONS,
        supportsUnassignedMeasurements=False,
    )
    provider = IonqProviderProperties(
        fidelity={"1Q": {"mean": fidelity_1q}, "2Q": {"mean": fidelity_2q}, "spam": {"mean": spam}},
        timing={
            "T1": 100.0,
            "T2": 1.0,
            "1Q": 1.35e-4,
            "2Q": 6.0e-4,
            "readout": 3.0e-4,
            "reset": 2.0e-5,
        },
        errorMitigation={Debias: ErrorMitigationProperties(minimumShots=2500)},
    )
    return IonqDeviceCapabilities(
        service=_service(
            shots, price, "shot", summary, "College Park, Maryland", "https://ionq.com/"
        ),
        action=_actions(openqasm, _program_set(100, 100_000)),
        paradigm=_gate_paradigm(qubits, native_gates, None),
        provider=provider,
        standardized=None,
        deviceParameters=_IONQ_PARAMETERS,
    )


def _forte_1() -> Any:
    return _ionq(
        36,
        ["gpi", "gpi2", "zz"],
        (1, 5_000),
        0.08,
        "Trapped-ion QPU with 36 all-to-all connected qubits.",
        fidelity_1q=0.9998,
        fidelity_2q=0.9932,
        spam=0.9959,
    )


def _forte_enterprise_1() -> Any:
    return _ionq(
        36,
        ["gpi", "gpi2", "zz"],
        (1, 5_000),
        0.08,
        "Data-centre trapped-ion QPU with 36 all-to-all connected qubits.",
        fidelity_1q=0.9997,
        fidelity_2q=0.9941,
        spam=0.9951,
    )


def _harmony() -> Any:
    return _ionq(
        11,
        ["gpi", "gpi2", "ms"],
        (1, 10_000),
        0.01,
        "Retired 11-qubit trapped-ion QPU.",
        fidelity_1q=0.9958,
        fidelity_2q=0.9615,
        spam=0.99752,
    )


# -- Rigetti ------------------------------------------------------------------------------

_RIGETTI_PARAMETERS = RigettiDeviceParameters.schema()
_RIGETTI_LOCATION = "Berkeley, California"


def _rigetti_openqasm(native_gates: list[str], shots: tuple[int, int]) -> Any:
    return _openqasm(
        [*_STANDARD_GATES, *native_gates],
        _result_types(shots, _GATE_OBSERVABLES),
        pragmas=[_VERBATIM, *_BASIC_RESULT_PRAGMAS],
        forbidden=_QPU_FORBIDDEN_PRAGMAS,
        modifiers=_ALL_MODIFIERS,
        physical_qubits=True,
        measure_all=False,
        contiguous=False,
        partial_verbatim=True,
    )


def _ankaa_3() -> Any:
    # A 7 x 12 square lattice with tunable couplers between nearest neighbours.
    rows, columns = 7, 12
    qubits = list(range(rows * columns))
    edges = [(q, q + 1) for q in qubits if q % columns != columns - 1]
    edges += [(q, q + columns) for q in qubits if q + columns < rows * columns]
    edges.sort()
    native_gates = ["rx", "rz", "iswap"]
    shots = (10, 50_000)
    provider = RigettiProviderPropertiesV2(
        specs={
            "name": "Ankaa-3",
            "architecture": {
                "family": "Ankaa",
                "nodes": [{"node_id": q} for q in qubits],
                "edges": [{"node_ids": [a, b]} for a, b in edges],
            },
        }
    )
    return RigettiDeviceCapabilitiesV2(
        service=_service(
            shots,
            0.0009,
            "shot",
            "Superconducting QPU with 84 qubits on a square lattice.",
            _RIGETTI_LOCATION,
            "https://www.rigetti.com/",
        ),
        action=_actions(_rigetti_openqasm(native_gates, shots), _program_set(100, 200_000)),
        paradigm=_gate_paradigm(len(qubits), native_gates, _undirected(edges)),
        provider=provider,
        standardized=_standardized(
            qubits,
            edges,
            "ISWAP",
            rb_name="RANDOMIZED_BENCHMARKING",
            t1=2.2e-5,
            t2=1.6e-5,
            f1q=0.9991,
            readout=0.962,
            f2q=0.9952,
        ),
        pulse=None,
        deviceParameters=_RIGETTI_PARAMETERS,
    )


def _aspen_m_3() -> Any:
    # Two rows of five octagons; labels follow Rigetti's row*100 + octagon*10 + position
    # scheme, and one qubit is missing, as on the real lattice.
    dead = 136
    qubits = [
        row * 100 + octagon * 10 + position
        for row in range(2)
        for octagon in range(5)
        for position in range(8)
        if row * 100 + octagon * 10 + position != dead
    ]
    present = set(qubits)
    candidate: list[tuple[int, int]] = []
    for row in range(2):
        for octagon in range(5):
            base = row * 100 + octagon * 10
            candidate += [(base + p, base + (p + 1) % 8) for p in range(8)]
            if octagon < 4:
                candidate += [(base + 1, base + 16), (base + 2, base + 15)]
    candidate += [(octagon * 10 + 4, 100 + octagon * 10 + 7) for octagon in range(5)]
    candidate += [(octagon * 10 + 3, 100 + octagon * 10) for octagon in range(5)]
    edges = sorted({(min(a, b), max(a, b)) for a, b in candidate if a in present and b in present})
    native_gates = ["rx", "rz", "cz", "cphaseshift", "xy"]
    shots = (10, 100_000)
    provider = RigettiProviderProperties(
        specs={
            "1Q": {
                str(q): {"f1QRB": 0.997, "fRO": 0.94, "T1": 2.9e-5, "T2": 2.1e-5} for q in qubits
            },
            "2Q": {f"{a}-{b}": {"fCZ": 0.94, "fXY": 0.92} for a, b in edges},
        }
    )
    return RigettiDeviceCapabilities(
        service=_service(
            shots,
            0.00035,
            "shot",
            "Retired 79-qubit superconducting QPU on an octagonal lattice.",
            _RIGETTI_LOCATION,
            "https://www.rigetti.com/",
        ),
        action=_actions(_rigetti_openqasm(native_gates, shots)),
        paradigm=_gate_paradigm(len(qubits), native_gates, _undirected(edges)),
        provider=provider,
        standardized=_standardized(
            qubits,
            edges,
            "CZ",
            rb_name="RANDOMIZED_BENCHMARKING",
            t1=2.9e-5,
            t2=2.1e-5,
            f1q=0.997,
            readout=0.94,
            f2q=0.94,
        ),
        pulse=None,
        deviceParameters=_RIGETTI_PARAMETERS,
    )


# -- IQM ----------------------------------------------------------------------------------

_GARNET_EDGES = (
    (1, 2), (1, 4), (2, 5), (3, 4), (3, 8), (4, 5), (4, 9), (5, 6), (5, 10), (6, 11),
    (7, 8), (7, 12), (8, 9), (8, 13), (9, 10), (9, 14), (10, 11), (10, 15), (11, 16),
    (12, 13), (13, 14), (13, 17), (14, 15), (14, 18), (15, 16), (15, 19), (16, 20),
    (17, 18), (18, 19), (19, 20),
)  # fmt: skip


def _garnet() -> Any:
    # IQM numbers qubits from 1, which exercises clients that assume 0-based labels.
    qubits = list(range(1, 21))
    native_gates = ["cz", "prx"]
    shots = (1, 20_000)
    standardized = _standardized(
        qubits,
        _GARNET_EDGES,
        "CZ",
        rb_name="RANDOMIZED_BENCHMARKING",
        t1=4.5e-5,
        t2=1.8e-5,
        f1q=0.9992,
        readout=0.975,
        f2q=0.9946,
    )
    provider = IqmProviderProperties(
        properties={
            "one_qubit": {
                str(q): {"T1": 4.5e-5, "T2": 1.8e-5, "fRB": 0.9992, "fRO": 0.975} for q in qubits
            },
            "two_qubit": {f"{a}-{b}": {"cz_fidelity": 0.9946} for a, b in _GARNET_EDGES},
        }
    )
    openqasm = _openqasm(
        [*_STANDARD_GATES, *native_gates],
        _result_types(shots, _GATE_OBSERVABLES),
        pragmas=[_VERBATIM, *_BASIC_RESULT_PRAGMAS],
        forbidden=_QPU_FORBIDDEN_PRAGMAS,
        modifiers=_ALL_MODIFIERS,
        physical_qubits=True,
        measure_all=False,
        contiguous=False,
        partial_verbatim=False,
    )
    return IqmDeviceCapabilities(
        service=_service(
            shots,
            0.00145,
            "shot",
            "Superconducting QPU with 20 qubits on a square lattice.",
            "Espoo, Finland",
            "https://meetiqm.com/",
        ),
        action=_actions(openqasm, _program_set(100, 200_000)),
        paradigm=_gate_paradigm(len(qubits), native_gates, _undirected(_GARNET_EDGES)),
        provider=provider,
        standardized=standardized,
        deviceParameters=IqmDeviceParameters.schema(),
    )


# -- OQC ----------------------------------------------------------------------------------

# ECR is directional, so Lucy's ring lists each coupler once, control first.
_LUCY_EDGES = ((0, 1), (0, 7), (1, 2), (2, 3), (4, 3), (4, 5), (6, 5), (7, 6))


def _lucy() -> Any:
    qubits = list(range(8))
    native_gates = ["ecr", "i", "rz", "v", "x"]
    shots = (1, 10_000)
    provider = OqcProviderProperties(
        properties={
            "one_qubit": {
                str(q): {"T1": 3.1e-5, "T2": 3.4e-5, "fRB": 0.9991, "fRO": 0.92} for q in qubits
            },
            "two_qubit": {
                f"{a}-{b}": {"coupling": {"control_qubit": a, "target_qubit": b}, "fCX": 0.93}
                for a, b in _LUCY_EDGES
            },
        }
    )
    openqasm = _openqasm(
        [*_STANDARD_GATES, *native_gates],
        _result_types(shots, _GATE_OBSERVABLES),
        pragmas=[_VERBATIM, *_BASIC_RESULT_PRAGMAS],
        forbidden=_QPU_FORBIDDEN_PRAGMAS,
        modifiers=[],
        physical_qubits=True,
        measure_all=False,
        contiguous=False,
        partial_verbatim=False,
    )
    return OqcDeviceCapabilities(
        service=_service(
            shots,
            0.00035,
            "shot",
            "Retired 8-qubit superconducting QPU with ring connectivity.",
            "Reading, United Kingdom",
            "https://oxfordquantumcircuits.com/",
        ),
        action=_actions(openqasm),
        paradigm=_gate_paradigm(len(qubits), native_gates, _directed(_LUCY_EDGES)),
        provider=provider,
        standardized=_standardized(
            qubits,
            _LUCY_EDGES,
            "ECR",
            rb_name="RANDOMIZED_BENCHMARKING",
            t1=3.1e-5,
            t2=3.4e-5,
            f1q=0.9991,
            readout=0.92,
            f2q=0.93,
            directed=True,
        ),
        pulse=None,
        deviceParameters=OqcDeviceParameters.schema(),
    )


# -- QuEra --------------------------------------------------------------------------------


def _d(value: str) -> Decimal:
    # Strings, not floats, so the limits serialise exactly as written.
    return Decimal(value)


def _aquila() -> Any:
    shots = (1, 1_000)
    paradigm = QueraAhsParadigmProperties(
        qubitCount=256,
        lattice=Lattice(
            area=Area(width=_d("7.5E-5"), height=_d("7.6E-5")),
            geometry=Geometry(
                spacingRadialMin=_d("4E-6"),
                spacingVerticalMin=_d("4E-6"),
                positionResolution=_d("1E-7"),
                numberSitesMax=256,
            ),
        ),
        rydberg=Rydberg(
            c6Coefficient=_d("5.42E-24"),
            rydbergGlobal=RydbergGlobal(
                rabiFrequencyRange=(_d("0"), _d("1.58E7")),
                rabiFrequencyResolution=_d("400"),
                rabiFrequencySlewRateMax=_d("2.5E14"),
                detuningRange=(_d("-1.25E8"), _d("1.25E8")),
                detuningResolution=_d("0.2"),
                detuningSlewRateMax=_d("2.5E15"),
                phaseRange=(_d("-99"), _d("99")),
                phaseResolution=_d("5E-7"),
                timeResolution=_d("1E-9"),
                timeDeltaMin=_d("5E-8"),
                timeMin=_d("1E-6"),
                timeMax=_d("4E-6"),
            ),
            rydbergLocal=RydbergLocal(
                detuningRange=(_d("0"), _d("1.25E8")),
                detuningSlewRateMax=_d("1.25E15"),
                siteCoefficientRange=(_d("0"), _d("1")),
                numberLocalDetuningSitesMax=_d("200"),
                spacingRadialMin=_d("5E-6"),
                timeResolution=_d("1E-9"),
                timeDeltaMin=_d("5E-8"),
            ),
        ),
        performance=Performance(
            lattice=PerformanceLattice(
                positionErrorAbs=_d("2.5E-8"),
                sitePositionError=_d("2.5E-8"),
                atomPositionError=_d("2.5E-8"),
                fillingErrorTypical=_d("0.008"),
                fillingErrorWorst=_d("0.05"),
                vacancyErrorTypical=_d("0.001"),
                vacancyErrorWorst=_d("0.005"),
                atomLossProbabilityTypical=_d("0.005"),
                atomLossProbabilityWorst=_d("0.01"),
                atomCaptureProbabilityTypical=_d("0.0001"),
                atomCaptureProbabilityWorst=_d("0.001"),
                atomDetectionErrorFalsePositiveTypical=_d("0.01"),
                atomDetectionErrorFalsePositiveWorst=_d("0.05"),
                atomDetectionErrorFalseNegativeTypical=_d("0.01"),
                atomDetectionErrorFalseNegativeWorst=_d("0.05"),
            ),
            rydberg=PerformanceRydberg(
                rydbergGlobal=PerformanceRydbergGlobal(
                    rabiFrequencyErrorRel=_d("0.03"),
                    rabiFrequencyGlobalErrorRel=_d("0.02"),
                    rabiFrequencyInhomogeneityRel=_d("0.02"),
                    groundDetectionError=_d("0.05"),
                    rydbergDetectionError=_d("0.1"),
                    groundPrepError=_d("0.01"),
                    rydbergPrepErrorBest=_d("0.05"),
                    rydbergPrepErrorWorst=_d("0.07"),
                    T1Single=_d("7.5E-5"),
                    T1Ensemble=_d("7.5E-5"),
                    T2StarSingle=_d("5E-6"),
                    T2StarEnsemble=_d("4.5E-6"),
                    T2EchoSingle=_d("8E-6"),
                    T2EchoEnsemble=_d("6E-6"),
                    T2RabiSingle=_d("5E-6"),
                    T2RabiEnsemble=_d("4E-6"),
                    T2BlockadedRabiSingle=_d("3.5E-6"),
                    T2BlockadedRabiEnsemble=_d("3E-6"),
                    detuningError=_d("1E6"),
                    detuningInhomogeneity=_d("1E6"),
                    rabiAmplitudeRampCorrection=[
                        RabiCorrection(rampTime=_d("5E-8"), rabiCorrection=_d("0.92")),
                        RabiCorrection(rampTime=_d("7.5E-8"), rabiCorrection=_d("0.97")),
                        RabiCorrection(rampTime=_d("1E-7"), rabiCorrection=_d("1")),
                    ],
                ),
                rydbergLocal=PerformanceRydbergLocal(
                    detuningErrorRms=_d("0.05"),
                    siteCoefficientErrorRms=_d("0.01"),
                    errorRateIncoherentBright=_d("0.03"),
                    errorRateIncoherentDark=_d("0.001"),
                    crosstalk=_d("0.01"),
                ),
            ),
        ),
    )
    ahs = DeviceActionProperties(actionType=DeviceActionType.AHS.value, version=["1"])
    return QueraDeviceCapabilities(
        service=_service(
            shots,
            0.01,
            "shot",
            "Neutral-atom analog Hamiltonian simulator with up to 256 atoms.",
            "Boston, Massachusetts",
            "https://www.quera.com/aquila",
        ),
        action=_actions(ahs),
        paradigm=paradigm,
        # Aquila takes no device parameters; the schema still requires the member.
        deviceParameters={},
    )


_BUILDERS: dict[str, Callable[[], Any]] = {
    _SV1: _sv1,
    _DM1: _dm1,
    _TN1: _tn1,
    _FORTE_1: _forte_1,
    _FORTE_ENTERPRISE_1: _forte_enterprise_1,
    _HARMONY: _harmony,
    _ANKAA_3: _ankaa_3,
    _ASPEN_M_3: _aspen_m_3,
    _GARNET: _garnet,
    _AQUILA: _aquila,
    _LUCY: _lucy,
}


@functools.cache
def _capabilities_json(arn: str) -> str:
    # Building and validating the pydantic models takes tens of milliseconds per device, and
    # GetDevice is called for nearly every task, so each document is built once per process.
    text: str = _BUILDERS[arn]().json()
    return text
