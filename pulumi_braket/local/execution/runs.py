"""Execution mode: jobs and tasks get their status from real runs, recorded in the store.

While a step has not happened its time is +inf in the record, so the status functions of
the timer lifecycle read executed records unchanged: a task is QUEUED until ``runningAt``,
RUNNING until ``endsAt``, then its ``outcome``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi_braket.local.catalogue import devices
from pulumi_braket.local.config import (
    ServiceSettings,
    effective_memory_budget,
    effective_slots,
    effective_workers,
)
from pulumi_braket.local.execution.job_runner import JobOutcome, JobRunner, JobSettings, JobWork
from pulumi_braket.local.execution.simulation import SIMULATORS
from pulumi_braket.local.execution.task_results import AHS, OPENQASM, PROGRAM_SET
from pulumi_braket.local.execution.task_runner import Outcome, TaskRunner, TaskWork
from pulumi_braket.local.front.credentials import Keyring
from pulumi_braket.local.neighbours import objects
from pulumi_braket.local.state.store import Row, Store

log = logging.getLogger(__name__)

NEVER = math.inf
RESTART_REASON = (
    "InternalServiceError: the local Braket service restarted while this job was running; "
    "a job is not resumed, since its code may already have had effects (run it again)"
)


def simulator_for(device: devices.Device, action_name: str) -> tuple[str, str]:
    """(local simulator, note for the result metadata) that stands in for a device."""
    short = device.arn.rsplit("/", 1)[-1]
    if action_name == AHS:
        return SIMULATORS["ahs"], f"{device.arn} emulated by the local Rydberg-atom simulator"
    if device.device_type == devices.SIMULATOR and short in SIMULATORS:
        simulator = SIMULATORS[short]
        kind = "density-matrix" if simulator == "braket_dm" else "state-vector"
        return simulator, f"{device.arn} run on the local {kind} simulator ({simulator})"
    if emulated(device, action_name):
        return SIMULATORS["qpu"], (
            f"{device.arn} emulated from its calibration with braket.emulation's noise model on "
            "the local density-matrix simulator (braket_dm)"
        )
    return SIMULATORS["sv1"], (
        f"{device.arn} emulated noise-free on the local state-vector simulator (braket_sv)"
    )


def emulated(device: devices.Device, action_name: str) -> bool:
    """Whether a task runs through the device's emulation: OpenQASM programs (alone or in a
    program set) on a gate-model QPU."""
    if device.device_type != devices.QPU or action_name not in (OPENQASM, PROGRAM_SET):
        return False
    paradigm = device.capabilities().get("paradigm") or {}
    header = (paradigm.get("braketSchemaHeader") or {}).get("name")
    return bool(header == "braket.device_schema.gate_model_qpu_paradigm_properties")


def task_seed(seed: int | None, client_token: str) -> int | None:
    """The seed of one task's sampling: from the service's seed and the task's client token,
    so the same request samples the same way on any machine, and no two tasks alike."""
    if seed is None:
        return None
    digest = hashlib.sha256(f"{seed}:{client_token}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _rewiring_disabled(parameters: str | None) -> bool:
    try:
        document = json.loads(parameters or "{}")
    except ValueError:
        return False
    paradigm = document.get("paradigmParameters") if isinstance(document, dict) else None
    return bool(isinstance(paradigm, dict) and paradigm.get("disableQubitRewiring"))


class Execution:
    """Owns the task and job runners and writes what they report into the store."""

    def __init__(
        self,
        store: Store,
        settings: Callable[[], ServiceSettings],
        endpoint: Callable[[], str],
        data_dir: Path | None,
        sessions: Keyring,
    ) -> None:
        self.store = store
        self._settings = settings
        self._owned_dir = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="braket-local-"))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._tasks: TaskRunner | None = None
        self.jobs = JobRunner(
            self.data_dir,
            endpoint,
            self._job_settings,
            self._job_started,
            self._job_finished,
            sessions,
        )

    def _job_settings(self) -> JobSettings:
        s = self._settings()
        return JobSettings(effective_slots(s), s.job_stop_grace_seconds, s.install_requirements)

    @property
    def tasks(self) -> TaskRunner:
        with self._lock:
            if self._tasks is None:
                workers = effective_workers(self._settings())
                self._tasks = TaskRunner(workers, self._task_started, self._task_finished)
            return self._tasks

    def close(self) -> None:
        with self._lock:
            tasks, self._tasks = self._tasks, None
        if tasks is not None:
            tasks.close()
        self.jobs.close()
        if self._owned_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    # -- tasks ------------------------------------------------------------------------------

    def task_record(self, record: dict[str, Any], now: float) -> dict[str, Any]:
        """A new task's record: QUEUED at once, the rest when it happens."""
        return {**record, "executed": True, "queuedAt": now, "runningAt": NEVER, "endsAt": NEVER}

    def submit_task(self, row: Row, device: devices.Device) -> None:
        request = row.record["request"]
        action = json.loads(request["action"])
        name = str(action.get("braketSchemaHeader", {}).get("name"))
        simulator, note = simulator_for(device, name)
        capabilities = device.capabilities()
        paradigm = capabilities.get("paradigm") or {}
        # A program set's programs are OpenQASM programs, held to that action's operations.
        programs = OPENQASM if name == PROGRAM_SET else name
        actions = capabilities.get("action", {})
        operations = (actions.get(programs) or {}).get("supportedOperations")
        work = {
            "taskArn": row.arn,
            "deviceArn": device.arn,
            "action": request["action"],
            "shots": request["shots"],
            "simulator": simulator,
            "note": note,
            "memoryBudget": effective_memory_budget(self._settings()),
            # The simulators' own limits stand in for a device's where it has none to say.
            "deviceQubits": paradigm.get("qubitCount"),
            "supportedOperations": operations,
            "simulatorDevice": device.device_type == devices.SIMULATOR,
            "seed": task_seed(self._settings().seed, row.client_token),
            "emulate": emulated(device, name),
            "propertiesFile": device.properties_file,
            "disableQubitRewiring": _rewiring_disabled(request.get("deviceParameters")),
        }
        self.tasks.submit(TaskWork(row.arn, work))

    def cancel_task(self, arn: str) -> None:
        self.tasks.cancel(arn)

    def _task_started(self, arn: str) -> None:
        with self.store.transaction() as db:
            row = self.store.get(db, arn)
            if row is None or row.record.get("cancelRequestedAt") is not None:
                return
            row.record["runningAt"] = time.time()
            self.store.update(db, row)

    def _task_finished(self, arn: str, outcome: Outcome) -> None:
        with self.store.transaction() as db:
            row = self.store.get(db, arn)
        if row is None or row.record.get("cancelRequestedAt") is not None:
            return
        status, reason = outcome.status, outcome.reason
        if outcome.result is not None:
            # Results are in S3 before the status says COMPLETED, as the SDK expects (or FAILED,
            # for a program set: the SDK reads which of its executables failed).
            request = row.record["request"]
            key = f"{row.record['outputS3Directory']}/results.json"
            try:
                objects.put_object(
                    self._settings().account_id,
                    request["outputS3Bucket"],
                    key,
                    json.dumps(outcome.result).encode(),
                )
            except objects.ObjectError as error:
                status, reason = "FAILED", f"could not write the results: {error}"
        now = time.time()
        with self.store.transaction() as db:
            row = self.store.get(db, arn)
            if row is None or row.record.get("cancelRequestedAt") is not None:
                return
            record = row.record
            if record["runningAt"] == NEVER:
                record["runningAt"] = now
            record.update({"endsAt": now, "outcome": status, "failureReason": reason})
            row.ends_at = now
            self.store.update(db, row)

    # -- jobs -------------------------------------------------------------------------------

    def job_record(self, record: dict[str, Any]) -> dict[str, Any]:
        return {
            **record,
            "executed": True,
            "startedAt": NEVER,
            "endsAt": NEVER,
            "outcome": None,
            "failureReason": None,
            "lastEvent": "COMPLETED",
        }

    def submit_job(self, row: Row) -> None:
        request = {**row.record["request"]}
        self.jobs.submit(JobWork(row.arn, row.region, self._settings().account_id, request))

    def cancel_job(self, arn: str) -> None:
        self.jobs.cancel(arn)

    def _job_started(self, arn: str, at: float) -> None:
        with self.store.transaction() as db:
            row = self.store.get(db, arn)
            if row is None or row.record["startedAt"] != NEVER:
                return
            row.record["startedAt"] = at
            self.store.update(db, row)

    def _job_finished(self, arn: str, outcome: JobOutcome, at: float) -> None:
        with self.store.transaction() as db:
            row = self.store.get(db, arn)
            if row is None:
                return
            record = row.record
            if record.get("cancelRequestedAt") is not None or outcome.status == "CANCELLED":
                if record.get("cancelRequestedAt") is None:
                    record["cancelRequestedAt"] = at
                record["cancelledAt"] = at
                row.ends_at = at
            else:
                if record["startedAt"] == NEVER:
                    record["startedAt"] = at
                record.update(
                    {
                        "endsAt": at,
                        "outcome": outcome.status,
                        "failureReason": outcome.reason,
                        "lastEvent": outcome.last_event,
                    }
                )
                row.ends_at = at
            self.store.update(db, row)

    # -- restart ----------------------------------------------------------------------------

    def recover(self) -> dict[str, int]:
        """Work left unfinished by an earlier process: tasks rerun, started jobs end FAILED.

        A task only computes its result, so running it again from the start is safe. A job's
        code may have created tasks or written files already: it ends FAILED, with an event
        that says why, and only jobs that never started are queued again.
        """
        counts = {"tasks_rerun": 0, "jobs_rerun": 0, "jobs_failed": 0, "cancels_finished": 0}
        now = time.time()
        resubmit: list[tuple[Row, devices.Device | None]] = []
        with self.store.transaction() as db:
            for row in self.store.unfinished(db):
                record = row.record
                if not record.get("executed"):
                    continue
                if record.get("cancelRequestedAt") is not None:
                    record["cancelledAt"] = now
                    row.ends_at = now
                    counts["cancels_finished"] += 1
                elif row.kind == "task":
                    record.update({"queuedAt": now, "runningAt": NEVER})
                    resubmit.append((row, devices.find(record["request"]["deviceArn"])))
                    counts["tasks_rerun"] += 1
                elif record["startedAt"] == NEVER:
                    resubmit.append((row, None))
                    counts["jobs_rerun"] += 1
                else:
                    record.update(
                        {
                            "endsAt": now,
                            "outcome": "FAILED",
                            "failureReason": RESTART_REASON,
                            "lastEvent": "FAILED",
                        }
                    )
                    row.ends_at = now
                    counts["jobs_failed"] += 1
                self.store.update(db, row)
        for row, device in resubmit:
            if row.kind == "task" and device is not None:
                self.submit_task(row, device)
            elif row.kind == "job":
                self.submit_job(row)
        # The start banner reports these counts; nothing is logged before it.
        return counts
