"""The local device catalogue against the Braket SDK's Devices enum; new devices over boto3."""

from __future__ import annotations

import json
import warnings
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from braket.aws import AwsDevice
from braket.devices import Devices
from braket.schema_common import BraketSchemaBase

from pulumi_braket.local.catalogue import devices
from pulumi_braket.lookups import get_device
from tests.conftest import Service
from tests.local.test_clients import point_sdk_at

EMERALD = "arn:aws:braket:eu-north-1::device/qpu/iqm/Emerald"
IBEX_Q1 = "arn:aws:braket:eu-north-1::device/qpu/aqt/Ibex-Q1"
CEPHEUS = "arn:aws:braket:us-west-1::device/qpu/rigetti/Cepheus-1-108Q"

# Deprecated in the SDK yet ONLINE here: the local service runs tasks on both (tests of
# tasks and clients use Ankaa-3 as the us-west-1 QPU).
DEPRECATED_BUT_ONLINE = {
    "arn:aws:braket:::device/quantum-simulator/amazon/tn1",
    "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3",
}


def _provider_enums() -> dict[type[Enum], bool]:
    """Every provider enum nested in Devices, public or not, and whether the SDK deprecates it.

    The SDK retires a provider by dropping its public alias (Devices.DWave) and keeping only
    the underscored class (Devices._DWave).
    """
    nested = {name: value for name, value in vars(Devices).items() if isinstance(value, type)}
    enums = {value for value in nested.values() if issubclass(value, Enum)}
    return {
        enum: not any(value is enum and not name.startswith("_") for name, value in nested.items())
        for enum in enums
    }


def _sdk_members() -> list[tuple[str, str, bool]]:
    """(enum.member, ARN, deprecated) for every member of every provider enum."""
    members = []
    for enum, private_provider in _provider_enums().items():
        for member in enum:
            deprecated = private_provider or member.name.startswith("_")
            members.append((f"{enum.__name__}.{member.name}", str(member.value), deprecated))
    return sorted(members)


SDK_MEMBERS = _sdk_members()


def test_sdk_enum_walk_covers_public_and_private_providers() -> None:
    deprecated = {enum.__name__ for enum, private in _provider_enums().items() if private}
    public = {enum.__name__ for enum, private in _provider_enums().items() if not private}
    assert deprecated == {"_DWave", "_OQC", "_Xanadu"}
    assert public == {"_AQT", "_Amazon", "_IQM", "_IonQ", "_QuEra", "_Rigetti"}
    assert len(SDK_MEMBERS) == len(devices.catalogue()) == 29


@pytest.mark.parametrize(
    ("member", "arn", "deprecated"), SDK_MEMBERS, ids=[m[0] for m in SDK_MEMBERS]
)
def test_catalogue_holds_every_sdk_enum_device(member: str, arn: str, deprecated: bool) -> None:
    device = devices.find(arn)
    assert device is not None, f"{member} ({arn}) is not in the catalogue"
    assert device in devices.catalogue()
    assert device.region == (arn.split(":")[3] or None)
    parsed = BraketSchemaBase.parse_raw_schema(device.capabilities_json())
    assert parsed.service.shotsRange[0] <= parsed.service.shotsRange[1]
    if deprecated and arn not in DEPRECATED_BUT_ONLINE:
        assert device.status == "RETIRED", member
    else:
        # Current devices are ONLINE, as Braket lists them; tests mark one OFFLINE by setting.
        assert device.status == "ONLINE", member


def test_catalogue_lists_only_sdk_enum_devices() -> None:
    assert sorted(d.arn for d in devices.catalogue()) == sorted(arn for _, arn, _ in SDK_MEMBERS)


# -- through boto3 and the Braket SDK, against the local service -----------------------------


