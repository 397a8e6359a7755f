"""Spending limits: the four operations, and the check every QPU task creation passes.

Semantics from Braket's developer guide ("Spending limits", under cost tracking): a limit
belongs to one QPU device ARN (so to its region); each task creation is checked against
what remains of it and refused at once if its estimated cost exceeds that; with a time
period, tasks submitted outside it are refused; simulators are not covered. Money is
Decimal throughout, and the check runs inside the store's transaction, so concurrent
creates cannot overshoot a limit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pulumi_braket import cost
from pulumi_braket.local.catalogue import devices
from pulumi_braket.local.service.errors import (
    DeviceRetiredException,
    ResourceNotFoundException,
    ValidationException,
)
from pulumi_braket.local.state.store import Row, Store

KIND = "spending-limit"
# Task states whose cost is still to come, and the one whose cost was spent. A CANCELLED or
# FAILED task counts in neither: Braket bills completed tasks' shots, and the task fee of a
# task that never ran is not charged (aws.amazon.com/braket/pricing, "Quantum tasks").
QUEUED = frozenset({"CREATED", "QUEUED", "RUNNING", "CANCELLING"})
SPENT = "COMPLETED"
money = cost.usd


def task_cost(device: devices.Device, shots: int) -> Decimal | None:
    """What a task costs on a QPU (see pulumi_braket.cost); None off QPUs."""
    if device.device_type != devices.QPU:
        return None
    return cost.task_cost(device.capabilities(), shots)


@dataclass(frozen=True)
class Period:
    start: float
    end: float

    def holds(self, at: float) -> bool:
        return self.start <= at <= self.end


def _period(record: dict[str, Any]) -> Period | None:
    found = record.get("timePeriod")
    return Period(found["startAt"], found["endAt"]) if found else None


def _timestamp(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return float(value)


def _check_period(params: dict[str, Any]) -> dict[str, float] | None:
    period = params.get("timePeriod")
    if period is None:
        return None
    start, end = _timestamp(period["startAt"]), _timestamp(period["endAt"])
    if start >= end:
        raise ValidationException("timePeriod: startAt must be before endAt")
    return {"startAt": start, "endAt": end}


def _check_device(caller_region: str, arn: str, statuses: Mapping[str, str]) -> devices.Device:
    device = devices.find(arn, statuses)
    if device is None:
        raise ValidationException(f"deviceArn: device {arn} does not exist")
    if device.device_type != devices.QPU:
        raise ValidationException(
            f"deviceArn: {arn} is a simulator; spending limits apply to QPUs only"
        )
    if device.region and device.region != caller_region:
        raise ValidationException(
            f"deviceArn: device {arn} is in region {device.region}, not {caller_region}; "
            f"create its spending limit in {device.region}"
        )
    if device.status == devices.RETIRED:
        raise DeviceRetiredException(f"Device {arn} is retired")
    return device


class Spending:
    """The operations, over rows of kind ``spending-limit`` in the service's store."""

    def __init__(self, store: Store, account: str) -> None:
        self.store = store
        self.account = account

    def create(
        self,
        db: Any,
        region: str,
        params: dict[str, Any],
        now: float,
        digest: str,
        statuses: Mapping[str, str],
    ) -> str:
        token = params["clientToken"]
        seen = self.store.by_token(db, KIND, region, token)
        if seen is not None:
            if seen.digest != digest:
                raise ValidationException(
                    f"clientToken {token} was already used to create {seen.arn} with "
                    "different parameters"
                )
            return seen.arn
        device = _check_device(region, params["deviceArn"], statuses)
        record = {
            "deviceArn": device.arn,
            "spendingLimit": money(Decimal(params["spendingLimit"])),
            "timePeriod": _check_period(params),
            "createdAt": now,
            "updatedAt": now,
        }
        arn = f"arn:aws:braket:{region}:{self.account}:spending-limit/{uuid.uuid4()}"
        self.store.insert(db, Row(0, arn, KIND, region, token, digest, 0.0, record))
        return arn

    def owned(self, db: Any, region: str, arn: str) -> Row:
        row = self.store.get(db, arn)
        if row is None or row.kind != KIND or row.region != region:
            raise ResourceNotFoundException(f"Spending limit {arn} not found")
        return row

    def update(self, db: Any, region: str, params: dict[str, Any], now: float) -> None:
        row = self.owned(db, region, params["spendingLimitArn"])
        if "spendingLimit" in params:
            row.record["spendingLimit"] = money(Decimal(params["spendingLimit"]))
        if "timePeriod" in params:
            row.record["timePeriod"] = _check_period(params)
        row.record["updatedAt"] = now
        self.store.update(db, row)

    def delete(self, db: Any, region: str, arn: str) -> None:
        self.owned(db, region, arn)
        self.store.delete(db, arn)

    def limits(self, db: Any, region: str) -> list[Row]:
        return list(self.store.scan(db, KIND, region, 0))

    def spend(self, limit: Row, tasks: Iterable[tuple[Row, str]]) -> tuple[Decimal, Decimal]:
        """(queued, total) of the tasks that count against a limit."""
        queued = total = Decimal(0)
        record = limit.record
        period = _period(record)
        for task, status in tasks:
            found = task.record
            if found["request"]["deviceArn"] != record["deviceArn"] or "cost" not in found:
                continue
            created = found["createdAt"]
            if created < record["createdAt"] or (period and not period.holds(created)):
                continue
            cost = Decimal(found["cost"])
            if status in QUEUED:
                queued += cost
            elif status == SPENT:
                total += cost
        return queued, total

    def summary(
        self, limit: Row, queued: Decimal, total: Decimal, tags: dict[str, str]
    ) -> dict[str, Any]:
        record = limit.record
        found: dict[str, Any] = {
            "spendingLimitArn": limit.arn,
            "deviceArn": record["deviceArn"],
            "spendingLimit": record["spendingLimit"],
            "queuedSpend": money(queued),
            "totalSpend": money(total),
            "createdAt": datetime.fromtimestamp(record["createdAt"], tz=UTC),
            "updatedAt": datetime.fromtimestamp(record["updatedAt"], tz=UTC),
            "tags": tags,
        }
        if record.get("timePeriod"):
            period = record["timePeriod"]
            found["timePeriod"] = {
                "startAt": datetime.fromtimestamp(period["startAt"], tz=UTC),
                "endAt": datetime.fromtimestamp(period["endAt"], tz=UTC),
            }
        return found

    def check_task(
        self,
        db: Any,
        region: str,
        device: devices.Device,
        cost: Decimal,
        now: float,
        tasks: Callable[[], list[tuple[Row, str]]],
    ) -> None:
        """Refuse a task whose cost exceeds what remains of a limit, or outside its period."""
        limits = [row for row in self.limits(db, region) if row.record["deviceArn"] == device.arn]
        found = tasks() if limits else []
        for limit in limits:
            record = limit.record
            period = _period(record)
            if period is not None and not period.holds(now):
                raise ValidationException(
                    f"spending limit {limit.arn} on {device.arn} allows tasks only from "
                    f"{_iso(period.start)} to {_iso(period.end)}"
                )
            queued, total = self.spend(limit, found)
            remaining = Decimal(record["spendingLimit"]) - queued - total
            if cost > remaining:
                raise ValidationException(
                    f"the task's estimated cost of {money(cost)} USD exceeds what remains of "
                    f"spending limit {limit.arn} ({record['spendingLimit']} USD, "
                    f"{money(max(remaining, Decimal(0)))} USD remaining)"
                )


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat().replace("+00:00", "Z")
