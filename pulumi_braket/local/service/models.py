"""The local Braket service's state and rules: jobs, quantum tasks, devices, tags and search."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import math
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pulumi_braket.local.catalogue import devices
from pulumi_braket.local.config import ServiceSettings
from pulumi_braket.local.execution.runs import Execution
from pulumi_braket.local.execution.task_results import PROGRAM_SET
from pulumi_braket.local.service import analog_rules, programs
from pulumi_braket.local.service.errors import (
    AccessDeniedException,
    ConflictException,
    DeviceOfflineException,
    DeviceRetiredException,
    InternalServiceException,
    ResourceNotFoundException,
    ServiceQuotaExceededException,
    ThrottlingException,
    ValidationException,
)
from pulumi_braket.local.service.spending import KIND as SPENDING_LIMIT
from pulumi_braket.local.service.spending import Spending, task_cost
from pulumi_braket.local.state.store import Row, Store
from pulumi_braket.tagging import tag_problems

JOB = "job"
TASK = "task"
TERMINAL = frozenset({"COMPLETED", "FAILED", "CANCELLED"})

# Markers a test or demo puts in a job's hyperParameters (or a task's tags) to steer its lifecycle.
FAIL_MARKER = "braket.local.fail"
QUEUE_MARKER = "braket.local.queue_seconds"
RUN_MARKER = "braket.local.run_seconds"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the SigV4 credential scope, and the IAM name the front verified."""

    region: str
    access_key: str
    # The IAM user of the key, when it has one (a key made through the endpoint's IAM).
    user: str | None = None

    @property
    def principal(self) -> str:
        return f"user/{self.user or self.access_key}"


def _iso(epoch: float) -> datetime:
    # The wire carries milliseconds; filters must compare what clients were shown.
    return datetime.fromtimestamp(math.floor(epoch * 1000) / 1000, tz=UTC)


def digest(request: dict[str, Any]) -> str:
    """A stable hash of a create request without its client token."""
    body = {key: value for key, value in request.items() if key != "clientToken"}
    # default=str: timestamps arrive as datetimes (see responses.decode_timestamps).
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


class Faults:
    """Seeded, thread-safe fault decisions for each Braket call."""

    def __init__(self, settings: ServiceSettings) -> None:
        self._lock = threading.Lock()
        self.reset(settings)

    def reset(self, settings: ServiceSettings) -> None:
        with self._lock:
            self._settings = settings
            self._random = random.Random(settings.seed)

    def apply(self, operation: str) -> None:
        """Sleep for the added latency, then maybe throttle or fail, before any state changes."""
        with self._lock:
            settings = self._settings
            roll = self._random.random()
        if settings.latency_ms:
            time.sleep(settings.latency_ms / 1000.0)
        if roll < settings.throttle_rate:
            raise ThrottlingException(f"Rate exceeded for {operation} (injected throttle)")
        if roll < settings.throttle_rate + settings.error_rate:
            raise InternalServiceException(
                f"Internal service error in {operation} (injected fault)"
            )


