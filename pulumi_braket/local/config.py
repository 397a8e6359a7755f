"""Settings of the local Braket service: lifecycle durations, quotas and injected faults."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ENV_PREFIX = "PULUMI_BRAKET_LOCAL_"
# The device statuses whose behaviour the service implements (GetDevice, and refusals at
# create); the model's other statuses are refused by the device_status setting.
MODELLED_STATUSES = ("ONLINE", "OFFLINE", "RETIRED")
# The service's own control API (health, settings, calls, prices) lives under this path.
CONTROL_PREFIX = "/_braket_local/"

# moto's default account (moto.core.DEFAULT_ACCOUNT_ID): STS get_caller_identity answers it,
# so Braket ARNs and the SDK's default bucket name agree with what the other services say.
DEFAULT_ACCOUNT_ID = "123456789012"


@dataclass
class ServiceSettings:
    """What shapes the service's behaviour; each field is also PULUMI_BRAKET_LOCAL_<NAME>."""

    # Job lifecycle, in seconds: QUEUED for job_queue_seconds, RUNNING for job_run_seconds,
    # CANCELLING for job_cancel_seconds after a cancel. Defaults suit a person watching the demo.
    job_queue_seconds: float = 3.0
    job_run_seconds: float = 20.0
    job_cancel_seconds: float = 2.0
    # Quantum task lifecycle: CREATED, then QUEUED, then RUNNING, each for this long.
    task_created_seconds: float = 0.5
    task_queue_seconds: float = 1.0
    task_run_seconds: float = 2.0
    task_cancel_seconds: float = 0.5
    # Jobs that may be QUEUED, RUNNING or CANCELLING at once per region; 0 means no quota.
    max_concurrent_jobs: int = 0
    # Faults for tests, applied to Braket calls only and before any state changes.
    latency_ms: float = 0.0
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    # Makes runs reproducible: the fault sequence, every task's sampling (its seed derived from
    # this one and its client token), and the ARNs of jobs and tasks (from their tokens).
    seed: int | None = None
    # Requests signed with these access key ids get AccessDeniedException.
    deny_access_keys: frozenset[str] = field(default_factory=frozenset)
    account_id: str = DEFAULT_ACCOUNT_ID
    # Execution: run tasks on the Braket simulators and jobs from their source. Off gives the
    # timer lifecycles above, for tests that do not care what runs.
    execute: bool = True
    # Simulation worker processes (tasks running at once); 0 follows the machine's cores.
    task_workers: int = 0
    # Jobs running at once; the others stay QUEUED. 0 follows the machine's cores.
    job_slots: int = 0
    # Largest simulator state a task may allocate, in bytes; 0 derives it from free memory.
    memory_budget_bytes: int = 0
    # After a cancel or the maximum runtime, how long a job's processes get between TERM and KILL.
    job_stop_grace_seconds: float = 5.0
    # Install a job source's requirements.txt into a cached venv layered on the service's.
    install_requirements: bool = True
    # Statuses that replace the catalogue's, by device ARN: how the offline and retired paths
    # are reached without taking a device Braket lists as online offline. Given as
    # "ionq/forte-1=OFFLINE,rigetti/ankaa-3=RETIRED" (short names or ARNs), or a JSON object.
    device_status: dict[str, str] = field(default_factory=dict)
    # A user's own deviceCapabilities files, by device ARN: GetDevice serves them and tasks are
    # emulated from their calibration, so a team can emulate today's calibration (a file saved
    # from AwsDevice(arn).properties on a real account). "iqm/garnet=/path/garnet.json,..." or
    # a JSON object; each file is checked against the Braket device schemas when set.
    device_properties: dict[str, str] = field(default_factory=dict)
    # Braket Direct reservations the account holds, by reservation ARN: the device each is
    # for. Reservations are made in the Braket console, not through the API, so the service
    # knows only those declared here; tasks and jobs naming any other are refused, as Braket
    # refuses an unknown reservation. "RESERVATION_ARN=ionq/forte-1,..." or a JSON object.
    reservations: dict[str, str] = field(default_factory=dict)

    @classmethod
    def fields(cls) -> list[dataclasses.Field[Any]]:
        return list(dataclasses.fields(cls))

    def updated(self, changes: Mapping[str, Any]) -> ServiceSettings:
        """A copy with ``changes`` applied; values may be strings (from env, flags or JSON)."""
        known = {f.name: f for f in self.fields()}
        values: dict[str, Any] = {}
        for name, raw in changes.items():
            if name not in known:
                raise ValueError(f"unknown setting {name!r}; known: {', '.join(sorted(known))}")
            values[name] = _coerce(name, raw)
        return dataclasses.replace(self, **values)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceSettings:
        env = os.environ if environ is None else environ
        changes = {
            f.name: env[ENV_PREFIX + f.name.upper()]
            for f in cls.fields()
            if ENV_PREFIX + f.name.upper() in env
        }
        return cls().updated(changes)

    def as_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["deny_access_keys"] = sorted(self.deny_access_keys)
        return data


