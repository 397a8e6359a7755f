"""The devices the local Braket service advertises; their deviceCapabilities are data files."""

# Each device's document is a file of device_data/, named by its short name, holding the
# document and where it came from ("source"): a snapshot Braket published (served as
# published), a document derived from the provider's published specifications (labelled so in
# its service.deviceDocumentation.summary), or a simulator's. Every document is validated
# against the amazon-braket-schemas models when it is first read, as the SDK will parse it.

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


_DATA = Path(__file__).with_name("device_data")

# What a derived document says of itself, at the end of its summary.
DERIVED = (
    "Calibration derived by pulumi-braket from the provider's published specifications, "
    "not measured on the device."
)


def source(arn: str) -> dict[str, str]:
    """Where a device's document came from: its data file's "source" (kind snapshot,
    derived or simulator, and what it rests on)."""
    found: dict[str, str] = _data(arn)["source"]
    return found


def snapshot_source(arn: str) -> dict[str, str] | None:
    """Where a device's published snapshot came from, or None for a derived document."""
    found = source(arn)
    return found if found.get("kind") == "snapshot" else None


def data_file(arn: str) -> Path:
    """The data file that holds a device's document."""
    return _DATA / f"{_BY_ARN[arn].short_name.replace('/', '-')}.json"


@functools.cache
def _data(arn: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(data_file(arn).read_text())
    return document


@functools.cache
def _capabilities(arn: str) -> dict[str, Any]:
    # Every task creation reads the shots range and actions: parse once per process.
    parsed: dict[str, Any] = json.loads(_capabilities_json(arn))
    return parsed


@functools.cache
def _capabilities_json(arn: str) -> str:
    # Validating a document takes tens of milliseconds, and GetDevice is called for nearly
    # every task, so each document is read and validated once per process.
    where = f"device_data/{data_file(arn).name}"
    return json.dumps(_validated(_data(arn)["capabilities"], where))