class BraketBackend:
    """Implements the 13 operations. Inputs are wire dicts already checked against the model."""

    def __init__(self, store: Store, settings: ServiceSettings) -> None:
        self.store = store
        self.settings = settings
        self.faults = Faults(settings)
        self.clock: Callable[[], float] = time.time
        # Set by the server once it knows its endpoint and data directory (execution mode).
        self.execution: Execution | None = None
        self.spending = Spending(store, settings.account_id)

    def _executing(self) -> Execution | None:
        return self.execution if self.settings.execute else None

    def configure(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.faults.reset(settings)

    # -- access ---------------------------------------------------------------------------

    def authorize(self, caller: Caller, operation: str, resource: str = "*") -> None:
        if caller.access_key in self.settings.deny_access_keys:
            raise AccessDeniedException(
                f"User: arn:aws:iam::{self.settings.account_id}:{caller.principal} is not "
                f"authorized to perform: braket:{operation} on resource: {resource}"
            )

    def _arn(self, caller: Caller, kind: str, token: str) -> str:
        prefix = "job" if kind == JOB else "quantum-task"
        seed = self.settings.seed
        # Seeded, the same client token names the same resource on any machine, so a stack
        # run again against a fresh service gets the same ARNs, result keys and outputs. A
        # token is unique in its region, so the ARN still is.
        name = (
            uuid.uuid5(uuid.NAMESPACE_URL, f"braket-local:{seed}:{caller.region}:{kind}:{token}")
            if seed is not None
            else uuid.uuid4()
        )
        return f"arn:aws:braket:{caller.region}:{self.settings.account_id}:{prefix}/{name}"

    def _owned(self, caller: Caller, arn: str, kind: str | None, db: Any) -> Row:
        """The row for an ARN in the caller's account and region, or ResourceNotFound."""
        row = self.store.get(db, arn)
        if row is None or row.region != caller.region or (kind and row.kind != kind):
            what = {JOB: "Job", TASK: "Quantum task", None: "Resource"}[kind]
            raise ResourceNotFoundException(f"{what} {arn} not found")
        return row

    # -- devices --------------------------------------------------------------------------

    def _device_in_region(self, caller: Caller, arn: str) -> devices.Device | None:
        device = devices.find(arn, self.settings.device_status, self.settings.device_properties)
        if device is None or (device.region and device.region != caller.region):
            return None
        return device

    def _check_reservations(self, params: dict[str, Any], device: str, kind: str) -> None:
        """A reservation named in ``associations`` must be one the account holds, for this
        device; simulators take none."""
        for index, association in enumerate(params.get("associations") or []):
            if association.get("type") != "RESERVATION_TIME_WINDOW_ARN":
                continue
            arn = association.get("arn", "")
            where = f"associations[{index}].arn"
            if kind != devices.QPU:
                raise ValidationException(
                    f"{where}: {device} is a simulator; reservations are for QPUs"
                )
            reserved = self.settings.reservations.get(arn)
            if reserved is None:
                raise ValidationException(
                    f"{where}: reservation {arn} does not exist in this account (the local "
                    "service knows the reservations its reservations setting declares)"
                )
            if reserved != device:
                raise ValidationException(
                    f"{where}: reservation {arn} is for {reserved}, not {device}"
                )

    def _usable_device(self, caller: Caller, arn: str, member: str) -> devices.Device:
        device = devices.find(arn, self.settings.device_status, self.settings.device_properties)
        if device is None:
            raise ValidationException(f"{member}: device {arn} does not exist")
        if device.region and device.region != caller.region:
            raise ValidationException(
                f"{member}: device {arn} is in region {device.region}, not {caller.region}; "
                f"call Braket in {device.region}"
            )
        if device.status == "RETIRED":
            raise DeviceRetiredException(f"Device {arn} is retired")
        if device.status == "OFFLINE":
            raise DeviceOfflineException(f"Device {arn} is offline")
        return device

    def get_device(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["deviceArn"]
        device = self._device_in_region(caller, arn)
        if device is None:
            raise ResourceNotFoundException(f"Device {arn} not found in region {caller.region}")
        queues = [
            {"queue": "QUANTUM_TASKS_QUEUE", "queueSize": "0", "queuePriority": "Normal"},
            {"queue": "QUANTUM_TASKS_QUEUE", "queueSize": "0", "queuePriority": "Priority"},
            {"queue": "JOBS_QUEUE", "queueSize": "0"},
        ]
        return {
            **device.summary(),
            "deviceCapabilities": device.capabilities_json(),
            "deviceQueueInfo": queues,
        }

    def search_devices(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        match = _compile_filters("SearchDevices", params.get("filters", []))
        catalogue = devices.catalogue(self.settings.device_status, self.settings.device_properties)
        visible = [d for d in catalogue if not d.region or d.region == caller.region]
        matches = [
            (position, d.summary()) for position, d in enumerate(visible) if match(d.summary())
        ]
        page, token = _page(matches, params, "SearchDevices")
        return {"devices": page, **token}

    # -- jobs -----------------------------------------------------------------------------

    def create_job(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        token = params["clientToken"]
        request_digest = digest(params)
        now = self.clock()
        with self.store.transaction() as db:
            seen = self.store.by_token(db, JOB, caller.region, token)
            if seen is not None:
                if seen.digest != request_digest:
                    raise ConflictException(
                        f"clientToken {token} was already used to create {seen.arn} with "
                        "different parameters"
                    )
                return {"jobArn": seen.arn}
            device = params["deviceConfig"]["device"]
            if device.startswith("arn:"):
                usable = self._usable_device(caller, device, "deviceConfig.device")
                self._check_reservations(params, usable.arn, usable.device_type)
            elif device.startswith("local:") and params.get("associations"):
                self._check_reservations(params, device, devices.SIMULATOR)
            elif not device.startswith("local:"):
                raise ValidationException(
                    f"deviceConfig.device: {device!r} is neither a Braket device ARN nor a "
                    "local simulator (local:<provider>/<name>)"
                )
            tags = params.get("tags") or {}
            _check_tags(tags, {})
            quota = self.settings.max_concurrent_jobs
            if quota and self.store.count_active(db, JOB, caller.region, now) >= quota:
                raise ServiceQuotaExceededException(
                    f"Concurrent hybrid job quota of {quota} reached in {caller.region}; "
                    "wait for a job to end or cancel one"
                )
            record = self._plan_job(params, now)
            execution = self._executing()
            if execution is not None:
                record = execution.job_record(record)
            arn = self._arn(caller, JOB, token)
            row = Row(0, arn, JOB, caller.region, token, request_digest, record["endsAt"], record)
            self.store.insert(db, row)
            self.store.set_tags(db, arn, tags)
        if execution is not None:
            execution.submit_job(row)
        return {"jobArn": arn}

    def _plan_job(self, params: dict[str, Any], now: float) -> dict[str, Any]:
        hyper = params.get("hyperParameters") or {}
        queue = _seconds(hyper.get(QUEUE_MARKER), self.settings.job_queue_seconds, QUEUE_MARKER)
        run = _seconds(hyper.get(RUN_MARKER), self.settings.job_run_seconds, RUN_MARKER)
        request = {k: v for k, v in params.items() if k not in ("clientToken", "tags")}
        # The service fills in the instance count it runs with; clients must not see drift.
        request["instanceConfig"] = {"instanceCount": 1, **request["instanceConfig"]}
        started = now + queue
        outcome, reason, last_event = "COMPLETED", None, "COMPLETED"
        limit = (params.get("stoppingCondition") or {}).get("maxRuntimeInSeconds")
        if limit is not None and run > limit:
            run = float(limit)
            outcome, reason, last_event = (
                "FAILED",
                "Job exceeded its maximum runtime",
                ("MAX_RUNTIME_EXCEEDED"),
            )
        elif FAIL_MARKER in hyper:
            outcome, reason, last_event = "FAILED", hyper[FAIL_MARKER], "FAILED"
        return {
            "request": request,
            "createdAt": now,
            "startedAt": started,
            "endsAt": started + run,
            "outcome": outcome,
            "failureReason": reason,
            "lastEvent": last_event,
            "cancelRequestedAt": None,
            "cancelledAt": None,
        }

    def get_job(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["jobArn"]
        now = self.clock()
        with self.store.transaction() as db:
            row = self._owned(caller, arn, JOB, db)
            tags = self.store.tags(db, arn)
            position = None
            if "QueueInfo" in (params.get("additionalAttributeNames") or []):
                position = self._queue_position(db, row, now)
        view = job_view(row, tags, now)
        if position is not None:
            view["queueInfo"] = position
        return view

    def _queue_position(self, db: Any, row: Row, now: float) -> dict[str, str]:
        if job_status(row.record, now) != "QUEUED":
            return {"queue": "JOBS_QUEUE", "position": "None", "message": "Job is not queued"}
        ahead = sum(
            1
            for other in self.store.scan(db, JOB, row.region, 0)
            if other.seq < row.seq and job_status(other.record, now) == "QUEUED"
        )
        return {"queue": "JOBS_QUEUE", "position": str(ahead + 1)}

    def cancel_job(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["jobArn"]
        now = self.clock()
        with self.store.transaction() as db:
            row = self._owned(caller, arn, JOB, db)
            status = job_status(row.record, now)
            if status in ("COMPLETED", "FAILED"):
                raise ConflictException(f"Job {arn} is already {status} and cannot be cancelled")
            executed = bool(row.record.get("executed"))
            if status in ("QUEUED", "RUNNING"):
                row.record["cancelRequestedAt"] = now
                # A run is CANCELLING until its runner says its processes are gone.
                wait = math.inf if executed else self.settings.job_cancel_seconds
                row.record["cancelledAt"] = now + wait
                row.ends_at = row.record["cancelledAt"]
                self.store.update(db, row)
                status = job_status(row.record, now)
            else:
                executed = False
        if executed and self.execution is not None:
            self.execution.cancel_job(arn)
        return {"jobArn": arn, "cancellationStatus": status}

    def search_jobs(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        now = self.clock()
        match = _compile_filters("SearchJobs", params.get("filters", []))
        with self.store.transaction() as db:
            after = _token_after(params, "SearchJobs")
            summaries = (
                (row.seq, job_summary(row, self.store.tags(db, row.arn), now))
                for row in self.store.scan(db, JOB, caller.region, after)
            )
            page, token = _page_stream(summaries, match, params, "SearchJobs")
        return {"jobs": page, **token}

    # -- quantum tasks ----------------------------------------------------------------------

    def create_quantum_task(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        token = params["clientToken"]
        request_digest = digest(params)
        now = self.clock()
        with self.store.transaction() as db:
            seen = self.store.by_token(db, TASK, caller.region, token)
            if seen is not None:
                if seen.digest != request_digest:
                    # CreateQuantumTask's model lists no ConflictException, so reuse is a
                    # validation error here.
                    raise ValidationException(
                        f"clientToken {token} was already used to create {seen.arn} with "
                        "different parameters"
                    )
                return {"quantumTaskArn": seen.arn}
            device = self._usable_device(caller, params["deviceArn"], "deviceArn")
            self._check_reservations(params, device.arn, device.device_type)
            action = _check_action(params, device)
            tags = params.get("tags") or {}
            _check_tags(tags, {})
            if action.get("braketSchemaHeader", {}).get("name") == PROGRAM_SET:
                _check_program_set(params, device, action)
            else:
                _check_shots(params, device)
            # Parsing takes time (a program set's programs, a first parse): the task's
            # lifecycle starts once it is accepted, as its CREATED time must be seen.
            _check_programs(action, device)
            now = self.clock()
            cost = task_cost(device, params["shots"])
            if cost is not None:
                # Inside the transaction: concurrent creates see each other's queued spend.
                self.spending.check_task(
                    db,
                    caller.region,
                    device,
                    cost,
                    now,
                    lambda: self._priced_tasks(db, caller.region, now),
                )
            arn = self._arn(caller, TASK, token)
            record = self._plan_task(params, tags, arn, now)
            if cost is not None:
                record["cost"] = str(cost)
            execution = self._executing()
            if execution is not None:
                record = execution.task_record(record, now)
            row = Row(0, arn, TASK, caller.region, token, request_digest, record["endsAt"], record)
            self.store.insert(db, row)
            self.store.set_tags(db, arn, tags)
        if execution is not None:
            execution.submit_task(row, device)
        return {"quantumTaskArn": arn}

    def _plan_task(
        self, params: dict[str, Any], tags: dict[str, str], arn: str, now: float
    ) -> dict[str, Any]:
        s = self.settings
        run = _seconds(tags.get(RUN_MARKER), s.task_run_seconds, RUN_MARKER)
        queued = now + s.task_created_seconds
        running = queued + s.task_queue_seconds
        request = {k: v for k, v in params.items() if k not in ("clientToken", "tags")}
        task_id = arn.rsplit("/", 1)[1]
        return {
            "request": request,
            "outputS3Directory": f"{params['outputS3KeyPrefix']}/{task_id}",
            "createdAt": now,
            "queuedAt": queued,
            "runningAt": running,
            "endsAt": running + run,
            "outcome": "FAILED" if FAIL_MARKER in tags else "COMPLETED",
            "failureReason": tags.get(FAIL_MARKER),
            "cancelRequestedAt": None,
            "cancelledAt": None,
        }

    def get_quantum_task(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["quantumTaskArn"]
        now = self.clock()
        with self.store.transaction() as db:
            row = self._owned(caller, arn, TASK, db)
            tags = self.store.tags(db, arn)
        view = task_view(row, tags, now)
        if "QueueInfo" in (params.get("additionalAttributeNames") or []):
            queued = view["status"] == "QUEUED"
            view["queueInfo"] = {
                "queue": "QUANTUM_TASKS_QUEUE",
                "position": "1" if queued else "None",
                "queuePriority": "Normal",
                **({} if queued else {"message": "Quantum task is not queued"}),
            }
        return view

    def cancel_quantum_task(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["quantumTaskArn"]
        now = self.clock()
        with self.store.transaction() as db:
            row = self._owned(caller, arn, TASK, db)
            status = task_status(row.record, now)
            if status in ("COMPLETED", "FAILED"):
                raise ConflictException(
                    f"Quantum task {arn} is already {status} and cannot be cancelled"
                )
            executed = bool(row.record.get("executed")) and self.execution is not None
            if status not in ("CANCELLING", "CANCELLED"):
                if executed:
                    assert self.execution is not None
                    # Killing a worker takes milliseconds: the work is gone when this returns.
                    self.execution.cancel_task(arn)
                    row.record["cancelRequestedAt"] = row.record["cancelledAt"] = now
                else:
                    row.record["cancelRequestedAt"] = now
                    row.record["cancelledAt"] = now + self.settings.task_cancel_seconds
                row.ends_at = row.record["cancelledAt"]
                self.store.update(db, row)
                status = "CANCELLING" if executed else task_status(row.record, now)
        return {"quantumTaskArn": arn, "cancellationStatus": status}

    def search_quantum_tasks(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        now = self.clock()
        # jobArn is not in the summary, but it is a documented filter: summaries carry it
        # until the page is built.
        match = _compile_filters("SearchQuantumTasks", params.get("filters", []))
        with self.store.transaction() as db:
            after = _token_after(params, "SearchQuantumTasks")
            summaries = (
                (row.seq, task_summary(row, self.store.tags(db, row.arn), now))
                for row in self.store.scan(db, TASK, caller.region, after)
            )
            page, token = _page_stream(summaries, match, params, "SearchQuantumTasks")
        for item in page:
            item.pop("jobArn", None)
        return {"quantumTasks": page, **token}

    # -- spending limits ----------------------------------------------------------------

    def create_spending_limit(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        tags = params.get("tags") or {}
        _check_tags(tags, {})
        with self.store.transaction() as db:
            arn = self.spending.create(
                db, caller.region, params, self.clock(), digest(params), self.settings.device_status
            )
            if not self.store.tags(db, arn):
                self.store.set_tags(db, arn, tags)
        return {"spendingLimitArn": arn}

    def update_spending_limit(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        with self.store.transaction() as db:
            self.spending.update(db, caller.region, params, self.clock())
        return {}

    def delete_spending_limit(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        with self.store.transaction() as db:
            self.spending.delete(db, caller.region, params["spendingLimitArn"])
        return {}

    def search_spending_limits(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        now = self.clock()
        match = _compile_filters("SearchSpendingLimits", params.get("filters", []))
        with self.store.transaction() as db:
            after = _token_after(params, "SearchSpendingLimits")
            tasks = self._priced_tasks(db, caller.region, now)
            summaries = []
            for limit in self.store.scan(db, SPENDING_LIMIT, caller.region, after):
                queued, total = self.spending.spend(limit, tasks)
                tags = self.store.tags(db, limit.arn)
                summaries.append((limit.seq, self.spending.summary(limit, queued, total, tags)))
            page, token = _page_stream(iter(summaries), match, params, "SearchSpendingLimits")
        return {"spendingLimits": page, **token}

    def _priced_tasks(self, db: Any, region: str, now: float) -> list[tuple[Row, str]]:
        """The region's QPU tasks that have a cost, with their status now."""
        return [
            (row, task_status(row.record, now))
            for row in self.store.scan(db, TASK, region, 0)
            if "cost" in row.record
        ]

    # -- tags -----------------------------------------------------------------------------

    def _tag_target(self, caller: Caller, arn: str, db: Any) -> Row:
        if not arn.startswith("arn:aws") or ":braket:" not in arn:
            raise ValidationException(f"resourceArn: {arn!r} is not a Braket resource ARN")
        return self._owned(caller, arn, None, db)

    def tag_resource(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        arn, tags = params["resourceArn"], params["tags"]
        with self.store.transaction() as db:
            self._tag_target(caller, arn, db)
            _check_tags(tags, self.store.tags(db, arn))
            self.store.set_tags(db, arn, tags)
        return {}

    def untag_resource(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        arn, keys = params["resourceArn"], params["tagKeys"]
        with self.store.transaction() as db:
            self._tag_target(caller, arn, db)
            self.store.remove_tags(db, arn, keys)
        return {}

    def list_tags_for_resource(self, caller: Caller, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["resourceArn"]
        with self.store.transaction() as db:
            self._tag_target(caller, arn, db)
            return {"tags": self.store.tags(db, arn)}


# -- lifecycle views --------------------------------------------------------------------------


def job_status(record: dict[str, Any], now: float) -> str:
    if record["cancelRequestedAt"] is not None:
        return "CANCELLED" if now >= record["cancelledAt"] else "CANCELLING"
    if now < record["startedAt"]:
        return "QUEUED"
    if now < record["endsAt"]:
        return "RUNNING"
    return str(record["outcome"])


def _job_events(record: dict[str, Any], now: float) -> list[dict[str, Any]]:
    cancelled = record["cancelRequestedAt"]
    started = record["startedAt"]
    began = cancelled is None or cancelled >= started
    timeline: list[tuple[float, str, str]] = [
        (record["createdAt"], "QUEUED_FOR_EXECUTION", "Job queued for execution"),
    ]
    if began:
        timeline += [
            (started, "STARTING_INSTANCE", "Starting the job instance"),
            (started, "DOWNLOADING_DATA", "Downloading the algorithm script and input data"),
            (started, "RUNNING", "Running the algorithm script"),
        ]
    if cancelled is not None:
        timeline.append((record["cancelledAt"], "CANCELLED", "Job cancelled"))
    else:
        timeline.append((record["endsAt"], "UPLOADING_RESULTS", "Uploading results"))
        message = record["failureReason"] or "Job completed"
        timeline.append((record["endsAt"], record["lastEvent"], message))
    return [
        {"eventType": kind, "timeOfEvent": _iso(at), "message": message}
        for at, kind, message in timeline
        if at <= now and (cancelled is None or at <= record["cancelledAt"])
    ]


def _job_times(record: dict[str, Any], now: float) -> dict[str, Any]:
    times: dict[str, Any] = {"createdAt": _iso(record["createdAt"])}
    cancelled = record["cancelRequestedAt"]
    started = record["startedAt"]
    if now >= started and (cancelled is None or cancelled >= started):
        times["startedAt"] = _iso(started)
    end = record["cancelledAt"] if cancelled is not None else record["endsAt"]
    if now >= end:
        times["endedAt"] = _iso(end)
        if "startedAt" in times:
            times["billableDuration"] = round((end - started) * 1000)
    return times


def job_view(row: Row, tags: dict[str, str], now: float) -> dict[str, Any]:
    record = row.record
    status = job_status(record, now)
    view: dict[str, Any] = {
        **record["request"],
        "jobArn": row.arn,
        "status": status,
        "events": _job_events(record, now),
        **_job_times(record, now),
        "tags": tags,
    }
    if status == "FAILED":
        view["failureReason"] = record["failureReason"]
    return view


def job_summary(row: Row, tags: dict[str, str], now: float) -> dict[str, Any]:
    record = row.record
    times = _job_times(record, now)
    times.pop("billableDuration", None)
    return {
        "status": job_status(record, now),
        "jobArn": row.arn,
        "jobName": record["request"]["jobName"],
        "device": record["request"]["deviceConfig"]["device"],
        **times,
        "tags": tags,
    }


def task_status(record: dict[str, Any], now: float) -> str:
    if record["cancelRequestedAt"] is not None:
        return "CANCELLED" if now >= record["cancelledAt"] else "CANCELLING"
    if now < record["queuedAt"]:
        return "CREATED"
    if now < record["runningAt"]:
        return "QUEUED"
    if now < record["endsAt"]:
        return "RUNNING"
    return str(record["outcome"])


def task_summary(row: Row, tags: dict[str, str], now: float) -> dict[str, Any]:
    record = row.record
    request = record["request"]
    status = task_status(record, now)
    summary: dict[str, Any] = {
        "quantumTaskArn": row.arn,
        "status": status,
        "deviceArn": request["deviceArn"],
        "shots": request["shots"],
        "outputS3Bucket": request["outputS3Bucket"],
        "outputS3Directory": record["outputS3Directory"],
        "createdAt": _iso(record["createdAt"]),
        "tags": tags,
    }
    if status in TERMINAL:
        end = record["cancelledAt"] if record["cancelRequestedAt"] is not None else record["endsAt"]
        summary["endedAt"] = _iso(end)
    # Locally a job's token is its ARN: a task created with it belongs to that job.
    if str(request.get("jobToken", "")).startswith("arn:aws:braket:"):
        summary["jobArn"] = request["jobToken"]
    return summary


def task_view(row: Row, tags: dict[str, str], now: float) -> dict[str, Any]:
    record = row.record
    request = record["request"]
    view = task_summary(row, tags, now)
    # deviceParameters is required in the response; the service reports "{}" when none were sent.
    view["deviceParameters"] = request.get("deviceParameters") or "{}"
    if request.get("associations"):
        view["associations"] = request["associations"]
    if request.get("experimentalCapabilities"):
        view["experimentalCapabilities"] = request["experimentalCapabilities"]
    header = json.loads(request["action"]).get("braketSchemaHeader", {})
    view["actionMetadata"] = {"actionType": header.get("name", ""), "programCount": 1}
    if view["status"] == "COMPLETED":
        view["numSuccessfulShots"] = request["shots"]
    if view["status"] == "FAILED":
        view["failureReason"] = record["failureReason"]
    return view


# -- validation beyond the model ----------------------------------------------------------------


def _seconds(raw: str | None, default: float, marker: str) -> float:
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValidationException(f"{marker} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise ValidationException(f"{marker} must not be negative")
    return value


def _check_tags(new: dict[str, str], existing: dict[str, str]) -> None:
    found = tag_problems(new, existing)
    if found:
        path, rule = found[0]
        raise ValidationException(f"{path}: {rule}")


def _check_shots(
    params: dict[str, Any], device: devices.Device, shots: int | None = None, what: str = "shots"
) -> None:
    """The device's shots range, which Braket enforces when the task is created."""
    service = device.capabilities().get("service", {})
    low, high = service.get("shotsRange") or (0, None)
    shots = params["shots"] if shots is None else shots
    if shots < low or (high is not None and shots > high):
        if what == "shots":
            # Braket's own words, as users have reported them (metriq-gym issues 781, 793).
            raise ValidationException(
                f"Shot count should be between {low} and {high} on {device.arn}, but found {shots}."
            )
        raise ValidationException(
            f"{what}: {shots} is outside the range {low} to {high} that {device.arn} supports"
        )


def _check_program_set(
    params: dict[str, Any], device: devices.Device, action: dict[str, Any]
) -> None:
    """A program set within what the device's program-set action states: executables, total
    shots split evenly among them, and each executable's shots in the device's range."""
    from braket.ir.openqasm import ProgramSet

    try:
        program_set = ProgramSet.parse_obj(action)
    except ValueError as error:
        first = str(error).strip().splitlines()
        raise ValidationException(
            f"action: not a valid program set ({'; '.join(first[:3])})"
        ) from None
    limits = device.capabilities()["action"][PROGRAM_SET]
    executables = int(program_set.num_executables)
    most = int(limits["maximumExecutables"])
    if executables > most:
        raise ValidationException(
            f"action: the program set has {executables} executables; {device.arn} runs at "
            f"most {most} in one task (maximumExecutables)"
        )
    shots = params["shots"]
    low, high = int(limits.get("minimumTotalShots") or 1), int(limits["maximumTotalShots"])
    if not low <= shots <= high:
        raise ValidationException(
            f"shots: {shots} is outside the range {low} to {high} of total shots that "
            f"{device.arn} takes for a program set (minimumTotalShots, maximumTotalShots)"
        )
    if shots % executables:
        raise ValidationException(
            f"shots: Total shots must be divisible by number of executables: {shots} shots for "
            f"{executables} executables"
        )
    _check_shots(params, device, shots // executables, "shots per executable")


def _check_programs(action: dict[str, Any], device: devices.Device) -> None:
    """OpenQASM programs refused as Braket refuses them at create; a program set's programs
    each, listed as the model's programSetValidationFailures."""
    name = action.get("braketSchemaHeader", {}).get("name")
    capabilities = device.capabilities()
    if name == analog_rules.AHS:
        try:
            analog_rules.check(action, capabilities)
        except analog_rules.AnalogRefused as refused:
            raise ValidationException(f"action: {refused}") from None
    elif name == programs.OPENQASM:
        try:
            programs.check(str(action.get("source", "")), capabilities)
        except programs.ProgramRefused as refused:
            raise ValidationException(str(refused)) from None
    elif name == PROGRAM_SET:
        failures: list[dict[str, Any]] = []
        for index, program in enumerate(action.get("programs") or []):
            try:
                programs.check(str(program.get("source", "")), capabilities)
            except programs.ProgramRefused as refused:
                failures.append({"programIndex": index, "inputsIndex": 0, "errors": [str(refused)]})
        if failures:
            first = failures[0]
            raise ValidationException(
                f"action: {len(failures)} program(s) of the set are refused; the first, "
                f"programs[{first['programIndex']}]: {first['errors'][0]}",
                programSetValidationFailures=failures,
            )


def _check_action(params: dict[str, Any], device: devices.Device) -> dict[str, Any]:
    for member in ("action", "deviceParameters"):
        raw = params.get(member)
        if raw is None:
            continue
        try:
            json.loads(raw)
        except ValueError as error:
            raise ValidationException(f"{member}: not valid JSON ({error})") from None
    action = json.loads(params["action"])
    header = action.get("braketSchemaHeader") if isinstance(action, dict) else None
    name = header.get("name") if isinstance(header, dict) else None
    supported = device.capabilities().get("action", {})
    if name not in supported:
        raise ValidationException(
            f"action: braketSchemaHeader.name {name!r} is not supported by {device.arn}; "
            f"supported: {', '.join(sorted(supported))}"
        )
    return dict(action)


# -- search -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilterRule:
    """A documented search filter: the summary member it reads, its type, its operators."""

    member: str
    kind: str
    operators: frozenset[str]
    alone: bool = False


_EQUAL = frozenset({"EQUAL"})
_TIMES = frozenset({"EQUAL", "GT", "GTE", "LT", "LTE", "BETWEEN"})

# The filter names each search documents in botocore's model (the `name` member of
# SearchJobsFilter, SearchQuantumTasksFilter and SearchDevicesFilter). The model states
# them only in prose, so they are listed here and a test checks each against that prose.
FILTERS: dict[str, dict[str, FilterRule]] = {
    "SearchJobs": {
        "jobArn": FilterRule("jobArn", "string", _EQUAL, alone=True),
        "jobName": FilterRule("jobName", "string", frozenset({"EQUAL", "CONTAINS"})),
        "deviceArn": FilterRule("device", "string", _EQUAL),
        "createdAt": FilterRule("createdAt", "timestamp", _TIMES),
    },
    "SearchQuantumTasks": {
        "quantumTaskArn": FilterRule("quantumTaskArn", "string", _EQUAL),
        "deviceArn": FilterRule("deviceArn", "string", _EQUAL),
        "jobArn": FilterRule("jobArn", "string", _EQUAL),
        "status": FilterRule("status", "string", _EQUAL),
        "createdAt": FilterRule("createdAt", "timestamp", _TIMES),
    },
    "SearchDevices": {"deviceArn": FilterRule("deviceArn", "string", _EQUAL)},
    "SearchSpendingLimits": {
        "deviceArn": FilterRule("deviceArn", "string", _EQUAL),
        "spendingLimitArn": FilterRule("spendingLimitArn", "string", _EQUAL),
    },
}


def _unknown_filter(
    operation: str, index: int, name: str, names: Iterable[str]
) -> ValidationException:
    return ValidationException(
        f"filters[{index}].name: {name!r} is not a filter of {operation}; "
        f"valid names: {', '.join(sorted(names))}"
    )


def _typed(kind: str, value: str, where: str) -> Any:
    if kind == "timestamp":
        try:
            stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            stamp = None
        if stamp is None or stamp.tzinfo is None:
            raise ValidationException(
                f"{where}: {value!r} is not an RFC 3339 date-time such as 2026-01-31T12:00:00Z"
            )
        return stamp.timestamp()
    return value


_ARITY = {"LT": 1, "LTE": 1, "GT": 1, "GTE": 1, "BETWEEN": 2}
_COMPARE: dict[str, Callable[[Any, list[Any]], bool]] = {
    "EQUAL": lambda v, vs: v in vs,
    "CONTAINS": lambda v, vs: any(str(x) in str(v) for x in vs),
    "LT": lambda v, vs: v < vs[0],
    "LTE": lambda v, vs: v <= vs[0],
    "GT": lambda v, vs: v > vs[0],
    "GTE": lambda v, vs: v >= vs[0],
    "BETWEEN": lambda v, vs: vs[0] <= v <= vs[1],
}


def _compile_filters(
    operation: str, filters: list[dict[str, Any]]
) -> Callable[[dict[str, Any]], bool]:
    rules = FILTERS[operation]
    checks: list[Callable[[dict[str, Any]], bool]] = []
    for index, item in enumerate(filters):
        name, raw = item["name"], item["values"]
        operator = item.get("operator", "EQUAL")
        where = f"filters[{index}]"
        rule = rules.get(name)
        if rule is None:
            raise _unknown_filter(operation, index, name, rules)
        if operator not in rule.operators:
            raise ValidationException(
                f"{where}.operator: filter {name} supports {', '.join(sorted(rule.operators))}, "
                f"not {operator}"
            )
        if rule.alone and len(filters) > 1:
            raise ValidationException(f"{where}: filter {name} cannot be combined with others")
        arity = _ARITY.get(operator)
        if arity is not None and len(raw) != arity:
            raise ValidationException(
                f"{where}.values: operator {operator} takes exactly {arity} value(s), "
                f"got {len(raw)}"
            )
        values = [_typed(rule.kind, value, f"{where}.values") for value in raw]
        compare = _COMPARE[operator]

        def check(
            summary_item: dict[str, Any],
            rule: FilterRule = rule,
            values: list[Any] = values,
            compare: Callable[[Any, list[Any]], bool] = compare,
        ) -> bool:
            value = summary_item.get(rule.member)
            if value is None:
                return False
            if rule.kind == "timestamp":
                value = value.timestamp()
            return compare(value, values)

        checks.append(check)
    return lambda summary_item: all(check(summary_item) for check in checks)


def _encode_token(operation: str, after: int) -> str:
    raw = json.dumps({"op": operation, "after": after}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _token_after(params: dict[str, Any], operation: str) -> int:
    token = params.get("nextToken")
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        if data["op"] != operation:
            raise ValueError(data["op"])
        return int(data["after"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ValidationException(
            f"nextToken: {token[:40]!r} is not a token of {operation}"
        ) from None


def _page_size(params: dict[str, Any], operation: str) -> int:
    return int(params.get("maxResults") or default_page_size(operation))


@functools.cache
def default_page_size(operation: str) -> int:
    """The default maxResults the model documents ("Default is 20."), else 100."""
    from pulumi_braket.shapes import service_model

    shape = service_model().operation_model(operation).input_shape
    member = shape.members.get("maxResults") if shape is not None else None
    found = re.search(r"Default is (\d+)", member.documentation or "") if member else None
    return int(found.group(1)) if found else 100


def _page_stream(
    rows: Iterator[tuple[int, dict[str, Any]]],
    match: Callable[[dict[str, Any]], bool],
    params: dict[str, Any],
    operation: str,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    size = _page_size(params, operation)
    page: list[dict[str, Any]] = []
    last = 0
    for seq, item in rows:
        if not match(item):
            continue
        if len(page) == size:
            return page, {"nextToken": _encode_token(operation, last)}
        page.append(item)
        last = seq
    return page, {}


def _page(
    items: list[tuple[int, dict[str, Any]]], params: dict[str, Any], operation: str
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    after = _token_after(params, operation)
    rows = ((position + 1, item) for position, item in items if position + 1 > after)
    return _page_stream(rows, lambda _: True, params, operation)
