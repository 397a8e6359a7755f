"""CloudWatch Logs Insights queries over the job log group, with their filters applied.

moto's Logs Insights ignores ``filter`` clauses, so ``AwsQuantumJob.metrics()`` would see
every job's metrics. Queries on ``/aws/braket/jobs`` are answered here instead; the
commands the Braket SDK and people commonly use are supported: ``fields``, ``filter
<field> like /regex/`` (and ``not like``), ``sort <field> asc|desc`` and ``limit``.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pulumi_braket.local.execution.job_runner import LOG_GROUP
from pulumi_braket.local.neighbours import objects

START_QUERY = "Logs_20140328.StartQuery"
GET_QUERY_RESULTS = "Logs_20140328.GetQueryResults"

_LIKE = re.compile(r"^filter\s+(@?\w+)\s+(not\s+)?like\s+/(.*)/\s*$", re.IGNORECASE)
_SORT = re.compile(r"^sort\s+(@?\w+)(?:\s+(asc|desc))?\s*$", re.IGNORECASE)
_LIMIT = re.compile(r"^limit\s+(\d+)\s*$", re.IGNORECASE)
_FIELDS = re.compile(r"^fields\s+(.+)$", re.IGNORECASE)

Row = dict[str, Any]


class QueryError(ValueError):
    """A query this service cannot answer; the message names the command."""


def _commands(query: str) -> list[str]:
    # Commands are separated by pipes; a pipe inside /regex/ is part of the regex.
    parts, current, in_regex = [], "", False
    for char in query:
        if char == "/" and not current.rstrip().endswith("\\"):
            in_regex = not in_regex
        if char == "|" and not in_regex:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [part for part in parts if part]


def compile_query(query: str) -> tuple[list[str], Callable[[list[Row]], list[Row]]]:
    """The output fields and a function from events to result rows."""
    fields = ["@timestamp", "@message"]
    steps: list[Callable[[list[Row]], list[Row]]] = []
    for command in _commands(query):
        if found := _FIELDS.match(command):
            fields = [name.strip() for name in found.group(1).split(",")]
        elif found := _LIKE.match(command):
            name, negate, pattern = found.group(1), bool(found.group(2)), found.group(3)
            regex = re.compile(pattern)

            def keep(
                rows: list[Row],
                name: str = name,
                regex: re.Pattern[str] = regex,
                negate: bool = negate,
            ) -> list[Row]:
                return [row for row in rows if bool(regex.search(str(row.get(name, "")))) != negate]

            steps.append(keep)
        elif found := _SORT.match(command):
            name, descending = found.group(1), (found.group(2) or "desc").lower() == "desc"

            def order(
                rows: list[Row], name: str = name, descending: bool = descending
            ) -> list[Row]:
                return sorted(rows, key=lambda row: row.get(name, ""), reverse=descending)

            steps.append(order)
        elif found := _LIMIT.match(command):
            count = int(found.group(1))

            def head(rows: list[Row], count: int = count) -> list[Row]:
                return rows[:count]

            steps.append(head)
        else:
            raise QueryError(f"the local service cannot run the query command {command!r}")

    def run(rows: list[Row]) -> list[Row]:
        for step in steps:
            rows = step(rows)
        return rows

    return fields, run


def _stamp(millis: int) -> str:
    # Logs Insights shows @timestamp as "YYYY-MM-DD HH:MM:SS.mmm" in UTC.
    moment = datetime.fromtimestamp(millis / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


class Insights:
    """Runs queries on the job log group at StartQuery and keeps their results by id."""

    def __init__(self, account: Callable[[], str]) -> None:
        self._account = account
        self._results: dict[str, list[list[dict[str, str]]]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def owns(body: dict[str, Any]) -> bool:
        groups = body.get("logGroupNames") or [body.get("logGroupName")]
        return LOG_GROUP in groups

    def start_query(self, region: str, body: dict[str, Any]) -> dict[str, Any]:
        fields, run = compile_query(str(body.get("queryString", "")))
        start, end = int(body["startTime"]) * 1000, int(body["endTime"]) * 1000
        events = [
            {"@timestamp": at, "@message": message, "@logStream": stream, "@log": LOG_GROUP}
            for stream, at, message in objects.log_events(self._account(), region, LOG_GROUP, "")
            if start <= at <= end + 999
        ]
        rows = run(sorted(events, key=lambda row: row["@timestamp"], reverse=True))
        limit = body.get("limit")
        if limit:
            rows = rows[: int(limit)]
        results = [
            [
                {
                    "field": name,
                    "value": _stamp(row[name]) if name == "@timestamp" else str(row[name]),
                }
                for name in fields
                if name in row
            ]
            for row in rows
        ]
        query_id = str(uuid.uuid4())
        with self._lock:
            self._results[query_id] = results
        return {"queryId": query_id}

    def get_query_results(self, query_id: str) -> dict[str, Any] | None:
        with self._lock:
            results = self._results.get(query_id)
        if results is None:
            return None
        return {
            "results": results,
            "status": "Complete",
            "statistics": {"recordsMatched": float(len(results)), "recordsScanned": 0.0},
        }