@pytest.mark.parametrize(
    ("arn", "region", "name", "provider", "qubits"),
    [
        (EMERALD, "eu-north-1", "Emerald", "IQM", 54),
        (IBEX_Q1, "eu-north-1", "IBEX Q1", "AQT", 12),
        # 107 of the 108 qubits are in Rigetti's published calibration of 2026-05-05.
        (CEPHEUS, "us-west-1", "Cepheus-1-108Q", "Rigetti", 107),
    ],
)
def test_get_device_new_qpu_in_its_own_region(
    shared_service: Service, arn: str, region: str, name: str, provider: str, qubits: int
) -> None:
    answer = shared_service.client(region=region).get_device(deviceArn=arn)
    assert answer["deviceName"] == name
    assert answer["providerName"] == provider
    assert answer["deviceType"] == "QPU"
    assert answer["deviceStatus"] == "ONLINE"
    parsed = BraketSchemaBase.parse_raw_schema(answer["deviceCapabilities"])
    assert parsed.paradigm.qubitCount == qubits
    assert "braket.ir.openqasm.program" in json.loads(answer["deviceCapabilities"])["action"]
    east = shared_service.client(region="us-east-1")
    with pytest.raises(east.exceptions.ResourceNotFoundException):
        east.get_device(deviceArn=arn)


def test_search_devices_eu_north_1_lists_emerald_and_ibex_q1(shared_service: Service) -> None:
    braket = shared_service.client(region="eu-north-1")
    pages = braket.get_paginator("search_devices").paginate(filters=[])
    found = {d["deviceArn"]: d for page in pages for d in page["devices"]}
    qpus = {d["deviceName"] for d in found.values() if d["deviceType"] == "QPU"}
    assert {"Garnet", "Emerald", "IBEX Q1"} <= qpus
    assert found[EMERALD]["deviceStatus"] == found[IBEX_Q1]["deviceStatus"] == "ONLINE"
    assert CEPHEUS not in found
    # Besides the simulators, only QPUs of eu-north-1 or with a region-less ARN are listed.
    assert all(
        ":eu-north-1:" in arn or ":::" in arn
        for arn, d in found.items()
        if d["deviceType"] == "QPU"
    )


@pytest.mark.parametrize(
    ("name", "region", "arn"),
    [
        ("iqm/emerald", "eu-north-1", EMERALD),
        ("aqt/ibex-q1", "eu-north-1", IBEX_Q1),
        ("AQT/IBEX Q1", "eu-north-1", IBEX_Q1),
        ("rigetti/cepheus-1-108q", "us-west-1", CEPHEUS),
        ("ionq/aria-1", "us-east-1", "arn:aws:braket:us-east-1::device/qpu/ionq/Aria-1"),
        ("xanadu/borealis", "us-east-1", "arn:aws:braket:us-east-1::device/qpu/xanadu/Borealis"),
        (
            "d-wave/advantage_system1",
            "us-west-2",
            "arn:aws:braket:::device/qpu/d-wave/Advantage_system1",
        ),
        (
            "d-wave/advantage_system6",
            "us-west-2",
            "arn:aws:braket:us-west-2::device/qpu/d-wave/Advantage_system6",
        ),
    ],
)
def test_get_device_new_short_name_resolved(
    shared_service: Service,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    region: str,
    arn: str,
) -> None:
    point_sdk_at(monkeypatch, tmp_path, shared_service.environment(region))
    device = get_device(name, endpoint_url=shared_service.endpoint, region=region)
    assert device.arn == arn
    assert device.region == (arn.split(":")[3] or None)


def test_aws_device_parses_every_catalogued_device(
    shared_service: Service, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    point_sdk_at(monkeypatch, tmp_path, shared_service.environment("us-east-1"))
    # The statuses the service shows: the catalogue's, with its device_status setting.
    statuses = shared_service.control("settings")["device_status"]
    for device in devices.catalogue(statuses):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            sdk: Any = AwsDevice(device.arn)
        # The SDK warns, instead of raising, when it cannot parse GetDevice's capabilities.
        assert not [w for w in caught if "device capabilities" in str(w.message)], device.arn
        assert type(sdk.properties) is type(
            BraketSchemaBase.parse_raw_schema(device.capabilities_json())
        )
        assert sdk.status == device.status
        assert sdk.aws_session.region == (device.region or "us-east-1")
