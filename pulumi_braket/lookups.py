"""Lookups for programs: get_device and the searches, plain and as Outputs."""

# What they look up is the core's (devices.py, searches.py); here are the program's
# arguments, the stack config they read, and the Output forms of each.

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypedDict, TypeVar, cast

import pulumi

from pulumi_braket.devices import DeviceResult, device_lookup
from pulumi_braket.searches import (
    DEVICES,
    JOBS,
    SPENDING_LIMITS,
    TASKS,
    DeviceSummary,
    JobSummary,
    QuantumTaskSummary,
    SpendingLimitSummary,
    search,
)
from pulumi_braket.settings import ProviderSettings

__all__ = [
    "DeviceResult",
    "DeviceSummary",
    "JobSummary",
    "QuantumTaskSummary",
    "SpendingLimitSummary",
]

T = TypeVar("T")


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
    return cast(list[DeviceSummary], search(DEVICES, filters, page_size, max_items, settings))


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
    return cast(list[JobSummary], search(JOBS, filters, page_size, max_items, settings))


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
    found = search(TASKS, filters, page_size, max_items, settings)
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
    found = search(SPENDING_LIMITS, filters, page_size, max_items, settings)
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
