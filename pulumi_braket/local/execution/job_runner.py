"""Runs hybrid jobs from their source as the Braket job container does, without Docker.

The service does what the container does before the customer code starts (download and
unpack the source, fetch the input channels and checkpoints, write the hyperparameters,
install requirements.txt), then starts ``pulumi_braket.local.execution.job_container`` in a child
process of its own process group, and afterwards uploads results and checkpoints. The
``/opt/braket`` and ``/opt/ml`` paths of the container are remapped into a per-job directory.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import threading
import time
import venv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from pulumi_braket.local.front.credentials import Identity, Keyring
from pulumi_braket.local.neighbours import objects
from pulumi_braket.local.service import pricing

log = logging.getLogger(__name__)

LOG_GROUP = "/aws/braket/jobs"
# The container's own instance name: SageMaker-style hosts are algo-1, algo-2, ...
HOST = "algo-1"
# Variables kept from the service's environment because they are about this machine, not
# about anyone: the locale, and OpenBLAS's workaround for processors it misdetects.
MACHINE_VARIABLES = ("LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "TZ")


@dataclass
class JobWork:
    """One job to run: its ARN, region, account and create request (wire names)."""

    arn: str
    region: str
    account: str
    request: dict[str, Any]


@dataclass
class JobOutcome:
    """How a job ended: COMPLETED, FAILED (with reason and last event) or CANCELLED."""

    status: str
    reason: str | None = None
    last_event: str = "COMPLETED"


@dataclass
class JobSettings:
    """What the runner needs of the service settings, read at each job's start."""

    slots: int
    cancel_grace_seconds: float
    install_requirements: bool


Started = Callable[[str, float], None]
Finished = Callable[[str, JobOutcome, float], None]


@dataclass
class _Run:
    work: JobWork
    cancel: threading.Event = field(default_factory=threading.Event)
    process: subprocess.Popen[bytes] | None = None
    thread: threading.Thread | None = None


class SetupError(Exception):
    """Setup failed before the entry point ran; the message is the container's wording."""


