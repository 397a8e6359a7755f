"""Reliability harness: a gating HTTP proxy, killable pulumi runs, service counts, results."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pulumi_braket.local.service.responses import Route, credential_scope, split_target
from pulumi_braket.shapes import service_model
from tests.conftest import Service
from tests.engine.conftest import Project, job_args

REPO = Path(__file__).resolve().parents[2]
PROGRAM = Path(__file__).parent / "program" / "__main__.py"
PLUGIN_PROGRAM = Path(__file__).parent / "plugin_program" / "__main__.py"
# What each host's provider process is called, and its Job's type token.
HOSTS = {
    "dynamic": ("-m pulumi.dynamic", "pulumi-python:dynamic/braket:Job"),
    "plugin": ("pulumi-resource-braket", "braket:index:Job"),
}
# What the tests measured, for scripts/reliability-table.py and the README's table.
RESULTS = REPO / ".reliability" / "results.json"

JOB_TYPE = "pulumi-python:dynamic/braket:Job"
TAGS_TYPE = "pulumi-python:dynamic/braket:ResourceTags"
TERMINAL = frozenset({"COMPLETED", "FAILED", "CANCELLED"})
# Calls that change the service's state; everything else only reads.
MUTATING = frozenset(
    {
        "CreateJob",
        "CreateQuantumTask",
        "CancelJob",
        "CancelQuantumTask",
        "TagResource",
        "UntagResource",
    }
)
# Every pulumi command that runs the program or the provider skips the up-front plugin
# install step: it runs `pip list` (about 2 s) and finds nothing to install here.
FAST_FLAGS = ("--skip-plugin-pre-install",)
COMMAND_TIMEOUT = 180.0


def record(section: str, key: str, value: dict[str, Any]) -> None:
    """Store one measurement under results[section][key] (read, merge, write)."""
    RESULTS.parent.mkdir(exist_ok=True)
    try:
        results: dict[str, Any] = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    results.setdefault(section, {})[key] = value
    results["updated_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    temporary = RESULTS.with_suffix(".tmp")
    temporary.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    temporary.replace(RESULTS)


def job_spec(name: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid Job declaration whose job keeps RUNNING for ten minutes."""
    long_run = {"hyper_parameters": {"braket.local.run_seconds": "600"}}
    return job_args(name or "rel-" + uuid.uuid4().hex[:8], **{**long_run, **overrides})


# -- the proxy -----------------------------------------------------------------------------

BEFORE = "before"  # hold the request before the service sees it
AFTER = "after"  # let the service answer, then hold the answer


@dataclass
class Gate:
    """Holds the n-th request of one operation until released."""

    operation: str
    nth: int
    phase: str
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    deliver: bool = False

    def release(self, deliver: bool = False) -> None:
        """Let the held request go: forwarded/answered if ``deliver``, else dropped."""
        self.deliver = deliver
        self.released.set()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _relay(self) -> None:
        self.server.proxy.relay(self)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _relay


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    proxy: Proxy


