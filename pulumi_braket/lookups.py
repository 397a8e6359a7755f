"""Lookups: a Braket device by ARN or short name; searches of devices, jobs and quantum tasks."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, TypeVar, cast

import pulumi
from botocore.exceptions import BotoCoreError, ClientError
from botocore.model import ListShape, StructureShape
from pydantic import BaseModel, ConfigDict, Field

from pulumi_braket import shapes
from pulumi_braket.client import client
from pulumi_braket.core import normalized
from pulumi_braket.errors import BraketError, describe, error_code
from pulumi_braket.settings import ProviderSettings

T = TypeVar("T")

ONLINE = "ONLINE"
_STATUS_HINTS = {
    "OFFLINE": "wait until it is ONLINE or choose another",
    "PAUSED": "wait until it is ONLINE or choose another",
    "RETIRED": "choose another device",
}


# -- settings -------------------------------------------------------------------------------


class _PulumiConfig:
    """The running program's stack config as a settings source: namespaced keys such as aws:region.

    Outside a Pulumi program every key reads as unset, so only the AWS environment counts.
    """

    def get(self, key: str) -> str | None:
        namespace, _, name = key.partition(":")
        return pulumi.Config(namespace).get(name)


def lookup_settings(
    *, region: str | None = None, profile: str | None = None, endpoint_url: str | None = None
) -> ProviderSettings:
    """The providers' settings (braket:* and aws:* config, then the environment), overridden."""
    settings = ProviderSettings.from_config(_PulumiConfig())
    return dataclasses.replace(
        settings,
        region=settings.region if region is None else region,
        profile=settings.profile if profile is None else profile,
        endpoint_url=settings.endpoint_url if endpoint_url is None else endpoint_url,
    )


def _deferred(function: Callable[..., T], **inputs: Any) -> pulumi.Output[T]:
    """``function`` applied to resolved inputs, in a thread: boto3 blocks, the event loop must not.

    to_thread carries context variables along, and with them the stack config of programs
    run by the Automation API (set_all_config), which is not in the environment.
    """

    def run(args: dict[str, Any]) -> Awaitable[T]:
        return asyncio.to_thread(function, **args)

    return pulumi.Output.all(**inputs).apply(run)


# -- devices --------------------------------------------------------------------------------


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
    device = _device(client(settings), wanted)
    if require_online and device.status != ONLINE:
        hint = _STATUS_HINTS.get(device.status, "choose another device")
        raise BraketError(f"get Braket device ({wanted}): the device is {device.status}; {hint}")
    return device


