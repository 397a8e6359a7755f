"""Execution rows of `make bench`: task overhead against LocalSimulator, and job start time.

(g) 50 Bell tasks at 100 shots through the service (create, poll, read results.json) against
    the same circuits on the SDK's LocalSimulator in this process: sequential ratio, then
    throughput with every task submitted at once for 1, 2 and 4 simulation workers.
(h) Job start: from create_job to the entry point's first log line, against a bare
    interpreter started the same way and printing its first line.
(i) The HTTP server under the endpoint, before (werkzeug's development server, which closes
    every connection) and after (cheroot, keep-alive) in the same run: the sequential task
    overhead against LocalSimulator, and get_quantum_task calls a second from 4 client
    processes, each with its own keep-alive connection.
"""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

import boto3

from pulumi_braket.local.process import ServiceProcess

TASKS = 50
SHOTS = 100
BUCKET = "amazon-braket-us-east-1-123456789012"
SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
BELL = "OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncnot q[0], q[1];\nc = measure q;\n"
ACTION = json.dumps(
    {"braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"}, "source": BELL}
)
JOB_ROUNDS = 5
# (i): how long the 4 clients call get_quantum_task, and the servers compared.
HAMMER_SECONDS = 5.0
SERVERS = ("werkzeug", "cheroot")


def _create(braket: Any) -> str:
    arn: str = braket.create_quantum_task(
        clientToken=str(uuid.uuid4()),
        deviceArn=SV1,
        shots=SHOTS,
        outputS3Bucket=BUCKET,
        outputS3KeyPrefix="bench",
        action=ACTION,
    )["quantumTaskArn"]
    return arn


def _task_roundtrip(service: ServiceProcess, braket: Any, s3: Any) -> float:
    started = time.perf_counter()
    arn = _create(braket)
    while (task := braket.get_quantum_task(quantumTaskArn=arn))["status"] != "COMPLETED":
        assert task["status"] not in ("FAILED", "CANCELLED"), task.get("failureReason")
        time.sleep(0.002)
    s3.get_object(Bucket=BUCKET, Key=f"{task['outputS3Directory']}/results.json")["Body"].read()
    return time.perf_counter() - started


def _local_simulator() -> Callable[[], None]:
    from braket.circuits import Circuit
    from braket.devices import LocalSimulator

    device, circuit = LocalSimulator("braket_sv"), Circuit().h(0).cnot(0, 1)
    return lambda: device.run(circuit, shots=SHOTS).result().measurement_counts  # type: ignore[no-any-return]


def task_rows() -> list[str]:
    rows = ["", "(g) quantum tasks: 50 Bell circuits at 100 shots"]
    run = _local_simulator()
    run()  # imports and warms the simulator, as the service's workers are warm
    started = time.perf_counter()
    for _ in range(TASKS):
        run()
    local = time.perf_counter() - started
    for workers in (1, 2, 4):
        service = ServiceProcess(execute="on", task_workers=str(workers))
        try:
            braket, s3 = service.client(), service.client("s3")
            s3.create_bucket(Bucket=BUCKET)
            _task_roundtrip(service, braket, s3)  # workers are warm once one task has run
            if workers == 1:
                times = [_task_roundtrip(service, braket, s3) for _ in range(TASKS)]
                sequential = sum(times)
                rows.append(
                    f"    sequential: service {sequential:.2f} s (median "
                    f"{1000 * statistics.median(times):.1f} ms a task) vs LocalSimulator "
                    f"{local:.2f} s: ratio {sequential / local:.2f} (target <= 1.5)"
                )
            started = time.perf_counter()
            arns = [_create(braket) for _ in range(TASKS)]
            for arn in arns:
                while braket.get_quantum_task(quantumTaskArn=arn)["status"] != "COMPLETED":
                    time.sleep(0.005)
            wall = time.perf_counter() - started
            rows.append(
                f"    all at once, {workers} worker(s): {wall:.2f} s, {TASKS / wall:.1f} tasks/s"
            )
        finally:
            service.stop()
    return rows


def _source() -> bytes:
    buffer = io.BytesIO()
    script = b"print('entry point started', flush=True)\ndef main():\n    pass\n"
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("first.py")
        info.size = len(script)
        archive.addfile(info, io.BytesIO(script))
    return buffer.getvalue()


