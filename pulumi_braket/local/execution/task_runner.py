"""Runs quantum tasks in warm simulation worker processes, with bounded concurrency and cancel."""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class TaskWork:
    """What one worker needs to run one task (a JSON line of the worker protocol)."""

    arn: str
    request: dict[str, Any]


@dataclass
class Outcome:
    """How a task ended: COMPLETED with its results document, or FAILED with a reason."""

    status: str
    result: dict[str, Any] | None = None
    reason: str | None = None


Started = Callable[[str], None]
Finished = Callable[[str, Outcome], None]


def worker_environment() -> dict[str, str]:
    """The workers run no user code, but still get nothing of the service's credentials."""
    keep = ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    # One simulation per worker process: BLAS threads beyond one only fight each other.
    env.update({"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    return env


class _Process:
    """One simulation worker process and its pipes."""

    def __init__(self) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "pulumi_braket.local.execution.simulation"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=worker_environment(),
            start_new_session=True,
        )

    def wait_ready(self) -> bool:
        assert self.popen.stdout is not None
        line = self.popen.stdout.readline()
        return bool(line) and json.loads(line).get("ready") is True

    def ask(self, work: TaskWork) -> dict[str, Any] | None:
        """The worker's answer, or None if it died (killed by a cancel, or out of memory)."""
        assert self.popen.stdin is not None and self.popen.stdout is not None
        try:
            self.popen.stdin.write(json.dumps(work.request) + "\n")
            self.popen.stdin.flush()
            line = self.popen.stdout.readline()
        except (BrokenPipeError, OSError, ValueError):
            return None
        if not line:
            return None
        answer: dict[str, Any] = json.loads(line)
        return answer

    def kill(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
        self.popen.wait()
        for stream in (self.popen.stdin, self.popen.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


@dataclass
class _Slot:
    """A worker thread's view of its process and the task it is running."""

    process: _Process | None = None
    running: str | None = None
    cancelled: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class TaskRunner:
    """A pool of simulation workers; each slot keeps its process warm between tasks.

    A cancelled task's worker is killed (the only way to stop a simulation midway) and
    replaced before the slot takes its next task.
    """

    def __init__(self, workers: int, started: Started, finished: Finished) -> None:
        self._started = started
        self._finished = finished
        self._queue: collections.deque[TaskWork] = collections.deque()
        self._cond = threading.Condition()
        self._closed = False
        self._slots = [_Slot() for _ in range(max(1, workers))]
        # Every worker process alive, including those still starting: close kills them all.
        self._processes: set[_Process] = set()
        self._processes_lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._serve, args=(slot,), name=f"braket-sim-{n}", daemon=True)
            for n, slot in enumerate(self._slots)
        ]
        for thread in self._threads:
            thread.start()

    @property
    def workers(self) -> int:
        return len(self._slots)

    def submit(self, work: TaskWork) -> None:
        with self._cond:
            self._queue.append(work)
            self._cond.notify()

    def cancel(self, arn: str) -> bool:
        """Stop a task: drop it from the queue, or kill the worker running it.

        True when the task's work is gone (or was never here); the finished callback is then
        not called for it.
        """
        with self._cond:
            for work in list(self._queue):
                if work.arn == arn:
                    self._queue.remove(work)
                    return True
        for slot in self._slots:
            with slot.lock:
                if slot.running == arn:
                    slot.cancelled = True
                    if slot.process is not None:
                        slot.process.kill()
                    return True
        return True

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify_all()
        with self._processes_lock:
            processes = list(self._processes)
        for process in processes:
            process.kill()
        for thread in self._threads:
            thread.join(timeout=5)

    def _take(self) -> TaskWork | None:
        with self._cond:
            while not self._queue and not self._closed:
                self._cond.wait()
            return None if self._closed else self._queue.popleft()

    def _ensure_process(self, slot: _Slot) -> _Process | None:
        with slot.lock:
            if slot.process is not None and slot.process.popen.poll() is None:
                return slot.process
            dead, slot.process = slot.process, None
        if dead is not None:
            with self._processes_lock:
                self._processes.discard(dead)
        process = _Process()
        with self._processes_lock:
            if self._closed:
                process.kill()
                return None
            self._processes.add(process)
        if not process.wait_ready():
            process.kill()
            with self._processes_lock:
                self._processes.discard(process)
            return None
        with slot.lock:
            if self._closed:
                process.kill()
                return None
            slot.process = process
        return process

    def _serve(self, slot: _Slot) -> None:
        # Start warm: the first task should not pay for importing the simulators.
        self._ensure_process(slot)
        while True:
            work = self._take()
            if work is None:
                return
            process = self._ensure_process(slot)
            if process is None:
                if self._closed:
                    return
                self._finish(work.arn, Outcome("FAILED", reason="the simulator did not start"))
                continue
            with slot.lock:
                slot.running, slot.cancelled = work.arn, False
            self._started(work.arn)
            answer = process.ask(work)
            with slot.lock:
                cancelled = slot.cancelled
                slot.running = None
            if cancelled or self._closed:
                continue
            if answer is None:
                code = process.popen.poll()
                process.kill()
                reason = "the simulation process died"
                if code is not None and code < 0:
                    reason += f" (signal {-code}; out of memory?)"
                self._finish(work.arn, Outcome("FAILED", reason=reason))
                continue
            self._finish(
                work.arn,
                Outcome(answer["status"], result=answer.get("result"), reason=answer.get("reason")),
            )

    def _finish(self, arn: str, outcome: Outcome) -> None:
        try:
            self._finished(arn, outcome)
        except Exception:  # a failing callback must not kill the worker thread
            log.exception("recording the end of task %s failed", arn)
