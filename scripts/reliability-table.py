#!/usr/bin/env python3
"""Print the README's reliability tables from what tests/reliability measured.

Usage: scripts/reliability-table.py [.reliability/results.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

DEFAULT = Path(__file__).resolve().parents[1] / ".reliability" / "results.json"


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _calls(calls: dict[str, int]) -> str:
    return ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))


def summary(results: dict[str, Any]) -> list[str]:
    lines = [_row("scenario", "tried", "result"), _row("---", "---", "---")]
    crash = results.get("crash", {})
    if crash:
        duplicates = sum(point["duplicates"] for point in crash.values())
        orphans = sum(point["running_orphans"] for point in crash.values())
        lines.append(
            _row(
                "crash safety: SIGKILL, then cancel / refresh / up",
                f"{len(crash)} kill points",
                f"{duplicates} duplicate jobs, {orphans} running orphans",
            )
        )
    throttling = results.get("throttling", {})
    storm, fully = throttling.get("storm"), throttling.get("all")
    if storm:
        lines.append(
            _row(
                f"throttling storm: {storm['throttle_rate']:.0%} of calls throttled",
                f"{storm['jobs']} jobs, {storm['calls']} calls",
                f"{storm['throttled_absorbed']} throttled calls absorbed, "
                f"{storm['duplicates']} duplicates, up in {storm['seconds']:.0f} s",
            )
        )
    if fully:
        lines.append(
            _row(
                "throttling: 100% throttled",
                f"braket:maxAttempts {fully['max_attempts']}, {fully['calls']} calls",
                f"up fails in {fully['seconds']:.1f} s, one line naming job and cause",
            )
        )
    restart = results.get("restart", {}).get("mid-apply")
    if restart:
        lines.append(
            _row(
                "service restart on the same database mid-up",
                f"{restart['jobs']} jobs, restart after {restart['restarted_after_creates']}",
                f"service down {restart.get('restart_seconds', 0):.1f} s; first up "
                f"{restart['first_up']}, {restart['jobs_after_rerun']} jobs after rerun, "
                f"{restart['duplicates']} duplicates",
            )
        )
    load = results.get("load", {}).get("200")
    if load:
        steps = load["steps"]
        lines.append(
            _row(
                f"load: --parallel {load['parallel']}",
                f"{load['jobs']} Jobs + {load['resource_tags']} ResourceTags",
                "; ".join(
                    f"{step} {steps[step]['seconds']:.0f} s, {steps[step]['jobs']} jobs"
                    for step in ("up", "refresh", "destroy")
                    if step in steps
                ),
            )
        )
    bad = results.get("bad_input", {})
    if bad:
        counted = [value for value in bad.values() if "tried" in value]
        tried = sum(value["tried"] for value in counted)
        rejected = sum(value.get("rejected", 0) for value in counted)
        defaulted = sum(value.get("defaulted", 0) for value in counted)
        generated = sum(1 for key in bad if ":" in key and key.split(":")[0] in _RESOURCES)
        lines.append(
            _row(
                "bad input: model constraints (hypothesis), wrong types, through the engine",
                f"{tried} invalid inputs ({generated} constraints)",
                f"{rejected} rejected at check naming the field"
                + (f", {defaulted} filled by a default" if defaulted else "")
                + ", 0 reached the service",
            )
        )
    exposure = results.get("exposure", {})
    sentinels = exposure.get("sentinels")
    if sentinels:
        packs = sum(1 for key in exposure if key.startswith("pack:"))
        lines.append(
            _row(
                "secrets: sentinel credentials and secret hyperparameters",
                f"{sentinels['commands']} commands, {sentinels['log_bytes'] // 1000} kB of logs, "
                f"{sentinels['files_scanned']} files",
                f"{sentinels['plaintext_found']} plaintext; service on 127.0.0.1 only; "
                f"{packs} unsafe source paths refused",
            )
        )
    return lines


_RESOURCES = {"Job", "QuantumTask", "ResourceTags"}
_KILLED = {
    "all": "pulumi and every process it started",
    "cli": "the pulumi CLI alone",
    "host": "the provider host alone",
}


def kill_points(results: dict[str, Any]) -> list[str]:
    crash = results.get("crash", {})
    lines = [
        _row("kill point", "killed", "jobs after kill", "after recovery", "duplicates", "orphans"),
        _row("---", "---", "---", "---", "---", "---"),
    ]
    ordered = sorted(crash.items(), key=lambda item: item[1].get("order", 0))
    for name, point in ordered:
        lines.append(
            _row(
                f"`{name}`: {point['what']}",
                _KILLED.get(point["target"], point["target"]),
                point["jobs_after_kill"],
                f"{point['jobs_after_recovery']} ({point['jobs_declared']} declared)",
                point["duplicates"],
                point["running_orphans"],
            )
        )
    return lines


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    try:
        results = json.loads(path.read_text())
    except FileNotFoundError:
        print(f"{path}: no results; run pytest tests/reliability first", file=sys.stderr)
        return 1
    print("\n".join(summary(results)))
    if results.get("crash"):
        print()
        print("\n".join(kill_points(results)))
    print()
    print(f"Measured {results.get('updated_at', '?')}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