class Proxy:
    """A loopback HTTP proxy in front of the local service that can hold one request.

    The provider's real boto3 client talks HTTP to it; it forwards every byte unchanged. A
    gate holds the n-th call of an operation either before the service sees it or after
    the service answered, so a test can kill `pulumi up` at an exact point of a create.
    """

    HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        model = service_model()
        self.routes = [Route.build(model.operation_model(n)) for n in model.operation_names]
        self._lock = threading.Lock()
        self._gate: Gate | None = None
        self._seen: Counter[str] = Counter()
        # (operation, HTTP status or None when the request was held and dropped)
        self.log: list[tuple[str, int | None]] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def arm(self, operation: str, nth: int, phase: str) -> Gate:
        """Hold the ``nth`` call of ``operation`` from now on."""
        with self._lock:
            self._seen.clear()
            self._gate = Gate(operation, nth, phase)
            return self._gate

    def disarm(self) -> None:
        with self._lock:
            gate, self._gate = self._gate, None
        if gate is not None and not gate.released.is_set():
            gate.release()

    def operation(self, method: str, target: str, authorization: str | None) -> str:
        scope = credential_scope(authorization)
        if scope is None or scope[2] != "braket":
            return f"{scope[2] if scope else 'unsigned'}:{method}"
        path, _ = split_target(target)
        for route in self.routes:
            if route.method == method and route.pattern.match(path):
                return str(route.operation.name)
        return "braket:unknown"

    def relay(self, handler: _Handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        operation = self.operation(
            handler.command, handler.path, handler.headers.get("Authorization")
        )
        with self._lock:
            self._seen[operation] += 1
            gate = self._gate
            if gate is not None and (gate.operation, gate.nth) != (
                operation,
                self._seen[operation],
            ):
                gate = None
        if gate is not None and gate.phase == BEFORE:
            gate.reached.set()
            gate.released.wait(COMMAND_TIMEOUT)
            if not gate.deliver:
                self._note(operation, None)
                handler.close_connection = True
                return
        status, headers, payload = self._forward(handler, body)
        self._note(operation, status)
        if gate is not None and gate.phase == AFTER:
            gate.reached.set()
            gate.released.wait(COMMAND_TIMEOUT)
            if not gate.deliver:
                handler.close_connection = True
                return
        with contextlib.suppress(OSError):
            handler.send_response(status)
            for name, value in headers:
                if name.lower() not in self.HOP_BY_HOP | {"date", "server"}:
                    handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)

    def _note(self, operation: str, status: int | None) -> None:
        with self._lock:
            self.log.append((operation, status))

    def _forward(self, handler: _Handler, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(*self.upstream, timeout=COMMAND_TIMEOUT)
        try:
            headers = {
                name: value
                for name, value in handler.headers.items()
                if name.lower() not in self.HOP_BY_HOP
            }
            connection.request(handler.command, handler.path, body=body, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.getheaders(), answer.read()
        finally:
            connection.close()

    def wait_quiet(self, seconds: float = 0.5, timeout: float = 30.0) -> None:
        """Wait until no call has passed for ``seconds`` (what a killed CLI left running)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                before = len(self.log)
            time.sleep(seconds)
            with self._lock:
                if len(self.log) == before:
                    return

    def count(self, operation: str) -> int:
        with self._lock:
            return sum(1 for op, status in self.log if op == operation and status is not None)

    def close(self) -> None:
        self.disarm()
        self._server.shutdown()
        self._server.server_close()


# -- pulumi runs that can be killed -------------------------------------------------------


@dataclass(frozen=True)
class Process:
    pid: int
    ppid: int
    state: str
    cmdline: str


def _session(sid: int) -> list[Process]:
    """Live processes of a session: pulumi, its language host, program and provider host."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        # Fields after the command name, which may hold spaces and parentheses.
        state, ppid, _pgrp, session = stat.rsplit(")", 1)[1].split()[:4]
        if int(session) == sid and state not in ("Z", "X"):
            found.append(Process(int(entry), int(ppid), state, cmdline.decode(errors="replace")))
    return found


def _role(cmdline: str) -> str:
    """What a process of a pulumi run is, from its command line."""
    for needle, role in (
        ("-m pulumi.dynamic", "provider host"),
        ("pulumi-resource-braket", "provider plugin"),
        ("pulumi-resource-pulumi-python", "provider host launcher"),
        ("pulumi-language-python-exec", "program"),
        ("pulumi-language-python", "language host"),
    ):
        if needle in cmdline:
            return role
    return "pulumi"


class Run:
    """One pulumi command in its own session, its output in a file."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str], log: Path) -> None:
        self.args = args
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.started = time.monotonic()

    def processes(self) -> list[Process]:
        return _session(self.process.pid)

    def find(self, needle: str) -> Process | None:
        return next((p for p in self.processes() if needle in p.cmdline), None)

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 60.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            found = predicate()
            if found:
                return found
            if self.process.poll() is not None:
                raise AssertionError(f"{self.args} ended before the kill point:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"kill point not reached in {timeout} s:\n{self.output()}")
            time.sleep(0.01)

    def kill(self, target: str) -> list[str]:
        """SIGKILL ``cli`` (pulumi alone), ``host`` (the provider host) or ``all`` of them."""
        if target == "cli":
            chosen = [p for p in self.processes() if p.pid == self.process.pid]
        elif target == "host":
            hosts = [needle for needle, _ in HOSTS.values()]
            chosen = [p for p in self.processes() if any(h in p.cmdline for h in hosts)]
        else:
            chosen = sorted(self.processes(), key=lambda p: p.pid != self.process.pid)
        assert chosen, f"nothing to kill for {target}"
        for victim in chosen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim.pid, signal.SIGKILL)
        return [_role(victim.cmdline) for victim in chosen]

    def finish(self, timeout: float = COMMAND_TIMEOUT) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            self.reap()

    def reap(self) -> None:
        """SIGKILL what is left of the session (a provider host orphaned by a killed CLI)."""
        for _ in range(50):
            left = self.processes()
            if not left:
                break
            for process in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGKILL)
            time.sleep(0.05)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Stack(Project):
    """An engine-test project whose pulumi commands are run (and killed) directly."""

    def __init__(
        self,
        root: Path,
        pulumi_dir: Path,
        service: Service,
        endpoint: str | None = None,
        host: str = "dynamic",
    ) -> None:
        program = PLUGIN_PROGRAM if host == "plugin" else PROGRAM
        super().__init__(root, pulumi_dir, service, "us-east-1", program, host=host)
        if endpoint:
            self.env["AWS_ENDPOINT_URL"] = endpoint
        self.spawned: list[Run] = []
        self.host_process = HOSTS[host][0]

    def cli(
        self, *args: str, check: bool = True, timeout: float = COMMAND_TIMEOUT
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["pulumi", *args, "--stack", "test", "--non-interactive", "--color", "never"],
            cwd=self.root / "project",
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"pulumi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def apply(self, *flags: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`pulumi up --yes`, waited for."""
        return self.cli("up", "--yes", "--skip-preview", *FAST_FLAGS, *flags, check=check)

    def spawn(self, *args: str) -> Run:
        command = ["pulumi", *args, "--stack", "test", "--non-interactive", "--color", "never"]
        log = self.root / f"run-{len(self.spawned)}.log"
        self.spawned.append(Run(command, self.root / "project", self.env, log))
        return self.spawned[-1]

    def deployment(self) -> dict[str, Any]:
        exported: dict[str, Any] = json.loads(self.cli("stack", "export").stdout)["deployment"]
        return exported

    def ids(self, kind: str | None = None) -> dict[str, str]:
        """Resource name -> id of the resources of one type (the host's Job) in the state."""
        kind = kind or self.job_type
        return {
            resource["urn"].rsplit("::", 1)[1]: resource["id"]
            for resource in self.deployment().get("resources") or []
            if resource["type"] == kind and resource.get("id")
        }

    def recover(self) -> list[str]:
        """The README's recovery after a killed `pulumi up`; returns the steps it needed."""
        steps: list[str] = []
        refresh = (
            "refresh",
            "--yes",
            "--skip-preview",
            "--clear-pending-creates",
            *FAST_FLAGS,
        )
        done = self.cli(*refresh, check=False)
        if done.returncode != 0 and "currently locked" in done.stdout + done.stderr:
            self.cli("cancel", "--yes")
            steps.append("cancel")
            done = self.cli(*refresh, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        steps.append("refresh --clear-pending-creates")
        self.apply()
        steps.append("up")
        return steps


# -- what the service holds ---------------------------------------------------------------


def all_jobs(client: Any) -> list[dict[str, Any]]:
    """Every job of the region as search_jobs summaries (status, name, tags)."""
    jobs: list[dict[str, Any]] = []
    for page in client.get_paginator("search_jobs").paginate(filters=[]):
        jobs.extend(page["jobs"])
    return jobs


@dataclass
class Census:
    """What the service holds against what the state declares."""

    jobs: list[dict[str, Any]]
    active: list[str]
    duplicates: int
    orphans: list[str]


def census(client: Any, state_ids: dict[str, str]) -> Census:
    """Duplicates: jobs with the same name and request; orphans: running jobs not in state."""
    jobs = all_jobs(client)
    requests: Counter[str] = Counter()
    for summary in jobs:
        found = client.get_job(jobArn=summary["jobArn"])
        request = {k: v for k, v in found.items() if k in _REQUEST_MEMBERS}
        requests[json.dumps(request, sort_keys=True, default=str)] += 1
    active = [job["jobArn"] for job in jobs if job["status"] not in TERMINAL]
    owned = set(state_ids.values())
    return Census(
        jobs=jobs,
        active=active,
        duplicates=sum(n - 1 for n in requests.values()),
        orphans=[arn for arn in active if arn not in owned],
    )


_REQUEST_MEMBERS = frozenset(service_model().shape_for("CreateJobRequest").members) - {
    "clientToken",
    "tags",
}


def operations(service: Service) -> Counter[str]:
    """Successful Braket calls by operation, from the service's call log."""
    return Counter(call["operation"] for call in service.calls() if call["status"] < 300)


@contextlib.contextmanager
def timed() -> Iterator[Callable[[], float]]:
    started = time.monotonic()
    yield lambda: round(time.monotonic() - started, 2)
