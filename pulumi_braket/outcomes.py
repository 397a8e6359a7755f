"""What a resource core answers, host-free: each host turns these into its own replies."""

# The members are named as Pulumi's provider interface names them (property and reason of a
# check failure, id and outs of a create, ...), so either host maps them one to one.

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CheckFailure:
    """One broken rule: the input's path (snake_case, dotted) and why; the inputs the reason
    names are Fields in its Words, for the host to spell."""

    property: str
    reason: str


@dataclass
class CheckResult:
    inputs: dict[str, Any]
    failures: list[CheckFailure] = field(default_factory=list)


@dataclass
class DiffResult:
    changes: bool | None = None
    replaces: list[str] = field(default_factory=list)
    stables: list[str] = field(default_factory=list)
    delete_before_replace: bool = False


@dataclass
class CreateResult:
    id: str
    outs: dict[str, Any]


@dataclass
class ReadResult:
    """``id`` empty when the resource is gone; ``inputs`` only for a resource found by id
    alone (an import or adoption), rebuilt from what the service reports."""

    id: str
    outs: dict[str, Any]
    inputs: dict[str, Any] | None = None


@dataclass
class UpdateResult:
    outs: dict[str, Any]
