"""The devices the local Braket service advertises, with schema-valid deviceCapabilities."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from braket.device_schema import (
    BlackbirdDeviceActionProperties,
    ContinuousVariableQpuParadigmProperties,
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
from braket.device_schema.aqt import AqtDeviceCapabilities, AqtProviderProperties
from braket.device_schema.aqt.aqt_provider_properties_v1 import (
    Characterisation,
    GateFidelity,
    PositiveFloatValueWithUncertainty,
)
from braket.device_schema.device_action_properties import DeviceActionProperties
from braket.device_schema.device_service_properties_v1 import DeviceCost, DeviceDocumentation
from braket.device_schema.dwave import (
    Dwave2000QDeviceParameters,
    DwaveAdvantageDeviceParameters,
    DwaveDeviceCapabilities,
    DwaveProviderProperties,
)
from braket.device_schema.error_mitigation import Debias, ErrorMitigationProperties
from braket.device_schema.ionq import (
    IonqDeviceCapabilities,
    IonqDeviceParameters,
    IonqProviderProperties,
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
from braket.device_schema.standardized_gate_model_qpu_device_properties_v3 import (
    Duration,
    Fidelity,
)
from braket.device_schema.standardized_gate_model_qpu_device_properties_v3 import (
    FidelityType as FidelityTypeV3,
)
from braket.device_schema.standardized_gate_model_qpu_device_properties_v3 import (
    OneQubitProperties as OneQubitPropertiesV3,
)
from braket.device_schema.standardized_gate_model_qpu_device_properties_v3 import (
    StandardizedGateModelQpuDeviceProperties as StandardizedV3,
)
from braket.device_schema.xanadu import (
    XanaduDeviceCapabilities,
    XanaduDeviceParameters,
    XanaduProviderProperties,
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
    # A user's own deviceCapabilities file (the device_properties setting) served instead of
    # the catalogue's document, for example one saved from AwsDevice(arn).properties.
    properties_file: str | None = None

    @property
    def region(self) -> str | None:
        """The region the device lives in; None for simulators, which exist in every region."""
        return self.arn.split(":")[3] or None

    def capabilities_json(self) -> str:
        """The deviceCapabilities document GetDevice returns for this device."""
        if self.properties_file:
            return _file_capabilities_json(self.properties_file, file_mtime(self.properties_file))
        return _capabilities_json(self.arn)

    def capabilities(self) -> dict[str, Any]:
        """The same document parsed; shared, so callers must not change it."""
        if self.properties_file:
            return _file_capabilities(self.properties_file, file_mtime(self.properties_file))
        return _capabilities(self.arn)

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
_ARIA_1 = "arn:aws:braket:us-east-1::device/qpu/ionq/Aria-1"
_ARIA_2 = "arn:aws:braket:us-east-1::device/qpu/ionq/Aria-2"
_ANKAA_3 = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"
_ASPEN_M_3 = "arn:aws:braket:us-west-1::device/qpu/rigetti/Aspen-M-3"
_CEPHEUS_1_108Q = "arn:aws:braket:us-west-1::device/qpu/rigetti/Cepheus-1-108Q"
_ANKAA_2 = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-2"
_ASPEN_M_2 = "arn:aws:braket:us-west-1::device/qpu/rigetti/Aspen-M-2"
_ASPEN_M_1 = "arn:aws:braket:us-west-1::device/qpu/rigetti/Aspen-M-1"
_ASPEN_11 = "arn:aws:braket:::device/qpu/rigetti/Aspen-11"
_ASPEN_10 = "arn:aws:braket:::device/qpu/rigetti/Aspen-10"
_ASPEN_9 = "arn:aws:braket:::device/qpu/rigetti/Aspen-9"
_ASPEN_8 = "arn:aws:braket:::device/qpu/rigetti/Aspen-8"
_GARNET = "arn:aws:braket:eu-north-1::device/qpu/iqm/Garnet"
_EMERALD = "arn:aws:braket:eu-north-1::device/qpu/iqm/Emerald"
_AQUILA = "arn:aws:braket:us-east-1::device/qpu/quera/Aquila"
_LUCY = "arn:aws:braket:eu-west-2::device/qpu/oqc/Lucy"
_IBEX_Q1 = "arn:aws:braket:eu-north-1::device/qpu/aqt/Ibex-Q1"
_ADVANTAGE_1 = "arn:aws:braket:::device/qpu/d-wave/Advantage_system1"
_ADVANTAGE_3 = "arn:aws:braket:::device/qpu/d-wave/Advantage_system3"
_ADVANTAGE_4 = "arn:aws:braket:::device/qpu/d-wave/Advantage_system4"
_ADVANTAGE_6 = "arn:aws:braket:us-west-2::device/qpu/d-wave/Advantage_system6"
_DW_2000Q_6 = "arn:aws:braket:::device/qpu/d-wave/DW_2000Q_6"
_BOREALIS = "arn:aws:braket:us-east-1::device/qpu/xanadu/Borealis"

_DWAVE = "D-Wave Systems"

# Every device of the Braket SDK's braket.devices.Devices enum, with the status Braket shows:
# current devices ONLINE, devices the SDK marks deprecated (a leading underscore in the enum)
# RETIRED, except TN1 and Ankaa-3, which Braket still lists. The offline path is reached with
# the device_status setting, which marks any device OFFLINE (or RETIRED) without changing what
# real code sees by default.
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
        ONLINE,
        "ionq/forte-enterprise-1",
    ),
    Device(_HARMONY, "Harmony", "IonQ", QPU, RETIRED, "ionq/harmony"),
    Device(_ARIA_1, "Aria 1", "IonQ", QPU, RETIRED, "ionq/aria-1"),
    Device(_ARIA_2, "Aria 2", "IonQ", QPU, RETIRED, "ionq/aria-2"),
    Device(_ANKAA_3, "Ankaa-3", "Rigetti", QPU, ONLINE, "rigetti/ankaa-3"),
    Device(_ASPEN_M_3, "Aspen-M-3", "Rigetti", QPU, RETIRED, "rigetti/aspen-m-3"),
    Device(_CEPHEUS_1_108Q, "Cepheus-1-108Q", "Rigetti", QPU, ONLINE, "rigetti/cepheus-1-108q"),
    Device(_ANKAA_2, "Ankaa-2", "Rigetti", QPU, RETIRED, "rigetti/ankaa-2"),
    Device(_ASPEN_M_2, "Aspen-M-2", "Rigetti", QPU, RETIRED, "rigetti/aspen-m-2"),
    Device(_ASPEN_M_1, "Aspen-M-1", "Rigetti", QPU, RETIRED, "rigetti/aspen-m-1"),
    Device(_ASPEN_11, "Aspen-11", "Rigetti", QPU, RETIRED, "rigetti/aspen-11"),
    Device(_ASPEN_10, "Aspen-10", "Rigetti", QPU, RETIRED, "rigetti/aspen-10"),
    Device(_ASPEN_9, "Aspen-9", "Rigetti", QPU, RETIRED, "rigetti/aspen-9"),
    Device(_ASPEN_8, "Aspen-8", "Rigetti", QPU, RETIRED, "rigetti/aspen-8"),
    Device(_GARNET, "Garnet", "IQM", QPU, ONLINE, "iqm/garnet"),
    Device(_EMERALD, "Emerald", "IQM", QPU, ONLINE, "iqm/emerald"),
    Device(_AQUILA, "Aquila", "QuEra", QPU, ONLINE, "quera/aquila"),
    Device(_LUCY, "Lucy", "Oxford", QPU, RETIRED, "oqc/lucy"),
    Device(_IBEX_Q1, "IBEX Q1", "AQT", QPU, ONLINE, "aqt/ibex-q1"),
    Device(_ADVANTAGE_1, "Advantage_system1", _DWAVE, QPU, RETIRED, "d-wave/advantage_system1"),
    Device(_ADVANTAGE_3, "Advantage_system3", _DWAVE, QPU, RETIRED, "d-wave/advantage_system3"),
    Device(_ADVANTAGE_4, "Advantage_system4", _DWAVE, QPU, RETIRED, "d-wave/advantage_system4"),
    Device(_ADVANTAGE_6, "Advantage_system6", _DWAVE, QPU, RETIRED, "d-wave/advantage_system6"),
    Device(_DW_2000Q_6, "DW_2000Q_6", _DWAVE, QPU, RETIRED, "d-wave/dw_2000q_6"),
    Device(_BOREALIS, "Borealis", "Xanadu", QPU, RETIRED, "xanadu/borealis"),
)

_BY_ARN: dict[str, Device] = {device.arn: device for device in _CATALOGUE}


def catalogue(
    statuses: Mapping[str, str] | None = None, properties: Mapping[str, str] | None = None
) -> tuple[Device, ...]:
    """Every device the local service knows, in the order SearchDevices lists them, with the
    statuses ``statuses`` and the properties files ``properties`` (both by ARN) give instead of
    the catalogue's."""
    if not statuses and not properties:
        return _CATALOGUE
    return tuple(_as(device, statuses or {}, properties or {}) for device in _CATALOGUE)


