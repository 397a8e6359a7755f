"""What a simulation worker answers: results.json documents, failures and their reasons, sizes."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# The actions a worker is given, by their schema header's name.
OPENQASM = "braket.ir.openqasm.program"
PROGRAM_SET = "braket.ir.openqasm.program_set"
JAQCD = "braket.ir.jaqcd.program"
AHS = "braket.ir.ahs.program"

BYTES_PER_AMPLITUDE = 16  # one complex128


def state_bytes(simulator: str, qubits: int) -> int:
    """Memory the simulator's state needs: 16·2ⁿ bytes for a vector, 16·4ⁿ for a density matrix."""
    exponent = 2 * qubits if simulator == "braket_dm" else qubits
    return int(BYTES_PER_AMPLITUDE * 2**exponent)


def human_bytes(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if count < 1024 or unit == "PiB":
            return f"{count:.1f} {unit}" if unit != "B" else f"{int(count)} B"
        count /= 1024
    return f"{count:.1f} PiB"  # pragma: no cover


class TaskFailed(Exception):
    """The program cannot run as given: the task ends FAILED with this reason."""


class SetFailed(TaskFailed):
    """Some executables of a program set failed: FAILED, with the results of the set."""

    def __init__(self, reason: str, document: dict[str, Any]) -> None:
        super().__init__(reason)
        self.document = document


def encode(value: Any) -> Any:
    """A result value as Braket writes it: complex numbers as [re, im], arrays as lists."""
    if isinstance(value, enum.Enum):
        return encode(value.value)
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()
    if isinstance(value, complex):
        return [value.real, value.imag]
    if isinstance(value, Mapping):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def result_document(model: Any) -> dict[str, Any]:
    # The simulators build their results with .construct(): nothing was validated or
    # converted, so arrays, complex numbers, enums and measurement strings are still in there.
    raw: dict[str, Any] = encode(model.dict(exclude_none=True))
    types = raw.get("resultTypes")
    if isinstance(types, list) and any("value" not in item for item in types):
        # With shots the simulator lists the requested types without values, and leaves
        # them to LocalSimulator; Braket's results.json carries the values, computed from the
        # measurements. The SDK's own result class computes them the same way.
        from braket.tasks import GateModelQuantumTaskResult

        computed = GateModelQuantumTaskResult.from_object(model).result_types
        raw["resultTypes"] = encode([value.dict() for value in computed])
    if "measurements" in raw:
        if raw["measurements"]:
            raw["measurements"] = [[int(bit) for bit in shot] for shot in raw["measurements"]]
        else:
            del raw["measurements"]
    return raw


def reproducible(document: dict[str, Any], seed: int | None) -> dict[str, Any]:
    """Seeded, a results.json without the wall-clock members no two runs share (the schema
    makes them optional; GetQuantumTask still gives the times), and with its seed."""
    if seed is None:
        return document
    metadata = document["taskMetadata"]
    for member in ("createdAt", "endedAt"):
        metadata.pop(member, None)
    (document.get("additionalMetadata") or {}).pop("simulatorMetadata", None)
    metadata["localEmulation"]["seed"] = seed
    return document


def now() -> str:
    """A result timestamp as the simulators write them (ISO 8601, milliseconds, Z)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def reason(error: BaseException, *, plain: bool = False) -> str:
    """An error's first line, after its type unless ``plain`` (a message meant for users)."""
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    if plain and first:
        return first
    return f"{type(error).__name__}: {first}" if first else type(error).__name__