def _first_line_ms(service: ServiceProcess, arn: str, name: str) -> int | None:
    logs = service.client("logs")
    prefix = f"{name}/{arn.rsplit('/', 1)[1]}/"
    try:
        streams = logs.describe_log_streams(
            logGroupName="/aws/braket/jobs", logStreamNamePrefix=prefix
        )["logStreams"]
    except logs.exceptions.ResourceNotFoundException:
        return None
    for stream in streams:
        events = logs.get_log_events(
            logGroupName="/aws/braket/jobs",
            logStreamName=stream["logStreamName"],
            startFromHead=True,
        )["events"]
        for event in events:
            if event["message"] == "entry point started":
                return int(event["timestamp"])
    return None


def job_rows() -> list[str]:
    service = ServiceProcess(execute="on")
    starts: list[float] = []
    try:
        s3, braket = service.client("s3"), service.client()
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="bench/first.tar.gz", Body=_source())
        for _ in range(JOB_ROUNDS + 1):
            name = "start-" + uuid.uuid4().hex[:8]
            created = time.time()
            arn = braket.create_job(
                clientToken=str(uuid.uuid4()),
                jobName=name,
                roleArn="arn:aws:iam::123456789012:role/AmazonBraketJobsExecutionRole",
                deviceConfig={"device": SV1},
                algorithmSpecification={
                    "scriptModeConfig": {
                        "entryPoint": "first:main",
                        "s3Uri": f"s3://{BUCKET}/bench/first.tar.gz",
                        "compressionType": "GZIP",
                    }
                },
                outputDataConfig={"s3Path": f"s3://{BUCKET}/bench/{name}"},
                instanceConfig={"instanceType": "ml.m5.large", "volumeSizeInGb": 30},
            )["jobArn"]
            while (at := _first_line_ms(service, arn, name)) is None:
                time.sleep(0.02)
            starts.append(at / 1000 - created)
    finally:
        service.stop()
    bare: list[float] = []
    for _ in range(JOB_ROUNDS):
        started = time.time()
        child = subprocess.Popen(
            [sys.executable, "-c", "print('started', flush=True)"], stdout=subprocess.PIPE
        )
        assert child.stdout is not None
        child.stdout.readline()
        bare.append(time.time() - started)
        child.wait()
    job, interpreter = statistics.median(starts[1:]), statistics.median(bare)
    return [
        "",
        "(h) job start: create_job to the entry point's first log line",
        f"    job {job:.2f} s vs bare interpreter {interpreter:.2f} s (medians of {JOB_ROUNDS}): "
        f"{job - interpreter:+.2f} s (target <= +1 s)",
    ]


def _hammer(endpoint: str, key: str, secret: str, arn: str, seconds: float) -> int:
    """get_quantum_task calls one client process makes in ``seconds``, after a warm-up call."""
    braket = boto3.client(
        "braket",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
    )
    braket.get_quantum_task(quantumTaskArn=arn)
    calls, deadline = 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        braket.get_quantum_task(quantumTaskArn=arn)
        calls += 1
    return calls


def server_rows() -> list[str]:
    rows = ["", "(i) the HTTP server: werkzeug's (before) against cheroot's (after), same run"]
    run = _local_simulator()
    run()
    started = time.perf_counter()
    for _ in range(TASKS):
        run()
    local = time.perf_counter() - started
    found: dict[str, tuple[float, float]] = {}
    for server in SERVERS:
        service = ServiceProcess(execute="on", task_workers="1", http_server=server)
        try:
            braket, s3 = service.client(), service.client("s3")
            s3.create_bucket(Bucket=BUCKET)
            _task_roundtrip(service, braket, s3)
            times = [_task_roundtrip(service, braket, s3) for _ in range(TASKS)]
            arn = _create(braket)
            # Separate processes: one client process would measure its own GIL.
            with ProcessPoolExecutor(4, mp_context=get_context("spawn")) as pool:
                clients = 4 * [service.endpoint], 4 * [service.access_key_id]
                secrets = 4 * [service.secret_access_key], 4 * [arn], 4 * [HAMMER_SECONDS]
                counts = list(pool.map(_hammer, *clients, *secrets))
        finally:
            service.stop()
        ratio, rate = sum(times) / local, sum(counts) / HAMMER_SECONDS
        found[server] = ratio, rate
        rows.append(
            f"    {server}: task overhead {ratio:.2f}x LocalSimulator (median "
            f"{1000 * statistics.median(times):.1f} ms a task); get_quantum_task from 4 "
            f"clients: {rate:.0f}/s"
        )
    before, after = found["werkzeug"], found["cheroot"]
    rows.append(
        f"    after/before: overhead {after[0] / before[0]:.2f}, requests a second "
        f"{after[1] / before[1]:.2f} (target overhead <= 1.5x LocalSimulator)"
    )
    return rows


def main() -> int:
    print("\n".join(task_rows() + job_rows() + server_rows()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
