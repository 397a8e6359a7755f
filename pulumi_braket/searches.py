"""Braket's searches (devices, jobs, quantum tasks, spending limits), read from the model."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.model import ListShape, StructureShape
from pydantic import BaseModel

from pulumi_braket import shapes, wording
from pulumi_braket.client import client
from pulumi_braket.core import normalized
from pulumi_braket.errors import BraketError, describe
from pulumi_braket.settings import ProviderSettings

# -- search results -------------------------------------------------------------------------
# At run time each result class is the pydantic model of the summary shape (shapes.model);
# the field lists below only tell type checkers what those models hold (a test compares them).


class DeviceSummaryFields:
    device_arn: str
    device_name: str
    provider_name: str
    device_type: str
    device_status: str


class JobSummaryFields:
    status: str
    job_arn: str
    job_name: str
    device: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    tags: dict[str, str] | None


class QuantumTaskSummaryFields:
    quantum_task_arn: str
    status: str
    device_arn: str
    shots: int
    output_s3_bucket: str
    output_s3_directory: str
    created_at: datetime
    ended_at: datetime | None
    tags: dict[str, str] | None


class SpendingLimitSummaryFields:
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

    class SpendingLimitSummary(BaseModel, SpendingLimitSummaryFields):
        """A spending limit as search_spending_limits lists it, with its spend so far."""

    class DeviceSummary(BaseModel, DeviceSummaryFields):
        """A device as search_devices lists it."""

    class JobSummary(BaseModel, JobSummaryFields):
        """A hybrid job as search_jobs lists it."""

    class QuantumTaskSummary(BaseModel, QuantumTaskSummaryFields):
        """A quantum task as search_quantum_tasks lists it."""

else:
    DeviceSummary = shapes.model("DeviceSummary")
    JobSummary = shapes.model("JobSummary")
    QuantumTaskSummary = shapes.model("QuantumTaskSummary")
    SpendingLimitSummary = shapes.model("SpendingLimitSummary")


@dataclasses.dataclass(frozen=True)
class Search:
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


DEVICES = Search("SearchDevices", "devices", "DeviceSummary")
JOBS = Search("SearchJobs", "jobs", "JobSummary")
TASKS = Search("SearchQuantumTasks", "quantum tasks", "QuantumTaskSummary")
SPENDING_LIMITS = Search("SearchSpendingLimits", "spending limits", "SpendingLimitSummary")


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)  # naive means UTC
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(normalized(value))
    return value


def wire_filter(search: Search, index: int, item: Any) -> dict[str, Any]:
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


def _filter_error(search: Search, where: str, reason: str) -> BraketError:
    return BraketError(f"search Braket {search.kind} ({where}): {reason}")


def _identity(filters: list[dict[str, Any]]) -> str:
    if not filters:
        return "no filters"
    return "; ".join(
        " ".join([f["name"], *([f["operator"]] if "operator" in f else []), ",".join(f["values"])])
        for f in filters
    )


def search(
    search: Search,
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
    wire = [wire_filter(search, index, item) for index, item in enumerate(filters)]
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
                f"search Braket {search.kind} ({identity}): ",
                wording.Field("max_items"),
                f" must be at least 1, got {max_items}",
            )
        paging["MaxItems"] = max_items
    braket = client(settings)
    try:
        pages = braket.get_paginator(search.method).paginate(filters=wire, PaginationConfig=paging)
        items = [item for page in pages for item in page.get(search.result_key, [])]
    except (ClientError, BotoCoreError) as error:
        raise describe("search", search.kind, identity, error, operation=search.operation) from None
    return [_result(search.summary, item) for item in items]


SEARCHES = {search.operation: search for search in (DEVICES, JOBS, TASKS, SPENDING_LIMITS)}


def run_search(
    operation: str, filters: Sequence[Any] | None, max_items: int | None, settings: ProviderSettings
) -> list[BaseModel]:
    """A search (SearchJobs, ...) with explicit settings, for the native plugin's functions."""
    return search(SEARCHES[operation], filters, None, max_items, settings)


def _result(shape_name: str, item: Mapping[str, Any]) -> BaseModel:
    """A summary as its model, not validated again: a value newer than the installed model
    (a new status, say) must not break a lookup. botocore has already typed the values."""
    built = shapes.model(shape_name)
    fields = {field.alias: name for name, field in built.model_fields.items()}
    return built.model_construct(**{fields[key]: item[key] for key in item if key in fields})
