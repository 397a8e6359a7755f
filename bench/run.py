"""`make bench`: pulumi up/preview/refresh/destroy of N Jobs, timed against their floors."""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import io
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import boto3
from botocore import xform_name

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))  # floor.py and overhead.py, when run as a script

import calls  # noqa: E402
import floor  # noqa: E402
import overhead  # noqa: E402

from pulumi_braket.hosts.schema import camel_keys  # noqa: E402
from pulumi_braket.local.process import ServiceProcess as Service  # noqa: E402
from pulumi_braket.local.process import pulumi_bin_dir  # noqa: E402

PHASES = ("up", "preview", "refresh", "destroy")
# Phases that write a checkpoint per resource step, timed again without those checkpoints.
CHECKPOINTED = ("up", "destroy")
LABELS = {
    "up": "(c) up",
    "preview": "(d) preview",
    "refresh": "(d) refresh",
    "destroy": "(d) destroy",
}
REGION = "us-east-1"
# Every Job gets these, and its own job_name: what "the user's own inputs" means in (e).
USER_INPUTS: dict[str, Any] = {
    "role_arn": "arn:aws:iam::123456789012:role/AmazonBraketJobsExecutionRole",
    "device_config": {"device": "arn:aws:braket:::device/quantum-simulator/amazon/sv1"},
    "algorithm_specification": {
        "script_mode_config": {
            "entry_point": "bench.run:main",
            "s3_uri": "s3://amazon-braket-us-east-1-123456789012/jobs/bench/script/source.tar.gz",
            "compression_type": "GZIP",
        }
    },
    "output_data_config": {"s3_path": "s3://amazon-braket-us-east-1-123456789012/jobs/bench/data"},
    "instance_config": {"instance_type": "ml.m5.large", "volume_size_in_gb": 30},
    "hyper_parameters": {"shots": "1000"},
    "tags": {"experiment": "bench"},
}
# What each kind of run deploys: its program under programs/, and its resource type.
KINDS = {
    "trivial": ("trivial", "pulumi-python:dynamic/bench:Nothing"),
    "waits": ("trivial", "pulumi-python:dynamic/bench:Nothing"),
    # (b'): the engine floor's resources declaring every property a Job declares, outputs
    # included: what the engine and the Python SDK cost for a Job's properties, none of ours.
    "shaped": ("trivial", "pulumi-python:dynamic/bench:Nothing"),
    "jobs": ("jobs", "pulumi-python:dynamic/braket:Job"),
    # The same Jobs on the native provider plugin (pulumi-resource-braket).
    "plugin": ("plugin", "braket:index:Job"),
    # (p): the plugin's floor, a native plugin making a Job's two calls and nothing else.
    "calls": ("calls", f"{calls.PACKAGE}:index:Job"),
}
# Kinds served by a native plugin: their programs spell properties as the schema does.
NATIVE = ("plugin", "calls")
# (g): Jobs that run WAIT_SECONDS each (the local service's run marker) and are waited for.
WAIT_MANY, WAIT_SECONDS = 32, 10
WAITING_INPUTS: dict[str, Any] = {
    **USER_INPUTS,
    "wait_for_completion": True,
    "hyper_parameters": {**USER_INPUTS["hyper_parameters"], "braket.local.run_seconds": "10"},
}
# A "waits" resource sleeps as long as a floor thread took per Job for these calls.
WAITS = {"create": "up", "read": "refresh", "delete": "destroy"}
# (k): the thin-host targets are judged on rounds at the largest N. A round takes each of
# these kinds through up without checkpoints, a no-change preview and destroy, in turn, in
# the reverse order every other round, so that a shared machine's drift falls on every kind
# alike; each ratio is taken within a round, and the report gives their median and range.
# Every kind is in a round, and round 1 is also the no-checkpoint rows' pass at that N.
ROUND_PHASES = ("up", "preview", "destroy")


def compact(value: Any) -> int:
    """Bytes of a value as compact JSON: what it holds, not the state file's indentation."""
    return len(json.dumps(value, separators=(",", ":"), sort_keys=True).encode())


@dataclass
class Timing:
    """Wall seconds, and how busy the machine's cores were meanwhile (0 to 1, all processes)."""

    wall: float = 0.0
    busy: float = 0.0
    # CPU seconds of each part of a pulumi run (ROLES), where it was sampled.
    processes: dict[str, float] = field(default_factory=dict)