def find(
    arn: str,
    statuses: Mapping[str, str] | None = None,
    properties: Mapping[str, str] | None = None,
) -> Device | None:
    """The device with exactly this ARN (ARNs are case-sensitive, as in Braket), or None."""
    device = _BY_ARN.get(arn)
    if device is None or not (statuses or properties):
        return device
    return _as(device, statuses or {}, properties or {})


def resolve(name: str) -> Device | None:
    """A device by its ARN or its short name (``ionq/forte-1``, any case), or None."""
    wanted = name.strip().lower()
    for device in _CATALOGUE:
        if wanted in (device.arn.lower(), device.short_name.lower()):
            return device
    return None


def _as(device: Device, statuses: Mapping[str, str], properties: Mapping[str, str]) -> Device:
    status = statuses.get(device.arn, device.status)
    return dataclasses.replace(device, status=status, properties_file=properties.get(device.arn))


def read_properties(path: str, arn: str) -> str:
    """A user's deviceCapabilities file as GetDevice serves it, or ValueError naming what is
    wrong: it must parse as a Braket device schema of the same kind as the device's own.

    Files saved with ``json.dump(device.properties.json(), f)`` hold the document as one JSON
    string; both that and the plain document are read."""
    try:
        raw = json.loads(Path(path).read_text())
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not JSON: {error}") from None
    if isinstance(raw, str):
        raw = json.loads(raw)
    document = _validated(raw, path)
    ours = json.loads(_capabilities_json(arn))["braketSchemaHeader"]["name"]
    theirs = document["braketSchemaHeader"]["name"]
    if ours != theirs:
        raise ValueError(f"{path} describes a {theirs} device; {arn} is a {ours} device")
    return json.dumps(document)