class JobRunner:
    """One thread per job; at most ``slots`` jobs run at once, the rest stay QUEUED."""

    def __init__(
        self,
        data_dir: Path,
        endpoint: Callable[[], str],
        settings: Callable[[], JobSettings],
        started: Started,
        finished: Finished,
        sessions: Keyring,
    ) -> None:
        self.data_dir = data_dir
        self._sessions = sessions
        self._endpoint = endpoint
        self._settings = settings
        self._started = started
        self._finished = finished
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()
        self._slot_free = threading.Condition(self._lock)
        self._running = 0
        self._closed = False

    # -- control ----------------------------------------------------------------------------

    def submit(self, work: JobWork) -> None:
        run = _Run(work)
        run.thread = threading.Thread(
            target=self._run, args=(run,), name=f"braket-job-{work.arn[-8:]}", daemon=True
        )
        with self._lock:
            self._runs[work.arn] = run
        run.thread.start()

    def cancel(self, arn: str) -> None:
        """Ask a job to stop; the finished callback reports CANCELLED once its process is gone."""
        with self._lock:
            run = self._runs.get(arn)
            if run is not None:
                run.cancel.set()
                self._slot_free.notify_all()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            runs = list(self._runs.values())
            self._slot_free.notify_all()
        for run in runs:
            run.cancel.set()
            if run.process is not None:
                _kill_group(run.process, signal.SIGKILL)
        for run in runs:
            if run.thread is not None:
                run.thread.join(timeout=10)

    # -- one job ----------------------------------------------------------------------------

    def _acquire(self, run: _Run) -> bool:
        with self._lock:
            while not self._closed and not run.cancel.is_set():
                if self._running < max(1, self._settings().slots):
                    self._running += 1
                    return True
                self._slot_free.wait(timeout=1.0)
            return False

    def _release(self) -> None:
        with self._lock:
            self._running -= 1
            self._slot_free.notify_all()

    def _run(self, run: _Run) -> None:
        arn = run.work.arn
        try:
            if not self._acquire(run):
                if not self._closed:
                    self._finished(arn, JobOutcome("CANCELLED"), time.time())
                return
            try:
                outcome = self._execute(run)
            finally:
                self._release()
            if not self._closed:
                self._finished(arn, outcome, time.time())
        except Exception as error:  # report, never leave a job RUNNING forever
            log.exception("job %s failed in the local runner", arn)
            if not self._closed:
                reason = f"InternalServiceError: the local job runner failed: {error}"
                self._finished(arn, JobOutcome("FAILED", reason, "FAILED"), time.time())
        finally:
            with self._lock:
                self._runs.pop(arn, None)

    def _execute(self, run: _Run) -> JobOutcome:
        work = run.work
        settings = self._settings()
        job = JobDirectory(self.data_dir / "jobs" / work.arn.rsplit("/", 1)[-1])
        job.create()
        started = time.time()
        logs = JobLog(work, started)
        try:
            # The job image's launcher logs how it starts the container script, which then logs
            # its own lines; here the script is this module's setup and job_container.
            logs.line("Invoking script with the following command:")
            logs.line(f"{Path(sys.executable).name} -m pulumi_braket.local.execution.job_container")
            logs.line(f"Boto3 Version:  {boto3.__version__}")
            logs.line("Beginning Setup")
            entry_point = self._setup(work, job, logs, settings)
            python = self._python(job, logs, settings)
        except SetupError as error:
            logs.line(str(error))
            logs.flush()
            self._started(work.arn, started)
            return JobOutcome("FAILED", f"AlgorithmError: {error}, exit code: 0", "FAILED")
        if run.cancel.is_set():
            logs.flush()
            return JobOutcome("CANCELLED")
        self._started(work.arn, time.time())
        limit = (work.request.get("stoppingCondition") or {}).get("maxRuntimeInSeconds")
        deadline = started + float(limit) if limit else None
        # The job's own session, as the container's role session: it ends with the job.
        session = self._sessions.issue_job_session(work.arn)
        try:
            run.process = subprocess.Popen(
                [
                    python,
                    "-m",
                    "pulumi_braket.local.execution.job_container",
                    entry_point,
                    str(job.failure_file),
                ],
                cwd=job.extracted,
                env=self.environment(work, job, session),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            reader = threading.Thread(target=logs.follow, args=(run.process,), daemon=True)
            reader.start()
            exceeded = self._wait(run, deadline, settings.cancel_grace_seconds)
        finally:
            self._sessions.end_job_session(work.arn)
        reader.join(timeout=10)
        code = run.process.returncode
        if run.cancel.is_set():
            outcome = JobOutcome("CANCELLED")
        elif exceeded:
            outcome = JobOutcome(
                "FAILED",
                f"Job exceeded its maximum runtime of {limit} seconds and was stopped",
                "MAX_RUNTIME_EXCEEDED",
            )
        elif code != 0:
            failure = job.failure_text()
            detail = failure or (f"killed by signal {-code}" if code < 0 else "no failure reason")
            reason = f"AlgorithmError: {detail}, exit code: {code}"
            outcome = JobOutcome("FAILED", reason, "FAILED")
        else:
            outcome = JobOutcome("COMPLETED")
        self._upload_outputs(work, job, logs, results=outcome.status != "FAILED")
        logs.flush()
        return outcome

    def _wait(self, run: _Run, deadline: float | None, grace: float) -> bool:
        """Wait for the process; stop it on cancel or at the deadline. True if it ran too long."""
        assert run.process is not None
        exceeded = False
        while run.process.poll() is None:
            if run.cancel.wait(timeout=0.05):
                break
            if deadline is not None and time.time() >= deadline:
                exceeded = True
                break
        if run.process.poll() is None:
            # As a container stop does: TERM to every process of the job, KILL after a grace.
            _kill_group(run.process, signal.SIGTERM)
            try:
                run.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _kill_group(run.process, signal.SIGKILL)
                run.process.wait()
        _kill_group(run.process, signal.SIGKILL)  # children it left behind
        return exceeded

    # -- setup ------------------------------------------------------------------------------

    def _setup(self, work: JobWork, job: JobDirectory, logs: JobLog, settings: JobSettings) -> str:
        request = work.request
        script = request["algorithmSpecification"].get("scriptModeConfig")
        if not script:
            raise SetupError("No customer script specified (the local service runs script mode)")
        uri = script["s3Uri"]
        try:
            bucket, key = objects.parse_s3_uri(uri)
            body = objects.get_object(work.account, bucket, key)
        except objects.ObjectError as error:
            raise SetupError(f"Unable to download code.\nException: {error}") from None
        original = job.original / (os.path.basename(key) or "source")
        original.write_bytes(body)
        compression = (script.get("compressionType") or "NONE").strip().lower()
        try:
            if compression == "gzip":
                with tarfile.open(original, "r:gz") as archive:
                    archive.extractall(job.extracted, filter="data")
            elif compression == "zip":
                shutil.unpack_archive(original, job.extracted, "zip")
            else:
                shutil.copy(original, job.extracted)
        except (OSError, tarfile.TarError, shutil.ReadError, ValueError) as error:
            raise SetupError(
                f"Got an exception while trying to unpack archive: {original.name} of type: "
                f"{compression}.\nException: {error}"
            ) from None
        for channel in request.get("inputDataConfig") or []:
            source = channel["dataSource"]["s3DataSource"]["s3Uri"]
            self._download(work, source, job.input_data / channel["channelName"])
        checkpoint = request.get("checkpointConfig") or {}
        if checkpoint.get("s3Uri"):
            self._download(work, checkpoint["s3Uri"], job.checkpoints, missing_ok=True)
        job.hyperparameters_file.write_text(json.dumps(request.get("hyperParameters") or {}))
        return str(script["entryPoint"])

    def _download(self, work: JobWork, uri: str, target: Path, missing_ok: bool = False) -> None:
        try:
            bucket, prefix = objects.parse_s3_uri(uri)
            keys = objects.list_keys(work.account, bucket, prefix)
        except objects.ObjectError as error:
            if missing_ok:
                return
            raise SetupError(f"Unable to download input data {uri}.\nException: {error}") from None
        if not keys and not missing_ok:
            raise SetupError(f"Unable to download input data {uri}: no objects under it")
        target.mkdir(parents=True, exist_ok=True)
        for key in keys:
            if key.endswith("/"):
                continue
            # A URI naming one object gives that file; a prefix gives the tree beneath it.
            relative = os.path.basename(key) if key == prefix else key[len(prefix) :].lstrip("/")
            path = (target / relative).resolve()
            if not path.is_relative_to(target.resolve()):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(objects.get_object(work.account, bucket, key))

    def _python(self, job: JobDirectory, logs: JobLog, settings: JobSettings) -> str:
        """The interpreter the job runs on: the service's, or a venv layered on it."""
        logs.line("Checking for Additional Requirements")
        found = sorted(job.extracted.rglob("requirements.txt"))
        python = sys.executable
        if found and not settings.install_requirements:
            logs.line("requirements.txt found; not installed (install_requirements is off)")
        elif found:
            python = self._overlay(found, logs)
        logs.line("Additional Requirements Check Finished")
        return python

    def _overlay(self, requirements: list[Path], logs: JobLog) -> str:
        """A venv on top of the service's packages with the requirements, cached by their hash."""
        digest = hashlib.sha256()
        for path in requirements:
            digest.update(path.read_bytes())
        home = self.data_dir / "venvs" / digest.hexdigest()[:16]
        python = home / "bin" / "python"
        ready = home / ".ready"
        with _venv_lock(home):
            if ready.exists():
                logs.line(f"Requirements already installed in {home.name} (cached)")
                return str(python)
            if home.exists():
                shutil.rmtree(home)
            venv.EnvBuilder(with_pip=False, symlinks=True).create(home)
            site = Path(
                sysconfig.get_path("purelib", vars={"base": str(home), "platbase": str(home)})
            )
            # addsitedir also reads the service's own .pth files (editable installs).
            service_site = sysconfig.get_path("purelib")
            (site / "_pulumi_braket_service.pth").write_text(
                f"import site; site.addsitedir({service_site!r})\n"
            )
            for path in requirements:
                command = [
                    sys.executable,
                    "-m",
                    "pip",
                    "--python",
                    str(python),
                    "install",
                    "--disable-pip-version-check",
                    "-r",
                    str(path),
                ]
                done = subprocess.run(
                    command,
                    cwd=path.parent,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    env=_pip_environment(),
                    check=False,
                )
                for line in done.stdout.decode(errors="replace").splitlines():
                    logs.line(line)
                if done.returncode != 0:
                    raise SetupError(
                        f"Unable to install requirements from {path.name} "
                        f"(pip exit code {done.returncode})"
                    )
            ready.touch()
        return str(python)

    # -- the contract -----------------------------------------------------------------------

    def environment(self, work: JobWork, job: JobDirectory, session: Identity) -> dict[str, str]:
        """Exactly the job contract's variables, this endpoint, the job's session, the region."""
        request = work.request
        name = request["jobName"]
        script = request["algorithmSpecification"]["scriptModeConfig"]
        output = request["outputDataConfig"]["s3Path"]
        bucket, _ = objects.parse_s3_uri(output)
        env = {
            "AMZN_BRAKET_JOB_NAME": name,
            "AMZN_BRAKET_DEVICE_ARN": request["deviceConfig"]["device"],
            "AMZN_BRAKET_JOB_TOKEN": work.arn,
            "AMZN_BRAKET_SCRIPT_S3_URI": script["s3Uri"],
            "AMZN_BRAKET_SCRIPT_ENTRY_POINT": script["entryPoint"],
            "AMZN_BRAKET_SCRIPT_COMPRESSION_TYPE": script.get("compressionType") or "NONE",
            "AMZN_BRAKET_JOB_RESULTS_DIR": str(job.results),
            "AMZN_BRAKET_CHECKPOINT_DIR": str(job.checkpoints),
            "AMZN_BRAKET_HP_FILE": str(job.hyperparameters_file),
            "AMZN_BRAKET_INPUT_DIR": str(job.input_data),
            "AMZN_BRAKET_OUT_S3_BUCKET": bucket,
            "AMZN_BRAKET_JOB_RESULTS_S3_PATH": f"{output.rstrip('/')}/output",
            # Tasks of a job keep their results beside it, as on AWS.
            "AMZN_BRAKET_TASK_RESULTS_S3_URI": f"s3://{bucket}/jobs/{name}/tasks",
            "AWS_ENDPOINT_URL": self._endpoint(),
            "AWS_ACCESS_KEY_ID": session.access_key_id,
            "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
            "AWS_SESSION_TOKEN": session.token or "",
            # The container reaches AWS's public price list; a local job reaches the service's.
            "BRAKET_PRICE_OFFERS_URL": pricing.offers_url(self._endpoint()),
            "AWS_REGION": work.region,
            "AWS_DEFAULT_REGION": work.region,
            "HOME": str(job.home),
            "PATH": os.pathsep.join([os.path.dirname(sys.executable), "/usr/bin", "/bin"]),
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        for association in request.get("associations") or []:
            if association.get("type") == "RESERVATION_TIME_WINDOW_ARN":
                env["AMZN_BRAKET_RESERVATION_DEVICE_ARN"] = request["deviceConfig"]["device"]
                env["AMZN_BRAKET_RESERVATION_TIME_WINDOW_ARN"] = association["arn"]
        env.update({key: os.environ[key] for key in MACHINE_VARIABLES if key in os.environ})
        return env

    # -- outputs ----------------------------------------------------------------------------

    def _upload_outputs(
        self, work: JobWork, job: JobDirectory, logs: JobLog, *, results: bool
    ) -> None:
        """Checkpoints always (the container syncs them as they are written); the results
        archive unless the job failed."""
        request = work.request
        output = request["outputDataConfig"]["s3Path"].rstrip("/")
        # Braket's own integration test of a failed job (amazon-braket-sdk-python,
        # test/integ_tests/test_create_quantum_job.py::test_failed_quantum_job) finds only
        # the source archive under the job's prefix: a failed job has no model.tar.gz, and
        # AwsQuantumJob.result() answers {}. The guide copies outputs "when the hybrid job
        # completes".
        if results:
            try:
                bucket, prefix = objects.parse_s3_uri(f"{output}/output/model.tar.gz")
                objects.put_object(work.account, bucket, prefix, job.results_archive())
            except objects.ObjectError as error:
                logs.line(f"Unable to upload results to {output}/output/model.tar.gz: {error}")
        checkpoint = (request.get("checkpointConfig") or {}).get("s3Uri")
        if checkpoint:
            bucket, prefix = objects.parse_s3_uri(checkpoint.rstrip("/"))
            for path in sorted(job.checkpoints.rglob("*")):
                if path.is_file():
                    key = f"{prefix}/{path.relative_to(job.checkpoints).as_posix()}"
                    try:
                        objects.put_object(work.account, bucket, key.lstrip("/"), path.read_bytes())
                    except objects.ObjectError as error:
                        logs.line(f"Unable to upload checkpoint {path.name}: {error}")
                        break


class JobDirectory:
    """The container's /opt/braket and /opt/ml paths, remapped under one directory per job."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.original = root / "code" / "customer_code" / "original"
        self.extracted = root / "code" / "customer_code" / "extracted"
        self.input_data = root / "input" / "data"
        self.hyperparameters_file = root / "input" / "config" / "hyperparameters.json"
        self.results = root / "model"
        self.checkpoints = root / "checkpoints"
        self.failure_file = root / "output" / "failure"
        self.home = root / "home"

    def create(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        for path in (
            self.original,
            self.extracted,
            self.input_data,
            self.hyperparameters_file.parent,
            self.results,
            self.checkpoints,
            self.failure_file.parent,
            self.home,
        ):
            path.mkdir(parents=True, exist_ok=True)

    def failure_text(self) -> str:
        try:
            return self.failure_file.read_text(errors="replace").strip()
        except OSError:
            return ""

    def results_archive(self) -> bytes:
        """model.tar.gz: the results directory's files at the archive's root."""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            for path in sorted(self.results.rglob("*")):
                archive.add(
                    path, arcname=path.relative_to(self.results).as_posix(), recursive=False
                )
        return buffer.getvalue()


class JobLog:
    """The job's CloudWatch Logs stream: {jobName}/{job id}/algo-1-{epoch}, as Braket names it."""

    def __init__(self, work: JobWork, started: float) -> None:
        self.work = work
        name = work.request["jobName"]
        self.stream = f"{name}/{work.arn.rsplit('/', 1)[-1]}/{HOST}-{int(started)}"
        self._pending: list[tuple[int, str]] = []
        self._lock = threading.Lock()
        self._last = 0

    def line(self, message: str) -> None:
        with self._lock:
            # CloudWatch wants events in order: equal times are fine, earlier ones are not.
            at = max(int(time.time() * 1000), self._last)
            self._last = at
            self._pending.append((at, message))
            if len(self._pending) >= 100:
                self._flush_locked()

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        events, self._pending = self._pending, []
        try:
            objects.put_log_lines(
                self.work.account, self.work.region, LOG_GROUP, self.stream, events
            )
        except Exception:
            log.exception("writing the log of %s failed", self.work.arn)

    def follow(self, process: subprocess.Popen[bytes]) -> None:
        """Copy the process's output into the stream line by line, flushed every 0.25 s."""
        assert process.stdout is not None
        done = threading.Event()

        def flusher() -> None:
            while not done.wait(0.25):
                self.flush()

        thread = threading.Thread(target=flusher, daemon=True)
        thread.start()
        try:
            for raw in iter(process.stdout.readline, b""):
                self.line(raw.decode(errors="replace").rstrip("\n"))
        finally:
            done.set()
            thread.join()
            self.flush()


def _kill_group(process: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _pip_environment() -> dict[str, str]:
    # pip needs the network settings and a home for its cache, not the service's credentials.
    keep = ("PATH", "HOME", "LANG", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CERT", "TMPDIR")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update({k: v for k, v in os.environ.items() if k.lower() in ("http_proxy", "https_proxy")})
    return env


_venv_locks: dict[Path, threading.Lock] = {}
_venv_locks_guard = threading.Lock()


def _venv_lock(home: Path) -> threading.Lock:
    with _venv_locks_guard:
        return _venv_locks.setdefault(home, threading.Lock())
