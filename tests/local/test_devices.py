"""Tests for the local Braket service's device catalogue and its capabilities documents."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from datetime import time
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.model import Shape, StringShape, StructureShape
from botocore.validate import ParamValidator
from braket.ahs import AnalogHamiltonianSimulation, AtomArrangement, DrivingField
from braket.ahs.discretization_types import DiscretizationProperties
from braket.aws import AwsDevice
from braket.circuits import Circuit
from braket.circuits.translations import BRAKET_GATES, SUPPORTED_NOISE_PRAGMA_TO_NOISE
from braket.device_schema import DeviceActionType, ExecutionDay, GateModelQpuParadigmProperties
from braket.device_schema.aqt import AqtDeviceCapabilities
from braket.device_schema.dwave import DwaveDeviceCapabilities
from braket.device_schema.ionq import IonqDeviceCapabilities
from braket.device_schema.iqm import IqmDeviceCapabilities
from braket.device_schema.oqc import OqcDeviceCapabilities
from braket.device_schema.quera import QueraDeviceCapabilities
from braket.device_schema.rigetti import RigettiDeviceCapabilities, RigettiDeviceCapabilitiesV2
from braket.device_schema.simulators import GateModelSimulatorDeviceCapabilities
from braket.device_schema.xanadu import XanaduDeviceCapabilities
from braket.emulation.local_emulator import LocalEmulator
from braket.emulation.pass_manager import EmulatorValidationError
from braket.schema_common import BraketSchemaBase

from pulumi_braket.local import ServiceSettings
from pulumi_braket.local.catalogue import devices

DEVICES = devices.catalogue()
# Providers whose QPUs are not gate-based: analog Hamiltonian, annealing, photonic.
NON_GATE_PROVIDERS = {"quera", "d-wave", "xanadu"}
GATE_QPUS = [
    d for d in DEVICES if d.device_type == "QPU" and d.arn.split("/")[-2] not in NON_GATE_PROVIDERS
]
SIMULATORS = [d for d in DEVICES if d.device_type == "SIMULATOR"]
OPENQASM = DeviceActionType.OPENQASM.value

# The provider segment of the ARN decides which published schema the document must follow.
SCHEMA_BY_PROVIDER: dict[str, tuple[type[Any], ...]] = {
    "amazon": (GateModelSimulatorDeviceCapabilities,),
    "ionq": (IonqDeviceCapabilities,),
    "rigetti": (RigettiDeviceCapabilities, RigettiDeviceCapabilitiesV2),
    "iqm": (IqmDeviceCapabilities,),
    "oqc": (OqcDeviceCapabilities,),
    "quera": (QueraDeviceCapabilities,),
    "aqt": (AqtDeviceCapabilities,),
    "d-wave": (DwaveDeviceCapabilities,),
    "xanadu": (XanaduDeviceCapabilities,),
}

# The deviceParameters member a provider's schema has, where it is not paradigmParameters.
PARAMETERS_MEMBER = {
    "quera": None,
    "d-wave": "deviceLevelParameters",
    "xanadu": "braketSchemaHeader",
}

# The action each non-gate provider's QPUs take instead of OpenQASM.
NON_GATE_ACTION = {
    "quera": DeviceActionType.AHS.value,
    "d-wave": DeviceActionType.ANNEALING.value,
    "xanadu": DeviceActionType.BLACKBIRD.value,
}


def _ids(device: devices.Device) -> str:
    return device.short_name


def _parsed(device: devices.Device) -> Any:
    return BraketSchemaBase.parse_raw_schema(device.capabilities_json())


def _by_short_name(short_name: str) -> devices.Device:
    (device,) = [d for d in DEVICES if d.short_name == short_name]
    return device


def _braket_shape(name: str) -> Shape:
    return botocore.session.get_session().get_service_model("braket").shape_for(name)


def _braket_structure(name: str) -> StructureShape:
    shape = _braket_shape(name)
    assert isinstance(shape, StructureShape)
    return shape


def _enum(shape_name: str, member: str) -> set[str]:
    shape = _braket_structure(shape_name).members[member]
    assert isinstance(shape, StringShape)
    return set(shape.enum)


# -- catalogue / find ---------------------------------------------------------------------


def test_catalogue_includes_required_devices() -> None:
    arns = {d.arn for d in DEVICES}
    assert {
        "arn:aws:braket:::device/quantum-simulator/amazon/sv1",
        "arn:aws:braket:::device/quantum-simulator/amazon/dm1",
        "arn:aws:braket:::device/quantum-simulator/amazon/tn1",
        "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1",
        "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3",
        "arn:aws:braket:eu-north-1::device/qpu/iqm/Garnet",
        "arn:aws:braket:us-east-1::device/qpu/quera/Aquila",
    } <= arns


def test_catalogue_statuses_as_braket_shows_them_overridden_by_setting() -> None:
    # Braket lists current devices ONLINE and keeps retired ones RETIRED; the offline path is
    # reached only through the device_status setting.
    assert {d.status for d in DEVICES} == {"ONLINE", "RETIRED"}
    assert {d.status for d in SIMULATORS} == {"ONLINE"}
    marked = ServiceSettings().updated({"device_status": "ionq/Forte-1=offline"}).device_status
    assert marked == {"arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1": "OFFLINE"}
    forte = devices.find("arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1", marked)
    assert forte is not None and forte.status == "OFFLINE"
    assert [d.status for d in devices.catalogue(marked) if d.short_name == "ionq/forte-1"] == [
        "OFFLINE"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ionq/forte-1", "device_status: 'ionq/forte-1' is not DEVICE=STATUS"),
        (
            "ionq/forte-9=OFFLINE",
            "device_status: no device 'ionq/forte-9'; give an ARN or a short name such as "
            "ionq/forte-1",
        ),
        (
            "ionq/forte-1=DOWN",
            "device_status: 'DOWN' for ionq/forte-1 is not one of ONLINE, OFFLINE, RETIRED, PAUSED",
        ),
        (
            "ionq/forte-1=PAUSED",
            "device_status: PAUSED is a Braket status the local service does not model; it "
            "models ONLINE, OFFLINE, RETIRED",
        ),
    ],
    ids=["no-status", "unknown-device", "unknown-status", "unmodelled-status"],
)
def test_settings_device_status_bad_values_refused(value: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        ServiceSettings().updated({"device_status": value})
    assert str(caught.value) == message


def test_catalogue_has_unique_arns_and_short_names() -> None:
    for key in ("arn", "short_name", "name"):
        counts = Counter(getattr(d, key) for d in DEVICES)
        assert [value for value, n in counts.items() if n > 1] == [], key


def test_catalogue_short_names_are_lowercase_provider_paths() -> None:
    for device in DEVICES:
        provider, model = device.arn.split("/")[-2:]
        if device.device_type == "SIMULATOR":
            assert device.short_name == model
        else:
            assert device.short_name == f"{provider}/{model.lower()}"


def test_catalogue_devices_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEVICES[0].status = "OFFLINE"  # type: ignore[misc]


def test_find_returns_catalogued_device() -> None:
    for device in DEVICES:
        assert devices.find(device.arn) is device


def test_find_returns_none_for_unknown_arn() -> None:
    assert devices.find("arn:aws:braket:us-east-1::device/qpu/acme/Imaginary-1") is None
    assert devices.find("") is None


def test_find_returns_none_for_wrong_case_arn() -> None:
    # Braket ARNs are case-sensitive; a lower-cased QPU ARN names no device.
    assert devices.find("arn:aws:braket:us-east-1::device/qpu/ionq/forte-1") is None


# -- region -------------------------------------------------------------------------------


def test_region_is_none_for_simulators() -> None:
    assert SIMULATORS
    for device in SIMULATORS:
        assert device.region is None


def test_region_is_arn_region_for_qpus() -> None:
    regionless = []
    for device in DEVICES:
        if device.device_type != "QPU":
            continue
        assert device.region == (device.arn.split(":")[3] or None)
        if device.region is None:
            regionless.append(device)
        else:
            # The SDK searches only these regions for a QPU, so a QPU elsewhere is unreachable.
            assert device.region in AwsDevice.REGIONS
    # Only QPUs from before Braket put regions in device ARNs have none, and all are retired.
    assert {d.status for d in regionless} == {"RETIRED"}
    assert sorted(d.short_name for d in regionless) == [
        "d-wave/advantage_system1",
        "d-wave/advantage_system3",
        "d-wave/advantage_system4",
        "d-wave/dw_2000q_6",
        "rigetti/aspen-10",
        "rigetti/aspen-11",
        "rigetti/aspen-8",
        "rigetti/aspen-9",
    ]


# -- summary ------------------------------------------------------------------------------


def test_summary_keys_match_botocore_device_summary_members() -> None:
    members = set(_braket_structure("DeviceSummary").members)
    for device in DEVICES:
        assert set(device.summary()) == members


def test_summary_values_in_botocore_enums() -> None:
    types = _enum("DeviceSummary", "deviceType")
    statuses = _enum("DeviceSummary", "deviceStatus")
    for device in DEVICES:
        summary = device.summary()
        assert summary["deviceType"] in types
        assert summary["deviceStatus"] in statuses


def test_summary_validates_against_botocore_shape() -> None:
    shape = _braket_shape("DeviceSummary")
    for device in DEVICES:
        report = ParamValidator().validate(device.summary(), shape)
        assert not report.has_errors(), report.generate_report()


def test_summary_describes_device_fields() -> None:
    for device in DEVICES:
        assert device.summary() == {
            "deviceArn": device.arn,
            "deviceName": device.name,
            "providerName": device.provider_name,
            "deviceType": device.device_type,
            "deviceStatus": device.status,
        }
        expected_type = "SIMULATOR" if "/quantum-simulator/" in device.arn else "QPU"
        assert device.device_type == expected_type


# -- capabilities_json: schema validity ------------------------------------------------------


@pytest.mark.parametrize("device", DEVICES, ids=_ids)
def test_capabilities_json_parses_with_braket_schema_base(device: devices.Device) -> None:
    parsed = _parsed(device)
    provider = device.arn.split("/")[-2]
    assert isinstance(parsed, SCHEMA_BY_PROVIDER[provider])


@pytest.mark.parametrize("device", DEVICES, ids=_ids)
def test_capabilities_json_round_trips(device: devices.Device) -> None:
    raw = device.capabilities_json()
    parsed = _parsed(device)
    if devices.snapshot_source(device.arn) is None:
        assert json.loads(parsed.json()) == json.loads(raw)
    else:
        # A published snapshot is served as published, not as the model writes it back.
        name = device.short_name.replace("/", "-")
        data = Path(devices.__file__).with_name("device_data") / f"{name}.json"
        assert json.loads(raw) == json.loads(data.read_text())["capabilities"]
    assert type(parsed).parse_raw(parsed.json()) == parsed


def test_capabilities_json_is_cached() -> None:
    for device in DEVICES:
        assert device.capabilities_json() is device.capabilities_json()


@pytest.mark.parametrize("device", DEVICES, ids=_ids)
def test_capabilities_json_has_service_and_device_parameters(device: devices.Device) -> None:
    document = json.loads(device.capabilities_json())
    service = document["service"]
    assert service["executionWindows"]
    low, high = service["shotsRange"]
    assert 0 <= low <= high
    if device.device_type == "QPU":
        # A QPU always measures, so shots=0 must be rejected against its range.
        assert low >= 1
    assert isinstance(document["deviceParameters"], dict)
    # Devices publish the JSON schema of their deviceParameters model; Aquila takes none.
    member = PARAMETERS_MEMBER.get(device.arn.split("/")[-2], "paradigmParameters")
    if member:
        assert member in document["deviceParameters"]["properties"]


@pytest.mark.parametrize("device", DEVICES, ids=_ids)
def test_capabilities_json_execution_windows_cover_whole_day(device: devices.Device) -> None:
    # AwsDevice.is_available reads these windows; whole-day windows keep it clock-independent.
    # A published snapshot keeps the device's own windows: tasks queue outside them, as on
    # Braket, and only is_available reads them.
    windows = _parsed(device).service.executionWindows
    if devices.snapshot_source(device.arn) is not None:
        assert windows
        return
    (window,) = windows
    assert window.executionDay == ExecutionDay.EVERYDAY
    assert (window.windowStartHour, window.windowEndHour) == (time(0, 0), time(23, 59, 59))


def test_capabilities_json_simulators_accept_exact_results() -> None:
    for device in SIMULATORS:
        assert _parsed(device).service.shotsRange[0] == 0


@pytest.mark.parametrize("device", DEVICES, ids=_ids)
def test_capabilities_json_actions_match_paradigm(device: devices.Device) -> None:
    actions = set(_parsed(device).action)
    provider = device.arn.split("/")[-2]
    if provider in NON_GATE_ACTION:
        assert actions == {NON_GATE_ACTION[provider]}
    elif device.device_type == "SIMULATOR":
        assert {OPENQASM, DeviceActionType.JAQCD.value} <= actions
    else:
        assert OPENQASM in actions
        assert DeviceActionType.AHS.value not in actions


@pytest.mark.parametrize("device", [*SIMULATORS, *GATE_QPUS], ids=_ids)
def test_capabilities_json_operations_are_sdk_gates(device: devices.Device) -> None:
    parsed = _parsed(device)
    operations = set(parsed.action[OPENQASM].supportedOperations)
    assert operations <= set(BRAKET_GATES)
    if device in GATE_QPUS:
        native = {gate.lower() for gate in parsed.paradigm.nativeGateSet} - {"barrier"}
        assert native <= set(BRAKET_GATES)
        if devices.snapshot_source(device.arn) is None:
            assert native <= operations


def test_capabilities_json_dm1_supports_every_sdk_noise_pragma() -> None:
    noise = set(SUPPORTED_NOISE_PRAGMA_TO_NOISE)
    dm1 = _parsed(_by_short_name("dm1")).action[OPENQASM]
    assert noise <= set(dm1.supportedPragmas)
    for device in [*GATE_QPUS, _by_short_name("sv1"), _by_short_name("tn1")]:
        action = _parsed(device).action[OPENQASM]
        assert not noise & set(action.supportedPragmas), device.short_name
        if devices.snapshot_source(device.arn) is None:
            # Published documents do not list them: not supported is enough to refuse them.
            assert noise <= set(action.forbiddenPragmas), device.short_name


# -- capabilities_json: consumed by the Braket SDK -----------------------------------------


@pytest.mark.parametrize("device", GATE_QPUS, ids=_ids)
def test_capabilities_json_topology_is_consistent(device: devices.Device) -> None:
    paradigm = _parsed(device).paradigm
    assert isinstance(paradigm, GateModelQpuParadigmProperties)
    graph = paradigm.connectivity.connectivityGraph
    if paradigm.connectivity.fullyConnected:
        # Braket's own documents either leave the graph empty or list every pair.
        qubits = {str(q) for q in range(paradigm.qubitCount)}
        assert graph == {} or all(set(peers) == qubits - {q} for q, peers in graph.items())
        return
    nodes = set(graph) | {peer for peers in graph.values() for peer in peers}
    assert len(nodes) == paradigm.qubitCount
    assert all(node not in graph[node] for node in graph)


@pytest.mark.parametrize("device", GATE_QPUS, ids=_ids)
def test_capabilities_json_builds_sdk_local_emulator(device: devices.Device) -> None:
    # LocalEmulator.from_json is the SDK's offline consumer of a QPU's capabilities: it
    # needs calibration data for every qubit and edge and a two-qubit native gate.
    emulator = LocalEmulator.from_json(device.capabilities_json())
    assert emulator.noise_model.instructions


def test_capabilities_json_emulates_garnet_native_circuit() -> None:
    garnet = _by_short_name("iqm/garnet")
    emulator = LocalEmulator.from_json(garnet.capabilities_json())
    # Garnet labels qubits from 1; qubits 1 and 2 share a coupler, 1 and 3 do not.
    adjacent = Circuit().add_verbatim_box(Circuit().prx(1, 0.5, 0.1).cz(1, 2))
    counts = emulator.run(adjacent, shots=20).result().measurement_counts
    assert sum(counts.values()) == 20
    with pytest.raises(EmulatorValidationError, match="not connected"):
        emulator.validate(Circuit().add_verbatim_box(Circuit().cz(1, 3)))


def test_capabilities_json_discretizes_sdk_ahs_program_for_aquila() -> None:
    paradigm = _parsed(_by_short_name("quera/aquila")).paradigm
    properties = DiscretizationProperties(paradigm.lattice, paradigm.rydberg)
    register = AtomArrangement().add((0.0, 0.0)).add((5.03e-6, 0.0))
    drive = DrivingField.from_lists(
        [0.0, 1e-7, 3.9e-6, 4e-6], [0.0, 1.5e7, 1.5e7, 0.0], [-1e7, -1e7, 1e7, 1e7], [0.0] * 4
    )
    program = AnalogHamiltonianSimulation(register=register, hamiltonian=drive)
    discretized = AnalogHamiltonianSimulation(
        register=program.register.discretize(properties),
        hamiltonian=program.hamiltonian.discretize(properties),
    )
    sites = discretized.to_ir().setup.ahs_register.sites
    # The 0.1 µm position resolution rounds 5.03 µm to 5.0 µm.
    assert [float(x) for x, _ in sites] == [0.0, 5.0e-6]


# -- the catalogue as data -------------------------------------------------------------------


def test_catalogue_every_device_is_one_data_file_with_its_source() -> None:
    folder = devices.data_file(DEVICES[0].arn).parent
    assert {devices.data_file(device.arn).name for device in DEVICES} == {
        path.name for path in folder.glob("*.json")
    }
    for device in DEVICES:
        source = devices.source(device.arn)
        summary = json.loads(device.capabilities_json())["service"]["deviceDocumentation"][
            "summary"
        ]
        if device.device_type == "SIMULATOR":
            assert source["kind"] == "simulator"
        elif source["kind"] == "snapshot":
            # Published calibration: cited, and served with the day it was calibrated.
            assert source["url"].startswith("https://github.com/amazon-braket/")
            assert source["license"] == "Apache-2.0"
            assert (
                json.loads(device.capabilities_json())["service"]["updatedAt"]
                == (source["calibratedAt"])
            )
        else:
            assert source["kind"] == "derived"
            assert summary.endswith(devices.DERIVED), device.short_name