# What each process of a pulumi run is, by its command line; the pulumi CLI is the engine.
ROLES = (
    ("pulumi-language-python-exec", "program"),
    ("pulumi-resource-braket", "provider"),
    (f"pulumi-resource-{calls.PACKAGE}", "provider"),
    ("-m pulumi.dynamic", "provider"),
)
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds so far) of a process, from /proc; None once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    # The fields after the command: state, ppid, ..., utime (14th), stime (15th).
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def processes() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds so far) of every process (Linux /proc, else none)."""
    found: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            found[int(entry.name)] = stat
    return found


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def cpu_of(pid: int) -> float:
    stat = _stat(pid)
    return stat[1] if stat else 0.0


def machine_cpu() -> tuple[float, float]:
    """Busy and total CPU ticks of the whole machine since boot (Linux /proc/stat, else 0)."""
    try:
        fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


@contextlib.contextmanager
def clocked() -> Iterator[Timing]:
    """Times the block; the Timing is filled in when it ends."""
    timing = Timing()
    busy, total = machine_cpu()
    started = time.perf_counter()
    yield timing
    timing.wall = time.perf_counter() - started
    busy_end, total_end = machine_cpu()
    timing.busy = (busy_end - busy) / (total_end - total) if total_end > total else 0.0


def last_seq(service: Service) -> int:
    return max((call["seq"] for call in service.calls()), default=0)


def calls_since(service: Service, seq: int) -> Counter[str]:
    return Counter(call["operation"] for call in service.calls() if call["seq"] > seq)


@dataclass
class Result:
    """One engine run of one kind at one N: timings and Braket calls per phase, state sizes."""

    timings: dict[str, Timing] = field(default_factory=dict)
    calls: dict[str, Counter[str]] = field(default_factory=dict)
    state: dict[str, float] = field(default_factory=dict)


class Engine:
    """The real pulumi CLI with a file backend in a temp directory; no Automation API layer."""

    def __init__(self, root: Path, pulumi_dir: Path, service: Service) -> None:
        self.root = root
        self.service = service
        venv_bin = Path(sys.prefix) / "bin"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PULUMI_"))},
            # The service's own pair and endpoint, from its banner.
            **service.environment(REGION),
            # The venv's python first: the language host runs the python it finds on PATH.
            "PATH": f"{venv_bin}:{pulumi_dir}:{os.environ['PATH']}",
            # nothing.py must import in the language host and the provider host alike.
            "PYTHONPATH": os.pathsep.join(
                [str(BENCH), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
            "AWS_ENDPOINT_URL": service.endpoint,
            "PULUMI_BACKEND_URL": f"file://{root / 'state'}",
            "PULUMI_CONFIG_PASSPHRASE": "bench",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            # As in tests/engine: no download attempt for the editable install's "braket" plugin.
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_HOME": str(root / "home"),
        }
        (root / "state").mkdir()
        # The plugin, installed as the README says; its config is braket:*, set per stack.
        version = importlib.metadata.version("pulumi-braket")
        plugin = venv_bin / "pulumi-resource-braket"
        self.run(root, "plugin", "install", "resource", "braket", version, "-f", str(plugin))
        # Floor (p), installed the same way: a script that serves calls.py with this Python.
        floor_plugin = root / f"pulumi-resource-{calls.PACKAGE}"
        floor_plugin.write_text(
            f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(BENCH)!r})\n"
            "from calls import main\nmain()\n"
        )
        floor_plugin.chmod(0o755)
        self.run(
            root,
            "plugin",
            "install",
            "resource",
            calls.PACKAGE,
            calls.VERSION,
            "-f",
            str(floor_plugin),
        )

    def project(self, kind: str, name: str) -> Path:
        program = KINDS[kind][0]
        path = self.root / name
        path.mkdir()
        shutil.copy(BENCH / "programs" / program / "__main__.py", path / "__main__.py")
        (path / "Pulumi.yaml").write_text(
            f"name: bench-{program}\n"
            "runtime:\n"
            "  name: python\n"
            "  options:\n"
            "    toolchain: pip\n"
            f"    virtualenv: {sys.prefix}\n"
        )
        return path

    def run(self, cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=cwd,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"pulumi {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def timed(self, cwd: Path, *args: str, env: dict[str, str] | None = None) -> Timing:
        """A pulumi command timed, and the CPU of its processes sampled from /proc meanwhile."""
        service = self.service.process.pid if self.service.process else 0
        service_before = cpu_of(service)
        seen: dict[int, tuple[str, float]] = {}
        with (
            clocked() as timing,
            subprocess.Popen(
                ["pulumi", *args, "--non-interactive"],
                cwd=cwd,
                env={**self.env, **(env or {})},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ) as command,
        ):
            # Read the output on threads, so that the sampling loop below never blocks.
            out: list[str] = []
            readers = [
                threading.Thread(target=lambda s=stream: out.append(s.read()))
                for stream in (command.stdout, command.stderr)
            ]
            for reader in readers:
                reader.start()
            while command.poll() is None:
                everything = processes()
                tree, grown = {command.pid}, True
                while grown:  # the CLI's children, theirs, and so on
                    more = {pid for pid, (parent, _) in everything.items() if parent in tree}
                    grown = not more <= tree
                    tree |= more
                for pid in tree & set(everything):
                    # A process's command line is read once, when it is first seen.
                    line = seen[pid][0] if pid in seen else command_line(pid)
                    seen[pid] = (line, max(everything[pid][1], seen.get(pid, ("", 0.0))[1]))
                time.sleep(0.1)
            for reader in readers:
                reader.join()
        if command.returncode:
            raise RuntimeError(f"pulumi {' '.join(args)} failed:\n{''.join(out)}")
        parts: dict[str, float] = {}
        for pid, (line, cpu) in seen.items():
            role = "engine" if pid == command.pid else "other"
            role = next((name for needle, name in ROLES if needle in line), role)
            parts[role] = parts.get(role, 0.0) + cpu
        parts["local service"] = cpu_of(service) - service_before
        timing.processes = dict(parts)
        return timing


# The engine then writes the state once at the end, not after every resource step.
CHECKPOINTS_OFF = {"PULUMI_SKIP_CHECKPOINTS": "true"}

PULUMI_ARGS = {
    "up": ("up", "--yes", "--skip-preview"),
    # Fails unless the engine sees no change: the "no-change" preview is checked, not assumed.
    "preview": ("preview", "--expect-no-changes"),
    "refresh": ("refresh", "--yes", "--skip-preview"),
    "destroy": ("destroy", "--yes", "--skip-preview"),
}


def engine_run(
    engine: Engine,
    kind: str,
    n: int,
    phases: Sequence[str] = PHASES,
    env: dict[str, str] | None = None,
    inputs: dict[str, Any] | None = None,
    label: str = "",
    extra: Sequence[str] = (),
) -> Result:
    """A fresh stack of N resources taken through ``phases``, each timed and its calls counted."""
    env = env or {}
    name = f"{kind}-n{n}{label}" + (
        "-no-checkpoints" if CHECKPOINTS_OFF.items() <= env.items() else ""
    )
    cwd = engine.project(kind, name)
    engine.run(cwd, "stack", "init", name)
    engine.run(cwd, "config", "set", "aws:region", REGION)
    engine.run(cwd, "config", "set", "braket:region", REGION)
    engine.run(cwd, "config", "set", "count", str(n))
    given = inputs or USER_INPUTS
    # The plugin's program is given its properties as the schema spells them, as a YAML or
    # TypeScript program would write them: it imports nothing of pulumi_braket.
    given = camel_keys(given) if kind in NATIVE else given
    engine.run(cwd, "config", "set", "inputs", json.dumps(given))
    result = Result()
    for phase in phases:
        before = last_seq(engine.service)
        result.timings[phase] = engine.timed(cwd, *PULUMI_ARGS[phase], *extra, env=env)
        result.calls[phase] = calls_since(engine.service, before)
        if phase == "up" and not label:
            result.state = state_sizes(json.loads(engine.run(cwd, "stack", "export")), kind)
    return result


def state_sizes(exported: dict[str, Any], kind: str) -> dict[str, float]:
    """Per resource: the serialized provider, and state bytes beyond the user's own inputs."""
    resources = [r for r in exported["deployment"]["resources"] if r["type"] == KINDS[kind][1]]
    # A native plugin's resources carry no serialized provider.
    provider = resources[0]["outputs"].get("__provider", "")
    extra, entry = [], []
    for item in resources:
        index = item["urn"].rsplit("-", 1)[1]
        own = {**USER_INPUTS, "job_name": f"bench-{index}"}
        stored = compact(item.get("inputs", {})) + compact(item.get("outputs", {}))
        extra.append(stored - compact(own))
        entry.append(compact(item))
    return {
        # A secret is stored as {"4dabf18193072939515e22adb298388d": ..., "ciphertext": ...}.
        "provider_bytes": len(provider) if isinstance(provider, str) else compact(provider),
        "provider_secret": float(not isinstance(provider, str)),
        "extra_bytes": sum(extra) / len(extra),
        "entry_bytes": sum(entry) / len(entry),
    }