def _validated(document: Any, where: str) -> dict[str, Any]:
    # Validated against the amazon-braket-schemas models, as the SDK will parse it; served
    # as written, so a published snapshot reaches clients unchanged.
    from braket.schema_common import BraketSchemaBase

    if not isinstance(document, dict) or "braketSchemaHeader" not in document:
        raise ValueError(f"{where} is not a Braket deviceCapabilities document")
    try:
        BraketSchemaBase.parse_raw_schema(json.dumps(document))
    except Exception as error:
        first = str(error).strip().splitlines()
        raise ValueError(
            f"{where} does not match the Braket device schemas: {' '.join(first[:3])}"
        ) from None
    return document


def file_mtime(path: str) -> float:
    """When a properties file last changed, so whoever caches what it says reads it again."""
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


@functools.lru_cache(maxsize=32)
def _file_capabilities_json(path: str, mtime: float) -> str:
    # Keyed by the file's modification time, so an edited file is read again.
    document = json.loads(Path(path).read_text())
    return json.dumps(json.loads(document) if isinstance(document, str) else document)


@functools.lru_cache(maxsize=32)
def _file_capabilities(path: str, mtime: float) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(_file_capabilities_json(path, mtime))
    return parsed


# Devices whose calibration Braket has published: each file holds the deviceCapabilities
# document as published and where it came from (its "source").
_DATA = Path(__file__).with_name("device_data")
_SNAPSHOTS = {
    _GARNET: "iqm-garnet",
    _EMERALD: "iqm-emerald",
    _CEPHEUS_1_108Q: "rigetti-cepheus-1-108q",
    _FORTE_ENTERPRISE_1: "ionq-forte-enterprise-1",
}


def snapshot_source(arn: str) -> dict[str, str] | None:
    """Where a device's published snapshot came from, or None for a derived document."""
    name = _SNAPSHOTS.get(arn)
    if name is None:
        return None
    source: dict[str, str] = json.loads((_DATA / f"{name}.json").read_text())["source"]
    return source


def _snapshot(arn: str) -> str:
    name = _SNAPSHOTS[arn]
    document = json.loads((_DATA / f"{name}.json").read_text())
    return json.dumps(_validated(document["capabilities"], f"device_data/{name}.json"))


