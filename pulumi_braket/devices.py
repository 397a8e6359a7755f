"""Braket devices by ARN or short name: the lookup every core and host shares."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from botocore.exceptions import BotoCoreError, ClientError
from botocore.model import StructureShape
from pydantic import BaseModel, ConfigDict, Field

from pulumi_braket import shapes
from pulumi_braket.client import client
from pulumi_braket.errors import BraketError, describe, error_code
from pulumi_braket.settings import ProviderSettings

ONLINE = "ONLINE"
_STATUS_HINTS = {
    "OFFLINE": "wait until it is ONLINE or choose another",
    "PAUSED": "wait until it is ONLINE or choose another",
    "RETIRED": "choose another device",
}


def _doc(shape: str, member: str) -> str:
    structure = shapes.service_model().shape_for(shape)
    assert isinstance(structure, StructureShape)
    return shapes.plain_doc(structure.members[member].documentation)


class DeviceResult(BaseModel):
    """A Braket device as get_device describes it."""

    model_config = ConfigDict(frozen=True)

    arn: str = Field(description=_doc("GetDeviceResponse", "deviceArn"))
    name: str = Field(description=_doc("GetDeviceResponse", "deviceName"))
    provider_name: str = Field(description=_doc("GetDeviceResponse", "providerName"))
    device_type: str = Field(description=_doc("GetDeviceResponse", "deviceType"))
    status: str = Field(description=_doc("GetDeviceResponse", "deviceStatus"))
    region: str | None = Field(
        description="The region the device is in (the ARN's fourth field); None for simulators."
    )
    capabilities: dict[str, Any] = Field(
        description=_doc("GetDeviceResponse", "deviceCapabilities")
    )
    queue_info: list[dict[str, str]] = Field(
        default_factory=list, description=_doc("GetDeviceResponse", "deviceQueueInfo")
    )


def region_of_arn(arn: str) -> str | None:
    """The region field of an ARN; empty (simulators) reads as None."""
    parts = arn.split(":")
    return (parts[3] or None) if len(parts) > 3 else None


# The model only bounds a device ARN's length. The Service Authorization Reference gives
# Braket's device resource as arn:${Partition}:braket:${Region}::device/${DeviceType}/...
# (no account; simulators have no region either). Checked here so that another service's
# ARN is refused at preview instead of reaching GetDevice or CreateQuantumTask.
_DEVICE_ARN = re.compile(r"arn:aws[a-z-]*:braket:[a-z0-9-]*:(?:\d{12})?:device/[^/\s]+/\S+")
DEVICE_ARN_FORM = "arn:aws:braket:<region>::device/<type>/<provider>/<name>"


def device_arn_problem(value: str) -> str | None:
    """Why ``value`` is not a Braket device ARN, or None when it has the form of one."""
    if _DEVICE_ARN.fullmatch(value):
        return None
    return f"{value[:80]!r} is not a Braket device ARN ({DEVICE_ARN_FORM})"


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def short_name(summary: Mapping[str, Any]) -> str:
    """``sv1`` for a simulator, ``ionq/forte-1`` for a QPU: the ARN's last segments, lower case."""
    segments = str(summary["deviceArn"]).split("/")
    if summary.get("deviceType") == "SIMULATOR":
        return segments[-1].lower()
    return "/".join(segments[-2:]).lower()


def arn_names(arn: str) -> set[str]:
    """The short names an ARN answers to without a lookup: ``sv1``, ``ionq/forte-1``."""
    segments = arn.split("/")
    names = {"/".join(segments[-2:]).lower()}
    if "/quantum-simulator/" in arn:
        names.add(segments[-1].lower())
    return names


def names_device(wanted: str, arn: str) -> bool:
    """Whether ``wanted``, an ARN or a short name, names the device ``arn``, offline."""
    if wanted.startswith("arn:"):
        return wanted == arn
    return "/".join(_slug(part) for part in wanted.split("/")) in arn_names(arn)


def _aliases(summary: Mapping[str, Any]) -> set[str]:
    segments = str(summary["deviceArn"]).split("/")
    return {
        short_name(summary),
        "/".join(segments[-2:]).lower(),
        f"{_slug(str(summary['providerName']))}/{_slug(str(summary['deviceName']))}",
    }


# What a lookup of a device absent from the region says to do, for get_device's callers.
REGION_HINT = "a QPU of another region needs region=<its region>"