def floor_run(braket: Any, n: int) -> dict[str, Timing]:
    """(a): the same calls from plain boto3, one client, 4 threads; jobs named floor-<i>."""
    from pulumi_braket.cores.job import JobCore
    from pulumi_braket.job import JobProvider

    provider = JobProvider()
    # The exact requests the provider sends (defaults filled by check), built untimed.
    requests = []
    with contextlib.redirect_stderr(io.StringIO()):  # check's notes, meant for the engine
        for index in range(n):
            name = f"floor-{index}"
            news = {**USER_INPUTS, "job_name": name, "client_token_scope": f"bench/floor/{name}"}
            checked = provider.check({}, news)
            if checked.failures:
                raise RuntimeError(f"bench inputs fail check: {checked.failures}")
            requests.append(JobCore().request(checked.inputs))

    timings = {"preview": Timing()}  # a no-change preview needs no call at all
    with clocked() as timings["up"]:
        arns = floor.up(braket, requests)
    with clocked() as timings["refresh"]:
        floor.refresh(braket, arns)
    with clocked() as timings["destroy"]:
        floor.destroy(braket, arns)
    return timings


def measure_overhead(iterations: int) -> tuple[dict[str, float], dict[str, float], float]:
    """(f), in a fresh process as a provider host would be."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "overhead.py"), str(iterations), json.dumps(USER_INPUTS)],
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(done.stdout)
    return found["ours"], found["raw"], found["once"]


def kind_env(kind: str, floors: dict[str, Timing], n: int) -> dict[str, str]:
    """What a floor kind's program is told: how long to wait, or what more to declare."""
    from nothing import DECLARE_ENV

    if kind == "waits":
        return waits_env(floors, n)
    if kind == "shaped":
        return {DECLARE_ENV: ",".join(job_properties())}
    return {}


