"""`make bench` still runs: the smallest bench, through the real engine, reports every row."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_smallest_run_reports_every_row(pulumi_dir: Path) -> None:
    # No timing is asserted (speed belongs to `make bench`): only that every part of the
    # bench still runs against the code as it is, which nothing else would notice.
    env = {**os.environ, "PULUMI_BRAKET_PULUMI_DIR": str(pulumi_dir)}
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "run.py"),
            "--n",
            "2",
            "--iterations",
            "1",
            "--no-checkpoint-rows",
            "--no-waiting-rows",
            "--rounds",
            "1",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = done.stdout
    for row in (
        "| (c) up | 2 |",
        "| (d) preview | 2 |",
        "| (d) refresh | 2 |",
        "| (d) destroy | 2 |",
    ):
        assert row in report, report
    assert "Thin-host targets at N=2, medians over 1 rounds (k)" in report
    # (k): the target rows ran every kind through a round, and the targets read from them.
    assert "| (c) up, no checkpoints | " in report.split("(k) The thin-host targets")[1]
    assert re.search(r"within 1\.3x of \(b\): dynamic \d+\.\d\dx \(", report), report
    # Floor (p), the plugin that only makes a Job's calls, ran its own plugin through every phase.
    assert "| (d) preview | (p) calls-only plugin |" in report, report
    assert "note: calls" not in done.stderr, done.stderr
    assert "no-change preview makes 0 Braket calls: 0" in report