def get_device(
    arn_or_name: str,
    *,
    require_online: bool = False,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> DeviceResult:
    """A device by ARN or short name (``sv1``, ``ionq/forte-1``, ``"IonQ/Forte 1"``).

    Short names are resolved through search_devices, which lists the simulators and the
    QPUs of the caller's region. An OFFLINE, PAUSED or RETIRED device is returned with its
    status; with ``require_online=True`` it is an error instead.
    """
    settings = lookup_settings(region=region, profile=profile, endpoint_url=endpoint_url)
    return device_lookup(settings, arn_or_name, require_online)


def _device(braket: Any, wanted: str, hint: str = REGION_HINT) -> DeviceResult:
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
                    answer: DeviceResult | BraketError = _device(
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


def get_device_output(
    arn_or_name: pulumi.Input[str],
    *,
    require_online: pulumi.Input[bool] = False,
    region: pulumi.Input[str] | None = None,
    profile: pulumi.Input[str] | None = None,
    endpoint_url: pulumi.Input[str] | None = None,
) -> pulumi.Output[DeviceResult]:
    """get_device for Inputs: runs once its inputs are known (not on unknowns in a preview)."""
    return _deferred(
        get_device,
        arn_or_name=arn_or_name,
        require_online=require_online,
        region=region,
        profile=profile,
        endpoint_url=endpoint_url,
    )


# -- search results -------------------------------------------------------------------------
# At run time each result class is the pydantic model of the summary shape (shapes.model);
# the field lists below only tell type checkers what those models hold (a test compares them).


class _DeviceSummaryFields:
    device_arn: str
    device_name: str
    provider_name: str
    device_type: str
    device_status: str


class _JobSummaryFields:
    status: str
    job_arn: str
    job_name: str
    device: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    tags: dict[str, str] | None


class _QuantumTaskSummaryFields:
    quantum_task_arn: str
    status: str
    device_arn: str
    shots: int
    output_s3_bucket: str
    output_s3_directory: str
    created_at: datetime
    ended_at: datetime | None
    tags: dict[str, str] | None


class _SpendingLimitSummaryFields:
    spending_limit_arn: str
    device_arn: str
    time_period: dict[str, datetime] | None
    spending_limit: str
    queued_spend: str
    total_spend: str
    created_at: datetime
    updated_at: datetime
    tags: dict[str, str] | None


if TYPE_CHECKING:

    class SpendingLimitSummary(BaseModel, _SpendingLimitSummaryFields):
        """A spending limit as search_spending_limits lists it, with its spend so far."""

    class DeviceSummary(BaseModel, _DeviceSummaryFields):
        """A device as search_devices lists it."""

    class JobSummary(BaseModel, _JobSummaryFields):
        """A hybrid job as search_jobs lists it."""

    class QuantumTaskSummary(BaseModel, _QuantumTaskSummaryFields):
        """A quantum task as search_quantum_tasks lists it."""

else:
    DeviceSummary = shapes.model("DeviceSummary")
    JobSummary = shapes.model("JobSummary")
    QuantumTaskSummary = shapes.model("QuantumTaskSummary")
    SpendingLimitSummary = shapes.model("SpendingLimitSummary")


# -- search filters -------------------------------------------------------------------------

FilterValue = str | int | float | datetime


class SearchDevicesFilterArgs(TypedDict):
    """A device filter (``name``: deviceArn): the devices whose ``name`` is any of ``values``."""

    name: str
    values: Sequence[FilterValue] | FilterValue


class SearchJobsFilterArgs(TypedDict):
    """A job filter: ``name`` (jobArn, jobName, deviceArn, createdAt) ``operator`` ``values``."""

    name: str
    values: Sequence[FilterValue] | FilterValue
    operator: str


class SearchSpendingLimitsFilterArgs(TypedDict):
    """A spending-limit filter: ``name`` (deviceArn, spendingLimitArn) EQUAL ``values``."""

    name: str
    values: Sequence[FilterValue] | FilterValue
    operator: str


class SearchQuantumTasksFilterArgs(TypedDict):
    """A task filter: ``name`` (quantumTaskArn, deviceArn, jobArn, status, createdAt) ..."""

    name: str
    values: Sequence[FilterValue] | FilterValue
    operator: str


@dataclasses.dataclass(frozen=True)
class _Search:
    """One search operation, everything about it read from the model."""

    operation: str
    kind: str
    summary: str

    @property
    def method(self) -> str:
        return shapes.snake(self.operation)

    @property
    def filter_shape(self) -> str:
        return f"{self.operation}Filter"

    @functools.cached_property
    def operators(self) -> tuple[str, ...] | None:
        """The operator enum of the filter shape; None when the shape has no operator."""
        structure = shapes.service_model().shape_for(self.filter_shape)
        assert isinstance(structure, StructureShape)
        member = structure.members.get("operator")
        return tuple(getattr(member, "enum", ())) if member is not None else None

    @functools.cached_property
    def result_key(self) -> str:
        output = shapes.operation(self.operation).output_shape
        assert output is not None
        return next(name for name, m in output.members.items() if isinstance(m, ListShape))

    @functools.cached_property
    def page_sizes(self) -> tuple[int, int]:
        structure = shapes.operation(self.operation).input_shape
        assert isinstance(structure, StructureShape)
        meta = structure.members["maxResults"].metadata
        return int(meta.get("min", 1)), int(meta.get("max", 100))


_DEVICES = _Search("SearchDevices", "devices", "DeviceSummary")
_JOBS = _Search("SearchJobs", "jobs", "JobSummary")
_TASKS = _Search("SearchQuantumTasks", "quantum tasks", "QuantumTaskSummary")
_SPENDING_LIMITS = _Search("SearchSpendingLimits", "spending limits", "SpendingLimitSummary")


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)  # naive means UTC
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(normalized(value))
    return value


def _wire_filter(search: _Search, index: int, item: Any) -> dict[str, Any]:
    where = f"filters[{index}]"
    if isinstance(item, BaseModel):
        item = item.model_dump(exclude_none=True)
    if not isinstance(item, Mapping):
        raise _filter_error(
            search, where, f"must be a map of name, operator and values, got {type(item).__name__}"
        )
    wire = {str(key): value for key, value in item.items()}
    if isinstance(wire.get("name"), str):
        wire["name"] = shapes.camel(wire["name"])
        where = f"{where} {wire['name']}"
    raw = wire.get("values")
    if raw is not None:
        many = isinstance(raw, Sequence) and not isinstance(raw, str | bytes)
        wire["values"] = [_value(v) for v in (raw if many else [raw])]
    operator = wire.get("operator")
    if search.operators is None:
        if operator not in (None, "EQUAL"):
            raise _filter_error(
                search,
                where,
                f"operator {operator!r} is not supported: {search.operation} filters take no "
                "operator and match any of their values",
            )
        wire.pop("operator", None)
    elif operator is not None and operator not in search.operators:
        raise _filter_error(
            search, where, f"operator {operator!r} is not one of {', '.join(search.operators)}"
        )
    problems = shapes.validate(search.filter_shape, wire, strict=True)
    if problems:
        raise _filter_error(search, where, "; ".join(str(problem) for problem in problems))
    return wire


def _filter_error(search: _Search, where: str, reason: str) -> BraketError:
    return BraketError(f"search Braket {search.kind} ({where}): {reason}")


def _identity(filters: list[dict[str, Any]]) -> str:
    if not filters:
        return "no filters"
    return "; ".join(
        " ".join([f["name"], *([f["operator"]] if "operator" in f else []), ",".join(f["values"])])
        for f in filters
    )


def _search(
    search: _Search,
    filters: Sequence[Any] | None,
    page_size: int | None,
    max_items: int | None,
    settings: ProviderSettings,
) -> list[Any]:
    if filters is None:
        filters = []
    if isinstance(filters, Mapping | str) or not isinstance(filters, Sequence):
        raise BraketError(
            f"search Braket {search.kind} (filters): must be a list of filters, "
            f"got {type(filters).__name__}"
        )
    wire = [_wire_filter(search, index, item) for index, item in enumerate(filters)]
    identity = _identity(wire)
    paging: dict[str, int] = {}
    if page_size is not None:
        low, high = search.page_sizes
        if not low <= page_size <= high:
            raise BraketError(
                f"search Braket {search.kind} ({identity}): page_size must be {low} to {high}, "
                f"got {page_size}"
            )
        paging["PageSize"] = page_size
    if max_items is not None:
        if max_items < 1:
            raise BraketError(
                f"search Braket {search.kind} ({identity}): max_items must be at least 1, "
                f"got {max_items}"
            )
        paging["MaxItems"] = max_items
    braket = client(settings)
    try:
        pages = braket.get_paginator(search.method).paginate(filters=wire, PaginationConfig=paging)
        items = [item for page in pages for item in page.get(search.result_key, [])]
    except (ClientError, BotoCoreError) as error:
        raise describe("search", search.kind, identity, error, operation=search.operation) from None
    return [_result(search.summary, item) for item in items]


_SEARCHES = {search.operation: search for search in (_DEVICES, _JOBS, _TASKS, _SPENDING_LIMITS)}


def run_search(
    operation: str, filters: Sequence[Any] | None, max_items: int | None, settings: ProviderSettings
) -> list[BaseModel]:
    """A search (SearchJobs, ...) with explicit settings, for the native plugin's functions."""
    return _search(_SEARCHES[operation], filters, None, max_items, settings)


def _result(shape_name: str, item: Mapping[str, Any]) -> BaseModel:
    """A summary as its model, not validated again: a value newer than the installed model
    (a new status, say) must not break a lookup. botocore has already typed the values."""
    built = shapes.model(shape_name)
    fields = {field.alias: name for name, field in built.model_fields.items()}
    return built.model_construct(**{fields[key]: item[key] for key in item if key in fields})


def search_devices(
    filters: Sequence[SearchDevicesFilterArgs] | None = None,
    *,
    page_size: int | None = None,
    max_items: int | None = None,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> list[DeviceSummary]:
    """Devices matching every filter; each filter matches any of its values (no operator).

    Braket documents the deviceArn filter; search_devices lists simulators and the QPUs of
    the caller's region. Filter names may be given in snake_case (device_arn).
    """
    settings = lookup_settings(region=region, profile=profile, endpoint_url=endpoint_url)
    return cast(list[DeviceSummary], _search(_DEVICES, filters, page_size, max_items, settings))


def search_jobs(
    filters: Sequence[SearchJobsFilterArgs] | None = None,
    *,
    page_size: int | None = None,
    max_items: int | None = None,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> list[JobSummary]:
    """Hybrid jobs matching every filter, all pages.

    Operators are the model's (EQUAL, CONTAINS, LT, LTE, GT, GTE, BETWEEN); times are RFC
    3339 text or datetimes (naive ones are UTC). Which names take which operators is the
    service's rule, and its answer names the filter it refused.
    """
    settings = lookup_settings(region=region, profile=profile, endpoint_url=endpoint_url)
    return cast(list[JobSummary], _search(_JOBS, filters, page_size, max_items, settings))


def search_quantum_tasks(
    filters: Sequence[SearchQuantumTasksFilterArgs] | None = None,
    *,
    page_size: int | None = None,
    max_items: int | None = None,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> list[QuantumTaskSummary]:
    """Quantum tasks matching every filter, all pages.

    Operators are the model's (EQUAL, LT, LTE, GT, GTE, BETWEEN); numbers and datetimes are
    written as the service reads them.
    """
    settings = lookup_settings(region=region, profile=profile, endpoint_url=endpoint_url)
    found = _search(_TASKS, filters, page_size, max_items, settings)
    return cast(list[QuantumTaskSummary], found)


def search_spending_limits(
    filters: Sequence[SearchSpendingLimitsFilterArgs] | None = None,
    *,
    page_size: int | None = None,
    max_items: int | None = None,
    region: str | None = None,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> list[SpendingLimitSummary]:
    """Spending limits matching every filter, all pages, each with its queued and total spend.

    Braket documents the deviceArn and spendingLimitArn filters, with the EQUAL operator.
    """
    settings = lookup_settings(region=region, profile=profile, endpoint_url=endpoint_url)
    found = _search(_SPENDING_LIMITS, filters, page_size, max_items, settings)
    return cast(list[SpendingLimitSummary], found)


def search_spending_limits_output(
    filters: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
    *,
    page_size: pulumi.Input[int] | None = None,
    max_items: pulumi.Input[int] | None = None,
    region: pulumi.Input[str] | None = None,
    profile: pulumi.Input[str] | None = None,
    endpoint_url: pulumi.Input[str] | None = None,
) -> pulumi.Output[list[SpendingLimitSummary]]:
    """search_spending_limits for Inputs: filters may hold Outputs at any depth."""
    return _deferred(
        search_spending_limits,
        filters=filters,
        page_size=page_size,
        max_items=max_items,
        region=region,
        profile=profile,
        endpoint_url=endpoint_url,
    )


def search_devices_output(
    filters: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
    *,
    page_size: pulumi.Input[int] | None = None,
    max_items: pulumi.Input[int] | None = None,
    region: pulumi.Input[str] | None = None,
    profile: pulumi.Input[str] | None = None,
    endpoint_url: pulumi.Input[str] | None = None,
) -> pulumi.Output[list[DeviceSummary]]:
    """search_devices for Inputs: filters may hold Outputs at any depth."""
    return _deferred(
        search_devices,
        filters=filters,
        page_size=page_size,
        max_items=max_items,
        region=region,
        profile=profile,
        endpoint_url=endpoint_url,
    )


def search_jobs_output(
    filters: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
    *,
    page_size: pulumi.Input[int] | None = None,
    max_items: pulumi.Input[int] | None = None,
    region: pulumi.Input[str] | None = None,
    profile: pulumi.Input[str] | None = None,
    endpoint_url: pulumi.Input[str] | None = None,
) -> pulumi.Output[list[JobSummary]]:
    """search_jobs for Inputs: filters may hold Outputs at any depth."""
    return _deferred(
        search_jobs,
        filters=filters,
        page_size=page_size,
        max_items=max_items,
        region=region,
        profile=profile,
        endpoint_url=endpoint_url,
    )


def search_quantum_tasks_output(
    filters: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
    *,
    page_size: pulumi.Input[int] | None = None,
    max_items: pulumi.Input[int] | None = None,
    region: pulumi.Input[str] | None = None,
    profile: pulumi.Input[str] | None = None,
    endpoint_url: pulumi.Input[str] | None = None,
) -> pulumi.Output[list[QuantumTaskSummary]]:
    """search_quantum_tasks for Inputs: filters may hold Outputs at any depth."""
    return _deferred(
        search_quantum_tasks,
        filters=filters,
        page_size=page_size,
        max_items=max_items,
        region=region,
        profile=profile,
        endpoint_url=endpoint_url,
    )