def job_properties() -> list[str]:
    """The properties a Job declares beyond the user's inputs (job.py: request members,
    what get_job computes, our outputs, the carried URN)."""
    from pulumi_braket.cores.job import COMPUTED, INPUTS, RESULT, RESULTS
    from pulumi_braket.declarations import TAGS_ALL, URN

    every = (*INPUTS, *COMPUTED, "arn", TAGS_ALL, RESULTS, RESULT, URN)
    return [name for name in every if name not in USER_INPUTS and name != "job_name"]


def waits_env(floors: dict[str, Timing], n: int) -> dict[str, str]:
    """How long each operation of a "waits" resource sleeps: a floor thread's time per Job."""
    from nothing import WAIT_ENV

    return {
        WAIT_ENV + operation.upper(): f"{1000 * floors[phase].wall * floor.THREADS / n:.1f}"
        for operation, phase in WAITS.items()
    }


@contextlib.contextmanager
def local_service(latency_ms: float) -> Iterator[Service]:
    service = Service(
        latency_ms=str(latency_ms),
        # The N-job rows measure the provider and the engine, not what the jobs run.
        execute="off",
        # Jobs run for the whole bench, and a cancel ends at once: destroy cancels every
        # job, and measures our calls rather than the service's CANCELLING time.
        job_queue_seconds="0",
        job_run_seconds="86400",
        job_cancel_seconds="0",
    )
    try:
        yield service
    finally:
        service.stop()


@dataclass
class Bench:
    """Everything measured in one run."""

    ns: list[int]
    latency_ms: float
    iterations: int
    load_before: float
    floors: dict[int, dict[str, Timing]] = field(default_factory=dict)
    results: dict[tuple[str, int], Result] = field(default_factory=dict)
    unchecked: dict[tuple[str, int], Result] = field(default_factory=dict)
    overhead: tuple[dict[str, float], dict[str, float], float] = ({}, {}, 0.0)
    # (g): up of WAIT_MANY waiting Jobs and of one, per host.
    waits: dict[tuple[str, int], Timing] = field(default_factory=dict)
    # (k): per round, each kind's run through ROUND_PHASES, at the largest N.
    rounds: list[dict[str, Result]] = field(default_factory=list)
    load_after: float = 0.0
    seconds: float = 0.0


def _row(label: str, n: int, floor_: Timing, results: dict[str, Timing], calls: str) -> str:
    a, b, waits, ours = floor_, results["trivial"], results["waits"], results["jobs"]
    plugin, shaped, calls_ = results["plugin"], results["shaped"], results["calls"]
    return (
        f"| {label} | {n} | {a.wall:.2f} s | {b.wall:.2f} s | {shaped.wall:.2f} s "
        f"| {waits.wall:.2f} s | {calls_.wall:.2f} s | {ours.wall:.2f} s | {plugin.wall:.2f} s "
        f"| {ours.wall / b.wall:.2f} | {plugin.wall / b.wall:.2f} "
        f"| {plugin.wall / calls_.wall:.2f} "
        f"| {ours.wall / shaped.wall:.2f} | {ours.wall / waits.wall:.2f} "
        f"| {a.busy:.0%} / {b.busy:.0%} / {waits.busy:.0%} / {ours.busy:.0%} "
        f"/ {plugin.busy:.0%} | {calls} |"
    )