# -- shared capability pieces -------------------------------------------------------------

# A fixed timestamp keeps the documents byte-stable, so callers may compare or hash them.
_UPDATED_AT = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
DERIVED = (
    "Calibration derived by pulumi-braket from the provider's published specifications, "
    "not measured on the device."
)

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
    if unit != "minute":
        # A QPU without a published snapshot: its figures are derived, and say so where a
        # client looks (the published snapshots are in device_data/).
        summary += f" {DERIVED}"
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


def _superconducting_openqasm(
    native_gates: list[str],
    shots: tuple[int, int],
    *,
    modifiers: Sequence[Any],
    partial_verbatim: bool,
) -> Any:
    # Fixed-lattice QPUs address physical qubits and measure only the qubits a program names.
    return _openqasm(
        [*_STANDARD_GATES, *native_gates],
        _result_types(shots, _GATE_OBSERVABLES),
        pragmas=[_VERBATIM, *_BASIC_RESULT_PRAGMAS],
        forbidden=_QPU_FORBIDDEN_PRAGMAS,
        modifiers=modifiers,
        physical_qubits=True,
        measure_all=False,
        contiguous=False,
        partial_verbatim=partial_verbatim,
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


# A lattice is its qubit labels and its couplers, each coupler listed once.
_Lattice = tuple[list[int], list[tuple[int, int]]]


def _square_lattice(rows: int, columns: int) -> _Lattice:
    # Nearest-neighbour couplers on a rows x columns grid, as on Rigetti's Ankaa and Cepheus.
    qubits = list(range(rows * columns))
    edges = [(q, q + 1) for q in qubits if q % columns != columns - 1]
    edges += [(q, q + columns) for q in qubits if q + columns < rows * columns]
    return qubits, sorted(edges)


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


class _Calibration(NamedTuple):
    """The typical figures a QPU's per-qubit and per-coupler calibration data vary around."""

    t1: float
    t2: float
    f1q: float
    readout: float
    f2q: float


def _standardized(
    qubits: Sequence[int],
    edges: Sequence[tuple[int, int]],
    two_qubit_gate: str,
    calibration: _Calibration,
    *,
    rb_name: str = "RANDOMIZED_BENCHMARKING",
    directed: bool = False,
) -> Any:
    t1, t2, f1q, readout, f2q = calibration
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
        # The developer guide's "Troubleshooting OpenQASM": simulators, like IonQ, refuse a
        # register whose used qubits leave gaps.
        contiguous=True,
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


def _trapped_ion_openqasm(native_gates: list[str], shots: tuple[int, int], **extra: Any) -> Any:
    return _openqasm(
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
        **extra,
    )


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
    openqasm = _trapped_ion_openqasm(
        native_gates,
        shots,
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


def _aria(fidelity_2q: float) -> Any:
    # 25 qubits (ionq.com/quantum-systems/aria) at $0.03 a shot (aws.amazon.com/braket/pricing).
    return _ionq(
        25,
        ["gpi", "gpi2", "ms"],
        (1, 5_000),
        0.03,
        "Retired 25-qubit trapped-ion QPU.",
        fidelity_1q=0.9998,
        fidelity_2q=fidelity_2q,
        spam=0.9939,
    )


# -- Rigetti ------------------------------------------------------------------------------

_RIGETTI_PARAMETERS = RigettiDeviceParameters.schema()
_RIGETTI_LOCATION = "Berkeley, California"


def _rigetti_openqasm(native_gates: list[str], shots: tuple[int, int]) -> Any:
    return _superconducting_openqasm(
        native_gates, shots, modifiers=_ALL_MODIFIERS, partial_verbatim=True
    )


def _rigetti(
    capabilities: Callable[..., Any],
    provider: Any,
    lattice: _Lattice,
    native_gates: list[str],
    two_qubit_gate: str,
    calibration: _Calibration,
    *,
    shots: tuple[int, int],
    price: float,
    summary: str,
    program_set: bool,
) -> Any:
    qubits, edges = lattice
    openqasm = _rigetti_openqasm(native_gates, shots)
    # Program sets came with the Ankaa generation; the Aspen QPUs retired before them.
    actions = (openqasm, _program_set(100, 200_000)) if program_set else (openqasm,)
    return capabilities(
        service=_service(
            shots, price, "shot", summary, _RIGETTI_LOCATION, "https://www.rigetti.com/"
        ),
        action=_actions(*actions),
        paradigm=_gate_paradigm(len(qubits), native_gates, _undirected(edges)),
        provider=provider,
        standardized=_standardized(qubits, edges, two_qubit_gate, calibration),
        pulse=None,
        deviceParameters=_RIGETTI_PARAMETERS,
    )


def _rigetti_square(
    name: str,
    family: str,
    rows: int,
    columns: int,
    calibration: _Calibration,
    *,
    summary: str,
    price: float,
) -> Any:
    # The Ankaa and Cepheus QPUs: a square lattice with tunable couplers between neighbours.
    qubits, edges = _square_lattice(rows, columns)
    provider = RigettiProviderPropertiesV2(
        specs={
            "name": name,
            "architecture": {
                "family": family,
                "nodes": [{"node_id": q} for q in qubits],
                "edges": [{"node_ids": [a, b]} for a, b in edges],
            },
        }
    )
    return _rigetti(
        RigettiDeviceCapabilitiesV2,
        provider,
        (qubits, edges),
        ["rx", "rz", "iswap"],
        "ISWAP",
        calibration,
        shots=(10, 50_000),
        price=price,
        summary=summary,
        program_set=True,
    )


def _ankaa_3() -> Any:
    # 84 qubits (rigetti.com) at $0.0009 a shot (aws.amazon.com/braket/pricing).
    return _rigetti_square(
        "Ankaa-3",
        "Ankaa",
        7,
        12,
        _Calibration(t1=2.2e-5, t2=1.6e-5, f1q=0.9991, readout=0.962, f2q=0.9952),
        summary="Superconducting QPU with 84 qubits on a square lattice.",
        price=0.0009,
    )


def _ankaa_2() -> Any:
    return _rigetti_square(
        "Ankaa-2",
        "Ankaa",
        7,
        12,
        _Calibration(t1=1.5e-5, t2=1.1e-5, f1q=0.9980, readout=0.940, f2q=0.9800),
        summary="Retired superconducting QPU with 84 qubits on a square lattice.",
        price=0.0009,
    )


def _aspen(rows: int, octagons: int, calibration: _Calibration, dead: tuple[int, ...] = ()) -> Any:
    # Rows of octagons; labels follow Rigetti's row*100 + octagon*10 + position scheme, and
    # dead qubits are left out, as on the real lattices.
    qubits = [
        row * 100 + octagon * 10 + position
        for row in range(rows)
        for octagon in range(octagons)
        for position in range(8)
        if row * 100 + octagon * 10 + position not in dead
    ]
    present = set(qubits)
    candidate: list[tuple[int, int]] = []
    for row in range(rows):
        for octagon in range(octagons):
            base = row * 100 + octagon * 10
            candidate += [(base + p, base + (p + 1) % 8) for p in range(8)]
            if octagon < octagons - 1:
                candidate += [(base + 1, base + 16), (base + 2, base + 15)]
    candidate += [(octagon * 10 + 4, 100 + octagon * 10 + 7) for octagon in range(octagons)]
    candidate += [(octagon * 10 + 3, 100 + octagon * 10) for octagon in range(octagons)]
    edges = sorted({(min(a, b), max(a, b)) for a, b in candidate if a in present and b in present})
    t1, t2, f1q, readout, f2q = calibration
    provider = RigettiProviderProperties(
        specs={
            "1Q": {str(q): {"f1QRB": f1q, "fRO": readout, "T1": t1, "T2": t2} for q in qubits},
            "2Q": {f"{a}-{b}": {"fCZ": f2q, "fXY": round(f2q - 0.02, 4)} for a, b in edges},
        }
    )
    # $0.00035 a shot, as Aspen was priced (aws.amazon.com/braket/pricing, 2021-2023).
    return _rigetti(
        RigettiDeviceCapabilities,
        provider,
        (qubits, edges),
        ["rx", "rz", "cz", "cphaseshift", "xy"],
        "CZ",
        calibration,
        shots=(10, 100_000),
        price=0.00035,
        summary=f"Retired {len(qubits)}-qubit superconducting QPU on an octagonal lattice.",
        program_set=False,
    )


# Aspen-8 to -10 had four octagons, Aspen-11 five, Aspen-M two rows of five (rigetti.com).
_ASPEN_BUILDERS: dict[str, Callable[[], Any]] = {
    _ASPEN_8: functools.partial(
        _aspen, 1, 4, _Calibration(1.9e-5, 1.6e-5, 0.991, 0.90, 0.90), dead=(36,)
    ),
    _ASPEN_9: functools.partial(_aspen, 1, 4, _Calibration(2.4e-5, 1.9e-5, 0.993, 0.91, 0.91)),
    _ASPEN_10: functools.partial(_aspen, 1, 4, _Calibration(2.6e-5, 2.0e-5, 0.994, 0.92, 0.92)),
    _ASPEN_11: functools.partial(_aspen, 1, 5, _Calibration(2.7e-5, 2.0e-5, 0.995, 0.93, 0.93)),
    _ASPEN_M_1: functools.partial(_aspen, 2, 5, _Calibration(2.8e-5, 2.1e-5, 0.996, 0.93, 0.93)),
    _ASPEN_M_2: functools.partial(_aspen, 2, 5, _Calibration(2.8e-5, 2.1e-5, 0.996, 0.94, 0.93)),
    _ASPEN_M_3: functools.partial(
        _aspen, 2, 5, _Calibration(2.9e-5, 2.1e-5, 0.997, 0.94, 0.94), dead=(136,)
    ),
}


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
    openqasm = _superconducting_openqasm(native_gates, shots, modifiers=[], partial_verbatim=False)
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
            _Calibration(t1=3.1e-5, t2=3.4e-5, f1q=0.9991, readout=0.92, f2q=0.93),
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


# -- AQT ----------------------------------------------------------------------------------


# Standardized v3 knows one fidelity type; readout fidelities carry none.
_RB_V3 = FidelityTypeV3(name="RANDOMIZED_BENCHMARKING", description=None)


def _fraction(value: float, kind: Any = None) -> Any:
    return Fidelity(fidelityType=kind, fidelity=value, standardError=None, unit="fraction")


def _seconds(value: float) -> Any:
    return Duration(value=value, standardError=None, unit="s")


def _ibex_q1() -> Any:
    # 12 all-to-all connected ions (aqt.eu); the per-shot price is a plausible figure between
    # IonQ's and the superconducting QPUs', not a published one.
    qubits = list(range(12))
    native_gates = ["prx", "rz", "xx"]
    shots = (1, 2_000)
    # AQT publishes device-wide figures as standardized v3, per-qubit ones only for 1Q gates.
    standardized = StandardizedV3(
        oneQubitProperties={
            str(q): OneQubitPropertiesV3(
                oneQubitFidelity=[_fraction(round(0.9997 - _wobble(q, 0.0003), 6), _RB_V3)]
            )
            for q in qubits
        },
        # The D5/2 level of 40Ca+ lives 1.168 s (doi.org/10.1103/PhysRevA.62.032503).
        T1=_seconds(1.168),
        T2=_seconds(0.2),
        readoutFidelity=[_fraction(0.995)],
        readoutDuration=_seconds(1.5e-4),
        singleQubitGateDuration=_seconds(1.5e-5),
        singleQubitFidelity=[_fraction(0.9997, _RB_V3)],
        twoQubitGateFidelity=[_fraction(0.985, _RB_V3)],
        twoQubitGateDuration=_seconds(2.0e-4),
        activeResetDuration=None,
        updatedAt=_UPDATED_AT,
    )
    provider = AqtProviderProperties(
        properties=Characterisation(
            single_qubit_gate_fidelity={
                str(q): GateFidelity(value=99.97, uncertainty=0.01) for q in qubits
            },
            mean_two_qubit_gate_fidelity=GateFidelity(value=98.5, uncertainty=0.2),
            spam_fidelity_lower_bound=99.5,
            t2_coherence_time_s=PositiveFloatValueWithUncertainty(value=0.2, uncertainty=0.02),
            t1_s=PositiveFloatValueWithUncertainty(value=1.168, uncertainty=0.007),
            readout_time_micros=150.0,
            single_qubit_gate_duration_micros=15.0,
            two_qubit_gate_duration_micros=200.0,
            updated_at=_UPDATED_AT,
        )
    )
    return AqtDeviceCapabilities(
        service=_service(
            shots,
            0.0235,
            "shot",
            "Trapped-ion QPU with 12 all-to-all connected qubits.",
            "Innsbruck, Austria",
            "https://www.aqt.eu/",
        ),
        action=_actions(_trapped_ion_openqasm(native_gates, shots), _program_set(100, 100_000)),
        paradigm=_gate_paradigm(len(qubits), native_gates, None),
        provider=provider,
        standardized=standardized,
        # The SDK sends AQT circuits the generic gate-model parameters, so they are published.
        deviceParameters=_SIMULATOR_PARAMETERS,
    )


# -- D-Wave -------------------------------------------------------------------------------


def _chimera(cells: int) -> _Lattice:
    # D-Wave's Chimera graph: cells x cells unit cells of two shores of four qubits, each
    # vertical-shore qubit coupled down a column, each horizontal one along a row.
    def label(row: int, column: int, shore: int, k: int) -> int:
        return ((row * cells + column) * 2 + shore) * 4 + k

    edges: list[tuple[int, int]] = []
    for row in range(cells):
        for column in range(cells):
            edges += [
                (label(row, column, 0, a), label(row, column, 1, b))
                for a in range(4)
                for b in range(4)
            ]
            if row + 1 < cells:
                edges += [
                    (label(row, column, 0, k), label(row + 1, column, 0, k)) for k in range(4)
                ]
            if column + 1 < cells:
                edges += [
                    (label(row, column, 1, k), label(row, column + 1, 1, k)) for k in range(4)
                ]
    return list(range(cells * cells * 8)), sorted(edges)


def _annealer(
    summary: str, parameters: dict[str, Any], *, h_range: float, coupling: tuple[float, float]
) -> Any:
    # Retired annealers get a minimal document: a 2 x 2-cell Chimera patch, not the thousands
    # of qubits of the real graph, keeps it small while the SDK still builds a topology.
    qubits, edges = _chimera(2)
    shots = (1, 10_000)
    provider = DwaveProviderProperties(
        annealingOffsetStep=-0.00015,
        annealingOffsetStepPhi0=1.43e-05,
        annealingOffsetRanges=[[-0.64, 0.42] for _ in qubits],
        annealingDurationRange=[0.5, 2000.0],
        couplers=[[a, b] for a, b in edges],
        defaultAnnealingDuration=20,
        defaultProgrammingThermalizationDuration=1000,
        defaultReadoutThermalizationDuration=0,
        extendedJRange=[-2.0, 1.0],
        hGainScheduleRange=[-h_range, h_range],
        hRange=[-h_range, h_range],
        jRange=[-1.0, 1.0],
        maximumAnnealingSchedulePoints=12,
        maximumHGainSchedulePoints=20,
        perQubitCouplingRange=list(coupling),
        programmingThermalizationDurationRange=[0, 10_000],
        qubits=qubits,
        qubitCount=len(qubits),
        quotaConversionRate=1.0,
        readoutThermalizationDurationRange=[0, 10_000],
        taskRunDurationRange=[0, 1_000_000],
        topology={"type": "chimera", "shape": [2, 2, 4]},
    )
    annealing = DeviceActionProperties(actionType=DeviceActionType.ANNEALING.value, version=["1"])
    # $0.00019 a shot, as D-Wave was priced (aws.amazon.com/braket/pricing, 2020-2022).
    return DwaveDeviceCapabilities(
        service=_service(
            shots,
            0.00019,
            "shot",
            summary,
            "Burnaby, British Columbia",
            "https://www.dwavesys.com/",
        ),
        action=_actions(annealing),
        provider=provider,
        deviceParameters=parameters,
    )


def _advantage() -> Any:
    # h and per-qubit coupling ranges as D-Wave publishes them for Advantage solvers.
    return _annealer(
        "Retired 5000+ qubit Advantage quantum annealer (Pegasus graph), described by a "
        "32-qubit patch.",
        DwaveAdvantageDeviceParameters.schema(),
        h_range=4.0,
        coupling=(-18.0, 15.0),
    )


def _dw_2000q_6() -> Any:
    return _annealer(
        "Retired 2000-qubit 2000Q quantum annealer (Chimera graph), described by a 32-qubit patch.",
        Dwave2000QDeviceParameters.schema(),
        h_range=2.0,
        coupling=(-9.0, 6.0),
    )


# -- Xanadu -------------------------------------------------------------------------------

_BOREALIS_GATES = ["s", "r0", "bs0", "r1", "bs1", "r2", "bs2"]
_BLACKBIRD_OPERATIONS = ["BSgate", "MeasureFock", "Rgate", "Sgate"]

# A Blackbird template in the shape Borealis published: squeezing, then three delay loops.
_BOREALIS_LAYOUT = "\n".join(
    (
        "name template_borealis",
        "version 1.0",
        "target borealis (shots=1)",
        "type tdm (temporal_modes=216)",
        "Sgate({s}, 0.0) | 43",
        "Rgate({r0}) | 43",
        "BSgate({bs0}, 1.5707963267948966) | (42, 43)",
        "Rgate({r1}) | 42",
        "BSgate({bs1}, 1.5707963267948966) | (36, 42)",
        "Rgate({r2}) | 36",
        "BSgate({bs2}, 1.5707963267948966) | (0, 36)",
        "MeasureFock() | 0",
    )
)


def _borealis() -> Any:
    half_pi = 1.5707963267948966
    shots = (1, 100_000)
    phase = [[-half_pi, half_pi]]
    splitter = [[0.0, half_pi]]
    paradigm = ContinuousVariableQpuParadigmProperties(
        modes={"spatial": 1, "concurrent": 44, "temporal_max": 331},
        layout=_BOREALIS_LAYOUT,
        compiler=["borealis"],
        supportedLanguages=["blackbird:1.0"],
        compilerDefault="borealis",
        nativeGateSet=_BOREALIS_GATES,
        gateParameters={
            "s": [[0.0, 1.0]],
            **{f"r{loop}": phase for loop in range(3)},
            **{f"bs{loop}": splitter for loop in range(3)},
        },
        target="borealis",
    )
    provider = XanaduProviderProperties(
        loopPhases=[-1.5958, 0.4416, 2.0731],
        schmidtNumber=1.124,
        commonEfficiency=0.4287,
        squeezingParametersMean={"low": 0.613, "medium": 0.893, "high": 1.064},
        relativeChannelEfficiencies=[0.965, 1.0, 0.973, 0.951, 0.987, 0.962, 0.944, 0.979],
        loopEfficiencies=[0.852, 0.799, 0.751],
    )
    blackbird = BlackbirdDeviceActionProperties(
        actionType=DeviceActionType.BLACKBIRD.value,
        version=["1"],
        supportedOperations=_BLACKBIRD_OPERATIONS,
        supportedResultTypes=[],
    )
    # 216 squeezed-state modes (Madsen et al., Nature 606, 75 (2022)) at $0.00022 a shot
    # (aws.amazon.com/braket/pricing, 2022).
    return XanaduDeviceCapabilities(
        service=_service(
            shots,
            0.00022,
            "shot",
            "Retired photonic QPU: 216 squeezed-state modes through three delay loops.",
            "Toronto, Canada",
            "https://xanadu.ai/",
        ),
        action=_actions(blackbird),
        paradigm=paradigm,
        provider=provider,
        deviceParameters=XanaduDeviceParameters.schema(),
    )


_BUILDERS: dict[str, Callable[[], Any]] = {
    _SV1: _sv1,
    _DM1: _dm1,
    _TN1: _tn1,
    _FORTE_1: _forte_1,
    _HARMONY: _harmony,
    _ARIA_1: functools.partial(_aria, 0.9866),
    _ARIA_2: functools.partial(_aria, 0.9887),
    _ANKAA_3: _ankaa_3,
    _ANKAA_2: _ankaa_2,
    **_ASPEN_BUILDERS,
    _AQUILA: _aquila,
    _LUCY: _lucy,
    _IBEX_Q1: _ibex_q1,
    _ADVANTAGE_1: _advantage,
    _ADVANTAGE_3: _advantage,
    _ADVANTAGE_4: _advantage,
    _ADVANTAGE_6: _advantage,
    _DW_2000Q_6: _dw_2000q_6,
    _BOREALIS: _borealis,
}


@functools.cache
def _capabilities(arn: str) -> dict[str, Any]:
    # Every task creation reads the shots range and actions: parse once per process.
    parsed: dict[str, Any] = json.loads(_capabilities_json(arn))
    return parsed


@functools.cache
def _capabilities_json(arn: str) -> str:
    # Building and validating the pydantic models takes tens of milliseconds per device, and
    # GetDevice is called for nearly every task, so each document is built once per process.
    if arn in _SNAPSHOTS:
        return _snapshot(arn)
    text: str = _BUILDERS[arn]().json()
    return text