def _resolve(braket: Any, wanted: str, hint: str = REGION_HINT) -> str:
    key = "/".join(_slug(part) for part in wanted.split("/"))
    pages = braket.get_paginator("search_devices").paginate(filters=[])
    found = [device for page in pages for device in page["devices"]]
    matches = sorted({str(d["deviceArn"]) for d in found if key in _aliases(d)})
    if len(matches) == 1:
        return matches[0]
    head = f"get Braket device ({wanted})"
    if matches:
        raise BraketError(f"{head}: several devices match: {', '.join(matches)}; give the ARN")
    known = ", ".join(sorted(short_name(d) for d in found))
    raise BraketError(
        f"{head}: no device matches in {braket.meta.region_name}; known: {known}; {hint}"
    )


def device_lookup(
    settings: ProviderSettings, wanted: str, require_online: bool = False
) -> DeviceResult:
    """get_device with explicit settings, for a provider (the native plugin's getDevice)."""
    wanted = str(wanted).strip()
    device = describe_device(client(settings), wanted)
    if require_online and device.status != ONLINE:
        hint = _STATUS_HINTS.get(device.status, "choose another device")
        raise BraketError(f"get Braket device ({wanted}): the device is {device.status}; {hint}")
    return device


def describe_device(braket: Any, wanted: str, hint: str = REGION_HINT) -> DeviceResult:
    """The device an ARN or short name names, as the service reports it now."""
    head = f"get Braket device ({wanted})"
    if not wanted:
        raise BraketError(f"{head}: give a device ARN or a short name such as sv1")
    if wanted.startswith("arn:") and (problem := device_arn_problem(wanted)):
        raise BraketError(f"{head}: {problem}")
    try:
        arn = wanted if wanted.startswith("arn:") else _resolve(braket, wanted, hint)
    except (ClientError, BotoCoreError) as error:
        raise describe("get", "device", wanted, error, operation="SearchDevices") from None
    try:
        answer = braket.get_device(deviceArn=arn)
    except ClientError as error:
        found = describe("get", "device", wanted, error, operation="GetDevice")
        home, here = region_of_arn(wanted), braket.meta.region_name
        if error_code(error) == "ResourceNotFoundException" and home and home != here:
            raise BraketError(f"{found}; the device is in {home}: pass region={home!r}") from None
        raise found from None
    except BotoCoreError as error:
        raise describe("get", "device", wanted, error, operation="GetDevice") from None
    try:
        capabilities = json.loads(answer.get("deviceCapabilities") or "{}")
    except ValueError as error:
        raise BraketError(f"{head}: deviceCapabilities is not JSON ({error})") from None
    return DeviceResult(
        arn=answer["deviceArn"],
        name=answer["deviceName"],
        provider_name=answer["providerName"],
        device_type=answer["deviceType"],
        status=answer["deviceStatus"],
        region=region_of_arn(answer["deviceArn"]),
        capabilities=capabilities,
        queue_info=[
            {shapes.snake(key): str(value) for key, value in item.items()}
            for item in answer.get("deviceQueueInfo") or []
        ],
    )


# For a Job: the device decides the job's region, and a stack has one Braket region.
JOB_REGION_HINT = (
    "a QPU of another region needs a stack in that region (pulumi config set aws:region ...)"
)


class _DeviceLookup:
    """Devices by ARN or short name for providers, remembered briefly per settings.

    Every Job of a sweep names the same device; one preview should ask Braket once, not
    once per job, while a device's status is still read fresh on the next run.
    """

    TTL_SECONDS = 60.0
    _lock = threading.Lock()
    _shared: ClassVar[dict[ProviderSettings, _DeviceLookup]] = {}

    def __init__(self, settings: ProviderSettings) -> None:
        self.settings = settings
        self._found: dict[str, tuple[float, DeviceResult | BraketError]] = {}
        self._mutex = threading.Lock()

    @classmethod
    def shared(cls, settings: ProviderSettings) -> _DeviceLookup:
        with cls._lock:
            found = cls._shared.get(settings)
            if found is None:
                found = cls._shared[settings] = cls(settings)
            return found

    def find(self, wanted: str) -> DeviceResult:
        key = wanted.strip()
        with self._mutex:
            cached = self._found.get(key)
            if cached is None or time.monotonic() - cached[0] > self.TTL_SECONDS:
                try:
                    answer: DeviceResult | BraketError = describe_device(
                        client(self.settings), key, JOB_REGION_HINT
                    )
                except BraketError as error:
                    answer = error
                cached = self._found[key] = (time.monotonic(), answer)
        if isinstance(cached[1], BraketError):
            raise cached[1]
        return cached[1]


def find_device(settings: ProviderSettings, wanted: str) -> DeviceResult:
    """A device by ARN or short name for a provider, asked of Braket at most once a minute."""
    return _DeviceLookup.shared(settings).find(wanted)