def _calls_per_job(calls: Counter[str], n: int) -> str:
    return ", ".join(f"{op} {count / n:g}" for op, count in sorted(calls.items())) or "none"


def _rows(
    bench: Bench, results: dict[tuple[str, int], Result], phases: Sequence[str], mark: str
) -> list[str]:
    lines = []
    for phase in phases:
        for n in sorted({n for _, n in results}):
            lines.append(
                _row(
                    LABELS[phase] + mark,
                    n,
                    bench.floors[n][phase],
                    {kind: results[kind, n].timings[phase] for kind in KINDS},
                    _calls_per_job(results["jobs", n].calls[phase], n),
                )
            )
    return lines


def report(bench: Bench) -> list[str]:
    cores = os.cpu_count() or 1
    lines = [
        f"{date.today()}, {cores} cores ({platform.machine()}, {platform.system()} "
        f"{platform.release()}), Python {platform.python_version()}; load average "
        f"{bench.load_before:.2f} before, {bench.load_after:.2f} after. {bench.latency_ms:g} ms "
        f"added to every Braket call; `pulumi --parallel` default ({4 * cores}); file backend.",
        "",
        "| phase | N | (a) boto3 floor | (b) engine floor | (b') with a Job's properties "
        "| (b) + waits | (p) calls-only plugin | ours (dynamic) | ours (plugin) | dynamic / (b) "
        "| plugin / (b) | plugin / (p) | dynamic / (b') | dynamic / ((b) + waits) "
        "| CPU busy (a / b / waits / dynamic / plugin) | Braket calls per Job (dynamic) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: | --- |",
    ]
    lines += _rows(bench, bench.results, PHASES, "")
    lines += _rows(bench, bench.unchecked, CHECKPOINTED, ", no checkpoints")
    lines += [
        "",
        "(b'): the engine floor's resources declaring every property a Job declares (its "
        "request members, what get_job reports, our outputs, the carried URN) as outputs: "
        "the engine and the Python SDK's cost of a Job's properties, none of ours. "
        "(b) + waits: the engine floor's resources sleeping, per operation, as long as a floor "
        "thread spent on that Job's calls: the engine with our latency but none of our CPU. "
        "(p): a native plugin (bench/calls.py, Python gRPC and boto3 as ours) that takes its "
        "inputs as they come and makes the same Braket calls per operation as (a), keeping "
        "what get_job answers: the plugin's floor, a Job's calls and state with no check, "
        "default or core. "
        "CPU busy: the share of all cores busy during the phase, any process. "
        "No checkpoints: `PULUMI_SKIP_CHECKPOINTS=true`, the engine writes the state once at "
        "the end instead of after every resource step.",
        "",
    ]
    lines += _rounds(bench)
    lines += _growth(bench)
    lines += _state(bench)
    lines += _overhead(bench)
    lines += _processes(bench)
    lines += _targets(bench)
    return lines


def _growth(bench: Bench) -> list[str]:
    if len(bench.ns) < 2:
        return []
    low, high = bench.ns[-2], bench.ns[-1]

    def ratio(results: dict[tuple[str, int], Result], kind: str, phase: str) -> str:
        if (kind, low) not in results or (kind, high) not in results:
            return "-"
        value = results[kind, high].timings[phase].wall / results[kind, low].timings[phase].wall
        return f"x{value:.2f}"

    def part(results: dict[tuple[str, int], Result], phase: str, mark: str) -> str:
        return (
            f"{phase}{mark} {ratio(results, 'jobs', phase)} (plugin "
            f"{ratio(results, 'plugin', phase)}, engine floor "
            f"{ratio(results, 'trivial', phase)}, + waits {ratio(results, 'waits', phase)})"
        )

    parts = [part(bench.results, phase, "") for phase in PHASES]
    parts += [part(bench.unchecked, phase, " (no checkpoints)") for phase in CHECKPOINTED]
    return [f"Growth N={low} -> {high} (linear: x{high / low:g}): " + ", ".join(parts) + ".", ""]