def _coerce(name: str, raw: Any) -> Any:
    if name == "device_status":
        return _device_status(raw)
    if name == "device_properties":
        return _device_properties(raw)
    if name == "reservations":
        return _reservations(raw)
    if name == "deny_access_keys":
        items = raw.split(",") if isinstance(raw, str) else list(raw)
        return frozenset(item.strip() for item in items if item.strip())
    if name == "seed":
        return None if raw in (None, "") else int(raw)
    if name == "account_id":
        value = str(raw)
        if not (len(value) == 12 and value.isdigit()):
            raise ValueError("account_id must be 12 digits")
        return value
    if name in ("execute", "install_requirements"):
        return _boolean(name, raw)
    if name in ("max_concurrent_jobs", "task_workers", "job_slots", "memory_budget_bytes"):
        whole = int(raw)
        if whole < 0:
            raise ValueError(f"{name} must not be negative")
        return whole
    number = float(raw)
    if name.endswith("_rate") and not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1")
    if number < 0:
        raise ValueError(f"{name} must not be negative")
    return number


def _pairs(
    setting: str, raw: Any, value: str, key: str = "DEVICE", last: bool = False
) -> list[tuple[str, str]]:
    """(key, value) pairs from "key=value,..." or a mapping; split at the last '=' if
    ``last``, for keys (ARNs) that may hold one."""
    if isinstance(raw, Mapping):
        return [(str(name), str(item)) for name, item in raw.items()]
    pairs = []
    for item in str(raw or "").split(","):
        if item.strip():
            name, equals, given = item.rpartition("=") if last else item.partition("=")
            if not equals:
                raise ValueError(f"{setting}: {item.strip()!r} is not {key}={value}")
            pairs.append((name, given))
    return pairs


def _device(setting: str, name: str) -> Any:
    from pulumi_braket.local.catalogue import devices

    device = devices.resolve(name)
    if device is None:
        raise ValueError(
            f"{setting}: no device {name.strip()!r}; give an ARN or a short name such as "
            "ionq/forte-1"
        )
    return device


def _device_properties(raw: Any) -> dict[str, str]:
    """{device ARN: absolute path} of files that hold valid deviceCapabilities documents."""
    from pulumi_braket.local.catalogue import devices

    found: dict[str, str] = {}
    for name, path in _pairs("device_properties", raw, "FILE"):
        device = _device("device_properties", name)
        absolute = os.path.abspath(os.path.expanduser(path.strip()))
        try:
            devices.read_properties(absolute, device.arn)
        except ValueError as error:
            raise ValueError(f"device_properties: {device.short_name}: {error}") from None
        found[device.arn] = absolute
    return found


def _reservations(raw: Any) -> dict[str, str]:
    """{reservation ARN: device ARN}; the ARN is split from its device at the last '='."""
    import re

    pairs = _pairs("reservations", raw, "DEVICE", key="RESERVATION_ARN", last=True)
    found: dict[str, str] = {}
    for arn, name in pairs:
        if not re.fullmatch(
            r"arn:aws[a-z-]*:braket:[a-z0-9-]+:\d{12}:reservation/[\w-]+", arn.strip()
        ):
            raise ValueError(
                f"reservations: {arn.strip()!r} is not a Braket reservation ARN "
                "(arn:aws:braket:REGION:ACCOUNT:reservation/ID)"
            )
        device = _device("reservations", name)
        if device.device_type != "QPU":
            raise ValueError(
                f"reservations: {device.short_name} is a simulator; reservations are for QPUs"
            )
        found[arn.strip()] = device.arn
    return found


def _device_status(raw: Any) -> dict[str, str]:
    """{device ARN: status} from "name=STATUS,..." or a mapping; statuses from the model."""
    from botocore.model import StringShape

    from pulumi_braket.shapes import service_model

    pairs = _pairs("device_status", raw, "STATUS")
    shape = service_model().shape_for("DeviceStatus")
    assert isinstance(shape, StringShape)
    known = list(shape.enum)
    found: dict[str, str] = {}
    for name, status in pairs:
        device = _device("device_status", name)
        if status.strip().upper() not in known:
            raise ValueError(
                f"device_status: {status.strip()!r} for {device.short_name} is not one of "
                f"{', '.join(known)}"
            )
        if status.strip().upper() not in MODELLED_STATUSES:
            raise ValueError(
                f"device_status: {status.strip().upper()} is a Braket status the local service "
                f"does not model; it models {', '.join(MODELLED_STATUSES)}"
            )
        found[device.arn] = status.strip().upper()
    return found


def _boolean(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "on", "yes"):
        return True
    if text in ("0", "false", "off", "no"):
        return False
    raise ValueError(f"{name} must be on or off, got {raw!r}")


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def available_memory() -> int:
    """Bytes the kernel says can be allocated without swapping (MemAvailable)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 4 * 1024**3


def effective_workers(settings: ServiceSettings) -> int:
    return settings.task_workers or cores()


def effective_slots(settings: ServiceSettings) -> int:
    return settings.job_slots or cores()


def effective_memory_budget(settings: ServiceSettings) -> int:
    """Per task: a third of free memory shared by the workers, since a simulation holds more
    than its state (the next state, the measurement probabilities)."""
    if settings.memory_budget_bytes:
        return settings.memory_budget_bytes
    return available_memory() // (3 * effective_workers(settings))