def _state(bench: Bench) -> list[str]:
    top = bench.ns[-1]
    jobs, trivial = bench.results["jobs", top].state, bench.results["trivial", top].state
    return [
        f"(e) State at N={top}, compact JSON: the serialized provider is "
        f"{jobs['provider_bytes']:.0f} B per Job "
        f"({'a secret' if jobs['provider_secret'] else 'plain text, not encrypted'}; "
        f"engine floor {trivial['provider_bytes']:.0f} B); inputs + outputs beyond the user's "
        f"own inputs {jobs['extra_bytes']:.0f} B per Job (engine floor "
        f"{trivial['extra_bytes']:.0f} B); the whole state entry {jobs['entry_bytes']:.0f} B "
        f"(engine floor {trivial['entry_bytes']:.0f} B).",
        "",
    ]


def _overhead(bench: Bench) -> list[str]:
    ours, raw, first = bench.overhead
    cells = ", ".join(
        f"{op} {ours[op] - raw[op]:+.1f} ms ({ours[op]:.1f} vs {raw[op]:.1f})"
        for op in overhead.OPERATIONS
    )
    return [
        f"(f) Provider overhead per operation beyond its API calls, in-process, median of "
        f"{bench.iterations} (ours vs the same calls from plain boto3): {cells}. Once per "
        f"provider host: {first:.0f} ms (clients, pydantic models, cached lookups).",
        "",
    ]


PARTS = ("program", "engine", "provider", "local service")


def _processes(bench: Bench) -> list[str]:
    """(h): where each run's CPU went, by process, at the largest N."""
    top = bench.ns[-1]
    names = {
        "trivial": "engine floor (b)",
        "shaped": "(b') with a Job's properties",
        "jobs": "dynamic",
        "calls": "(p) calls-only plugin",
        "plugin": "plugin",
    }
    lines = [
        f"(h) CPU seconds by process at N={top}, sampled from /proc every 0.1 s while each ran "
        "(program: the Python SDK running the program; engine: the pulumi CLI; provider: the "
        "dynamic provider host or the plugin; local service: the service answering):",
        "",
        "| phase | run | wall | " + " | ".join(PARTS) + " | all |",
        "| --- | --- | ---: | " + " | ".join("---:" for _ in PARTS) + " | ---: |",
    ]
    for phase in ("preview", "up"):
        for kind, name in names.items():
            timing = bench.results[kind, top].timings[phase]
            cells = " | ".join(f"{timing.processes.get(part, 0.0):.1f} s" for part in PARTS)
            total = sum(timing.processes.values())
            row = f"| {LABELS[phase]} | {name} | {timing.wall:.1f} s | {cells} | {total:.1f} s |"
            lines.append(row)
    return [*lines, ""]


def round_ratio(bench: Bench, kind: str, phase: str, floor_: str) -> str:
    """A kind's wall time over a floor's, taken within each round: median (range)."""
    values = [
        found[kind].timings[phase].wall / found[floor_].timings[phase].wall
        for found in bench.rounds
    ]
    if not values:
        return "-"
    return f"{statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"


# (k)'s table: each column a kind's median wall time, each ratio (kind, floor) per round.
ROUND_COLUMNS = (
    ("(b)", "trivial"),
    ("(b')", "shaped"),
    ("(b) + waits", "waits"),
    ("(p)", "calls"),
    ("dynamic", "jobs"),
    ("plugin", "plugin"),
)
ROUND_RATIOS = (
    ("dynamic / (b)", "jobs", "trivial"),
    ("plugin / (b)", "plugin", "trivial"),
    ("(p) / (b)", "calls", "trivial"),
    ("(b') / (b)", "shaped", "trivial"),
    ("(b) + waits / (b)", "waits", "trivial"),
    ("plugin / (p)", "plugin", "calls"),
    ("dynamic / (b')", "jobs", "shaped"),
    ("dynamic / ((b) + waits)", "jobs", "waits"),
)


def _rounds(bench: Bench) -> list[str]:
    """(k): the target rows, as medians over rounds."""
    if not bench.rounds:
        return []
    top = bench.ns[-1]
    lines = [
        f"(k) The thin-host targets' rows at N={top}, {len(bench.rounds)} rounds (up without "
        "checkpoints, then a no-change preview, each kind in turn, the order reversed every "
        "other round): median wall time of each kind, and each ratio taken within a round, "
        "median (range).",
        "",
        "| row | "
        + " | ".join(label for label, _ in ROUND_COLUMNS)
        + " | "
        + " | ".join(label for label, _, _ in ROUND_RATIOS)
        + " |",
        "| --- |" + " ---: |" * (len(ROUND_COLUMNS) + len(ROUND_RATIOS)),
    ]
    for phase, label in (("preview", "(d) preview"), ("up", "(c) up, no checkpoints")):
        walls = [
            f"{statistics.median(r[kind].timings[phase].wall for r in bench.rounds):.2f} s"
            for _, kind in ROUND_COLUMNS
        ]
        ratios = [round_ratio(bench, kind, phase, floor_) for _, kind, floor_ in ROUND_RATIOS]
        lines.append(f"| {label} | " + " | ".join(walls + ratios) + " |")
    return [*lines, ""]


def _thin_host_targets(bench: Bench) -> list[str]:
    """One resource core behind two thin hosts: both hosts against (b), over (k)'s rounds."""
    top = bench.ns[-1]

    def ratio(kind: str, phase: str, floor_: str = "trivial") -> str:
        return round_ratio(bench, kind, phase, floor_)

    return [
        f"Thin-host targets at N={top}, medians over {len(bench.rounds)} rounds (k): a "
        f"no-change preview within 1.3x of (b): dynamic {ratio('jobs', 'preview')}, plugin "
        f"{ratio('plugin', 'preview')}; up without checkpoints within 1.5x of (b): dynamic "
        f"{ratio('jobs', 'up')}, plugin {ratio('plugin', 'up')}. Floors that do the same work: "
        f"(p), a plugin that only makes a Job's calls, {ratio('calls', 'preview')} (preview) "
        f"and {ratio('calls', 'up')} (up) of (b); (b'), the engine and SDK with a Job's "
        f"properties, {ratio('shaped', 'preview')} (preview); (b) + waits, a dynamic provider "
        "that only waits our calls' latency on the host's 4 threads, "
        f"{ratio('waits', 'up')} (up).",
        "",
    ]


def _targets(bench: Bench) -> list[str]:
    top = bench.ns[-1]
    ours, raw, _ = bench.overhead
    worst = max(ours[op] - raw[op] for op in overhead.OPERATIONS)

    def up_ratio(results: dict[tuple[str, int], Result], kind: str = "jobs") -> str:
        if (kind, top) not in results:
            return "-"
        b = results["trivial", top].timings["up"].wall
        value = results[kind, top].timings["up"].wall / max(bench.floors[top]["up"].wall, b)
        return f"{value:.2f}x"

    preview_calls = sum(sum(bench.results["jobs", n].calls["preview"].values()) for n in bench.ns)
    extra = bench.results["jobs", top].state["extra_bytes"]
    b_up = bench.results["trivial", top].timings["up"].wall
    b_preview = bench.results["trivial", top].timings["preview"].wall
    plugin_up = bench.results["plugin", top].timings["up"].wall
    previews = {
        kind: bench.results[kind, top].timings["preview"].wall / b_preview
        for kind in ("jobs", "plugin")
    }
    waits = bench.waits
    waited = (
        f"{waits['plugin', WAIT_MANY].wall / waits['plugin', 1].wall:.2f}x "
        f"(dynamic: {waits['jobs', WAIT_MANY].wall / waits['jobs', 1].wall:.2f}x)"
        if waits
        else "-"
    )
    plugin_lines = [
        f"Plugin targets at N={top}: up at or below the dynamic engine floor (b): "
        f"{plugin_up:.2f} s vs {b_up:.2f} s ({plugin_up / b_up:.2f}x); no-change preview "
        f"within 1.2x of (b): dynamic {previews['jobs']:.2f}x, plugin {previews['plugin']:.2f}x; "
        f"(g) up of {WAIT_MANY} Jobs that each wait {WAIT_SECONDS} s (--parallel {WAIT_MANY}) "
        "within 2x of one Job's: "
        f"{waited}.",
    ]
    return [
        *_thin_host_targets(bench),
        *plugin_lines,
        f"Targets: provider overhead <= 5 ms per operation: worst {worst:.1f} ms; "
        f"(c) within 1.3x of max(a, b) at N={top}: {up_ratio(bench.results)}, "
        f"{up_ratio(bench.unchecked)} without checkpoints (a provider that only waits: "
        f"{up_ratio(bench.results, 'waits')}, {up_ratio(bench.unchecked, 'waits')}); "
        "no-change preview makes 0 "
        f"Braket calls: {preview_calls}; state per Job beyond the user's inputs < 2 KB: "
        f"{extra:.0f} B.",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[10, 100, 500], help="Job counts")
    parser.add_argument("--latency-ms", type=float, default=20.0, help="added per Braket call")
    parser.add_argument("--iterations", type=int, default=30, help="rounds for (f)")
    parser.add_argument(
        "--no-checkpoint-rows",
        action="store_true",
        help="skip re-timing up and destroy with PULUMI_SKIP_CHECKPOINTS at the two largest N",
    )
    parser.add_argument(
        "--no-waiting-rows",
        action="store_true",
        help=f"skip (g), {WAIT_MANY} Jobs that each wait {WAIT_SECONDS} s, on both hosts",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds of (k), the thin-host targets' rows at the largest N",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp directory")
    args = parser.parse_args(argv)
    # Under nohup SIGHUP is ignored and children inherit that: pulumi then takes about 5 s
    # longer to finish every up and preview (measured). Time the engine as a shell runs it.
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    # Stopped early, still stop the service and remove the temp directory (finally below).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    bench = Bench(sorted(set(args.n)), args.latency_ms, args.iterations, os.getloadavg()[0])
    pulumi_dir = pulumi_bin_dir(REPO)
    root = Path(tempfile.mkdtemp(prefix="pulumi-braket-bench-"))
    started = time.perf_counter()
    try:
        with local_service(args.latency_ms) as service:
            # The floor, (f) and the request building read these, as a provider host would.
            os.environ.update(service.environment(REGION))
            os.environ.pop("AWS_PROFILE", None)
            braket = boto3.client("braket")
            engine = Engine(root, pulumi_dir, service)
            for n in bench.ns:
                bench.floors[n] = floor_run(braket, n)
                _progress(started, "floor", n, bench.floors[n])
                for kind in KINDS:
                    env = kind_env(kind, bench.floors[n], n)
                    bench.results[kind, n] = engine_run(engine, kind, n, PHASES, env)
                    _progress(started, kind, n, bench.results[kind, n].timings)
                for kind in ("jobs", "calls"):
                    _check_calls(kind, bench.results[kind, n], n)
            top = bench.ns[-1]
            for index in range(args.rounds):
                found: dict[str, Result] = {}
                for kind in tuple(KINDS)[:: 1 if index % 2 == 0 else -1]:
                    env = {**kind_env(kind, bench.floors[top], top), **CHECKPOINTS_OFF}
                    label = f"-round{index}"
                    found[kind] = engine_run(engine, kind, top, ROUND_PHASES, env, label=label)
                    _progress(started, f"{kind} round {index + 1}", top, found[kind].timings)
                bench.rounds.append(found)
            if not args.no_checkpoint_rows:
                # At the largest N the first round has already run up and destroy unchecked.
                unchecked_ns = bench.ns[-2:-1] if bench.rounds else bench.ns[-2:]
                if bench.rounds:
                    bench.unchecked.update({(k, top): r for k, r in bench.rounds[0].items()})
                for n in unchecked_ns:
                    for kind in KINDS:
                        env = kind_env(kind, bench.floors[n], n)
                        bench.unchecked[kind, n] = engine_run(
                            engine, kind, n, CHECKPOINTED, {**env, **CHECKPOINTS_OFF}
                        )
                        _progress(started, f"{kind} *", n, bench.unchecked[kind, n].timings)
            for kind in ("plugin", "jobs") if not args.no_waiting_rows else ():
                for count in (1, WAIT_MANY):
                    # --parallel 32: every job is in flight at once, as far as the host lets it.
                    waited = engine_run(
                        engine,
                        kind,
                        count,
                        ("up",),
                        inputs=WAITING_INPUTS,
                        label="-waiting",
                        extra=("--parallel", str(WAIT_MANY)),
                    )
                    bench.waits[kind, count] = waited.timings["up"]
                    _progress(started, f"{kind} waiting", count, waited.timings)
            bench.overhead = measure_overhead(args.iterations)
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    bench.load_after = os.getloadavg()[0]
    bench.seconds = time.perf_counter() - started
    print("\n".join(report(bench)))
    print(f"\n(the bench took {bench.seconds:.0f} s)")
    return 0


def _progress(started: float, kind: str, n: int, timings: dict[str, Timing]) -> None:
    phases = ", ".join(f"{phase} {timing.wall:.1f} s" for phase, timing in timings.items())
    elapsed = time.perf_counter() - started
    print(f"[{elapsed:5.0f} s] {kind} N={n}: {phases}", file=sys.stderr, flush=True)


def _check_calls(kind: str, result: Result, n: int) -> None:
    """The floor makes the calls PHASE_CALLS names; say so if a provider makes others."""
    for phase, expected in floor.PHASE_CALLS.items():
        wanted = Counter({op: n * count for op, count in Counter(expected).items()})
        made = Counter({xform_name(op): count for op, count in result.calls[phase].items()})
        if made != wanted:
            print(
                f"note: {kind} {phase} made {dict(made)}; the floor {dict(wanted)}",
                file=sys.stderr,
            )


if __name__ == "__main__":
    raise SystemExit(main())
