"""Hybrid jobs run from their source as the job container runs them, through the Braket SDK."""

from __future__ import annotations

import contextlib
import io
import json
import tarfile
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pulumi_braket.local.front.credentials import JOB_KEY_PREFIX
from tests.conftest import Service, ensure_jobs_role

SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
BUCKET = "amazon-braket-us-east-1-123456789012"
ROLE = "arn:aws:iam::123456789012:role/service-role/AmazonBraketJobsExecutionRole"
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED"}

BELL_JOB = """
import os
from braket.aws import AwsDevice
from braket.circuits import Circuit
from braket.jobs import save_job_result
from braket.jobs.metrics import log_metric


def main(shots: int, tag):
    device = AwsDevice(os.environ["AMZN_BRAKET_DEVICE_ARN"])
    counts = device.run(Circuit().h(0).cnot(0, 1), shots=shots).result().measurement_counts
    for step in range(3):
        log_metric(metric_name="energy", value=float(tag) + step, iteration_number=step)
    print("measured", dict(counts))
    save_job_result({"counts": dict(counts), "shots_type": type(shots).__name__})
"""


def pack(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in sorted(files.items()):
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def start_job(
    service: Service,
    files: dict[str, str | bytes],
    entry_point: str,
    hyper: dict[str, str] | None = None,
    **extra: Any,
) -> str:
    """create_job through boto3 with the files packed as its source."""
    name = "job-" + uuid.uuid4().hex[:8]
    key = f"jobs/{name}/script/source.tar.gz"
    service.client("s3").put_object(Bucket=BUCKET, Key=key, Body=pack(files))
    arn: str = service.client().create_job(
        clientToken=str(uuid.uuid4()),
        jobName=name,
        roleArn=ROLE,
        deviceConfig={"device": SV1},
        algorithmSpecification={
            "scriptModeConfig": {
                "entryPoint": entry_point,
                "s3Uri": f"s3://{BUCKET}/{key}",
                "compressionType": "GZIP",
            }
        },
        outputDataConfig={"s3Path": f"s3://{BUCKET}/jobs/{name}/data"},
        checkpointConfig={"s3Uri": f"s3://{BUCKET}/jobs/{name}/checkpoints"},
        instanceConfig={"instanceType": "ml.m5.large", "volumeSizeInGb": 30},
        hyperParameters=hyper or {},
        **extra,
    )["jobArn"]
    return arn


def wait(service: Service, arn: str, timeout: float = 120) -> dict[str, Any]:
    braket = service.client()
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = braket.get_job(jobArn=arn)
        if job["status"] in TERMINAL or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def log_lines(service: Service, arn: str) -> list[str]:
    logs = service.client("logs")
    job = service.client().get_job(jobArn=arn)
    prefix = f"{job['jobName']}/{arn.rsplit('/', 1)[1]}/"
    streams = logs.describe_log_streams(
        logGroupName="/aws/braket/jobs", logStreamNamePrefix=prefix
    )["logStreams"]
    assert len(streams) == 1
    assert streams[0]["logStreamName"].startswith(prefix + "algo-1-")
    events = logs.get_log_events(
        logGroupName="/aws/braket/jobs",
        logStreamName=streams[0]["logStreamName"],
        startFromHead=True,
    )["events"]
    return [event["message"] for event in events]


def test_run_job_result_logs_and_metrics_through_the_sdk(sdk: Service) -> None:
    from braket.aws import AwsQuantumJob

    files = {"algo/__init__.py": "", "algo/run.py": BELL_JOB}
    first = start_job(sdk, files, "algo.run:main", {"shots": "200", "tag": "10"})
    second = start_job(sdk, files, "algo.run:main", {"shots": "100", "tag": "20"})
    job = AwsQuantumJob(first)
    assert wait(sdk, first)["status"] == "COMPLETED"
    assert wait(sdk, second)["status"] == "COMPLETED"
    result = job.result()
    assert set(result["counts"]) <= {"00", "11"}
    assert sum(result["counts"].values()) == 200
    # Bound by annotation, as the container does: shots: int, tag (no annotation): str.
    assert result["shots_type"] == "int"
    # Only this job's metrics, though both jobs wrote to the same log group.
    assert sorted(job.metrics()["energy"]) == [10.0, 11.0, 12.0]
    assert sorted(AwsQuantumJob(second).metrics()["energy"]) == [20.0, 21.0, 22.0]
    lines = log_lines(sdk, first)
    markers = [
        "Invoking script with the following command:",
        "Beginning Setup",
        "Checking for Additional Requirements",
        "Additional Requirements Check Finished",
        "Running Code As Process",
        "Code Run Finished",
    ]
    assert [line for line in lines if line in markers] == markers
    assert any(line.startswith("measured {") for line in lines)
    details = sdk.client().get_job(jobArn=first)
    started, ended = details["startedAt"].timestamp(), details["endedAt"].timestamp()
    assert details["billableDuration"] == pytest.approx((ended - started) * 1000, abs=2)
    assert [event["eventType"] for event in details["events"]][-1] == "COMPLETED"


def test_run_job_tasks_carry_its_token_and_keep_results_beside_it(sdk: Service) -> None:
    files = {"algo/__init__.py": "", "algo/run.py": BELL_JOB}
    arn = start_job(sdk, files, "algo.run:main", {"shots": "10", "tag": "0"})
    job = wait(sdk, arn)
    assert job["status"] == "COMPLETED", job.get("failureReason")
    tasks = sdk.client().search_quantum_tasks(
        filters=[{"name": "jobArn", "operator": "EQUAL", "values": [arn]}]
    )["quantumTasks"]
    assert len(tasks) == 1
    assert tasks[0]["outputS3Bucket"] == BUCKET
    assert tasks[0]["outputS3Directory"].startswith(f"jobs/{job['jobName']}/tasks/")


TRACKED_JOB = """
from braket.aws import AwsDevice
from braket.circuits import Circuit
from braket.jobs import save_job_result
from braket.tracking import Tracker


def main():
    with Tracker() as tracker:
        forte = AwsDevice("arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1")
        forte.run(Circuit().h(0).cnot(0, 1), shots=100).result()
    save_job_result({"qpu_cost": str(tracker.qpu_tasks_cost())})
"""


def test_run_job_tracker_prices_its_tasks_from_the_service(sdk: Service) -> None:
    # Braket's own examples end a job this way; the job reaches the service's price list as
    # the container reaches AWS's.
    arn = start_job(sdk, {"tracked.py": TRACKED_JOB}, "tracked:main")
    job = wait(sdk, arn)
    assert job["status"] == "COMPLETED", job.get("failureReason")
    from braket.aws import AwsQuantumJob

    # Forte 1: 0.30 USD a task and 0.08 USD a shot, as the service's spending limits price it.
    assert AwsQuantumJob(arn).result() == {"qpu_cost": "8.30"}


def test_run_failing_job_reports_the_exception(sdk: Service) -> None:
    from braket.aws import AwsQuantumJob

    files = {"fail.py": "def main():\n    raise ValueError('angle out of range')\n"}
    arn = start_job(sdk, files, "fail:main")
    job = wait(sdk, arn)
    assert job["status"] == "FAILED"
    assert job["failureReason"] == "AlgorithmError: ValueError: angle out of range, exit code: 1"
    assert AwsQuantumJob(arn).state() == "FAILED"
    lines = log_lines(sdk, arn)
    assert "Traceback (most recent call last):" in lines
    assert lines[-1] == "ValueError: angle out of range"


def test_run_failing_job_uploads_checkpoints_but_no_results(sdk: Service) -> None:
    from braket.aws import AwsQuantumJob

    script = (
        "from braket.jobs import save_job_checkpoint, save_job_result\n"
        "def main():\n"
        "    save_job_checkpoint({'step': 3}, checkpoint_file_suffix='s3')\n"
        "    save_job_result({'partial': 1})\n"
        "    raise RuntimeError('diverged')\n"
    )
    arn = start_job(sdk, {"fail.py": script}, "fail:main")
    job = wait(sdk, arn)
    assert job["failureReason"] == "AlgorithmError: RuntimeError: diverged, exit code: 1"
    name = job["jobName"]
    listed = sdk.client("s3").list_objects_v2(Bucket=BUCKET, Prefix=f"jobs/{name}/")
    # As Braket's own integration test of a failed job finds: the source, and no
    # model.tar.gz; the checkpoint was synced while the job ran.
    assert sorted(item["Key"] for item in listed["Contents"]) == [
        f"jobs/{name}/checkpoints/{name}_s3.json",
        f"jobs/{name}/script/source.tar.gz",
    ]
    assert AwsQuantumJob(arn).result() == {}


def test_run_module_without_function_runs_as_main(sdk: Service) -> None:
    script = (
        "from braket.jobs import save_job_result\n"
        "if __name__ == '__main__':\n"
        "    save_job_result({'ran_as': __name__})\n"
    )
    arn = start_job(sdk, {"script.py": script}, "script")
    assert wait(sdk, arn)["status"] == "COMPLETED"
    from braket.aws import AwsQuantumJob

    assert AwsQuantumJob(arn).result() == {"ran_as": "__main__"}


def test_run_job_input_channels_hyperparameters_and_checkpoints(sdk: Service) -> None:
    s3 = sdk.client("s3")
    s3.put_object(Bucket=BUCKET, Key="inputs/train/a.csv", Body=b"1,2\n")
    s3.put_object(Bucket=BUCKET, Key="inputs/train/nested/b.csv", Body=b"3,4\n")
    script = (
        "import os, json\n"
        "from braket.jobs import save_job_checkpoint, save_job_result\n"
        "from braket.jobs import get_input_data_dir, get_hyperparameters\n"
        "def main():\n"
        "    root = get_input_data_dir('train')\n"
        "    files = sorted(os.path.relpath(os.path.join(d, f), root)\n"
        "                   for d, _, fs in os.walk(root) for f in fs)\n"
        "    save_job_checkpoint({'step': 7}, checkpoint_file_suffix='s7')\n"
        "    save_job_result({'files': files, 'hp': get_hyperparameters()})\n"
    )
    arn = start_job(
        sdk,
        {"job.py": script},
        "job:main",
        {"depth": "3"},
        inputDataConfig=[
            {
                "channelName": "train",
                "dataSource": {"s3DataSource": {"s3Uri": f"s3://{BUCKET}/inputs/train/"}},
            }
        ],
    )
    job = wait(sdk, arn)
    assert job["status"] == "COMPLETED", job.get("failureReason")
    from braket.aws import AwsQuantumJob

    assert AwsQuantumJob(arn).result() == {"files": ["a.csv", "nested/b.csv"], "hp": {"depth": "3"}}
    key = f"jobs/{job['jobName']}/checkpoints/{job['jobName']}_s7.json"
    checkpoint = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    assert checkpoint["dataDictionary"] == {"step": 7}


def test_run_job_sees_only_the_contract_environment(new_service: Any) -> None:
    sentinels = {
        "AWS_SECRET_ACCESS_KEY": "SENTINEL-SERVICE-SECRET",
        "AWS_SESSION_TOKEN": "SENTINEL-SESSION-TOKEN",
        "AWS_ACCESS_KEY_ID": "SENTINEL-SERVICE-KEY-ID",
        "GITHUB_TOKEN": "SENTINEL-GITHUB-TOKEN",
        "PULUMI_CONFIG_PASSPHRASE": "SENTINEL-PASSPHRASE",
    }
    service = new_service(env=sentinels, execute="on", task_workers="1")
    service.client("s3").create_bucket(Bucket=BUCKET)
    script = (
        "import os\n"
        "from braket.jobs import save_job_result\n"
        "def main():\n"
        "    save_job_result({'env': dict(os.environ)})\n"
    )
    arn = start_job(service, {"env.py": script}, "env:main")
    assert wait(service, arn)["status"] == "COMPLETED"
    job = service.client().get_job(jobArn=arn)
    archive = (
        service.client("s3")
        .get_object(Bucket=BUCKET, Key=f"jobs/{job['jobName']}/data/output/model.tar.gz")["Body"]
        .read()
    )
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        member = tar.extractfile("results.json")
        assert member is not None
        env = json.loads(member.read())["dataDictionary"]["env"]
    assert not any(value in str(env) for value in sentinels.values())
    # The job's own session, never the service's pair.
    assert env["AWS_ACCESS_KEY_ID"].startswith(JOB_KEY_PREFIX)
    assert service.access_key_id not in str(env)
    assert service.secret_access_key not in str(env)
    assert len(env["AWS_SESSION_TOKEN"]) > 100
    assert env["AWS_ENDPOINT_URL"] == service.endpoint
    assert env["BRAKET_PRICE_OFFERS_URL"] == f"{service.endpoint}/_braket_local/pricing/index.csv"
    assert env["AMZN_BRAKET_JOB_TOKEN"] == arn
    assert env["AMZN_BRAKET_TASK_RESULTS_S3_URI"] == f"s3://{BUCKET}/jobs/{job['jobName']}/tasks"
    allowed_prefixes = ("AMZN_BRAKET_", "AWS_", "LC_", "OPENBLAS_")
    allowed = {
        "HOME",
        "PATH",
        "LANG",
        "TZ",
        "PYTHONUNBUFFERED",
        "PYTHONDONTWRITEBYTECODE",
        "BRAKET_PRICE_OFFERS_URL",
    }
    extra = {k for k in env if k not in allowed and not k.startswith(allowed_prefixes)}
    assert extra == set()
    assert {k for k in env if k.startswith("AWS_")} == {
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    }


def test_cancel_job_kills_its_processes(sdk: Service) -> None:
    script = (
        "import os, subprocess, sys, time\n"
        "def main():\n"
        "    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "    print('pids', os.getpid(), child.pid, flush=True)\n"
        "    time.sleep(600)\n"
    )
    arn = start_job(sdk, {"sleeper.py": script}, "sleeper:main")
    deadline = time.monotonic() + 60
    pids: list[int] = []
    while not pids:
        assert time.monotonic() < deadline, "the job never printed its pids"
        time.sleep(0.2)
        if sdk.client().get_job(jobArn=arn)["status"] != "RUNNING":
            continue
        try:
            lines = log_lines(sdk, arn)
        except (AssertionError, ClientError):
            continue
        pids = [int(p) for line in lines if line.startswith("pids ") for p in line.split()[1:]]
    answer = sdk.client().cancel_job(jobArn=arn)
    assert answer["cancellationStatus"] == "CANCELLING"
    assert wait(sdk, arn)["status"] == "CANCELLED"
    assert [pid for pid in pids if alive(pid)] == []


def alive(pid: int) -> bool:
    """Running or sleeping; a zombie (killed, not yet reaped by init) is gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_run_past_max_runtime_fails_with_the_event(sdk: Service) -> None:
    script = "import time\ndef main():\n    time.sleep(600)\n"
    arn = start_job(
        sdk, {"slow.py": script}, "slow:main", stoppingCondition={"maxRuntimeInSeconds": 2}
    )
    job = wait(sdk, arn)
    assert job["status"] == "FAILED"
    assert job["failureReason"] == "Job exceeded its maximum runtime of 2 seconds and was stopped"
    assert job["events"][-1]["eventType"] == "MAX_RUNTIME_EXCEEDED"


def _wheel(name: str, version: str, module: str) -> bytes:
    """A minimal pure-Python wheel, so that installing it needs no index."""
    dist = f"{name}-{version}.dist-info"
    files = {
        f"{name}.py": module,
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    files[f"{dist}/RECORD"] = "".join(f"{path},,\n" for path in [*files, f"{dist}/RECORD"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return buffer.getvalue()


def test_run_requirements_txt_installs_into_a_cached_venv(sdk: Service, tmp_path: Path) -> None:
    from braket.aws import AwsQuantumJob

    wheel = _wheel("tinydep", "0.1", "VALUE = 42\n")
    script = (
        "import sys, tinydep, braket\n"
        "from braket.jobs import save_job_result\n"
        "def main():\n"
        "    save_job_result({'value': tinydep.VALUE, 'prefix': sys.prefix})\n"
    )
    files: dict[str, str | bytes] = {
        "dep/job.py": script,
        "dep/requirements.txt": "./tinydep-0.1-py3-none-any.whl\n",
        "dep/tinydep-0.1-py3-none-any.whl": wheel,
    }
    first = start_job(sdk, files, "dep.job:main")
    job = wait(sdk, first, timeout=300)
    assert job["status"] == "COMPLETED", job.get("failureReason")
    result = AwsQuantumJob(first).result()
    assert result["value"] == 42
    assert "/venvs/" in result["prefix"]
    second = start_job(sdk, files, "dep.job:main")
    assert wait(sdk, second, timeout=300)["status"] == "COMPLETED"
    assert any("(cached)" in line for line in log_lines(sdk, second))


def test_restart_keeps_results_and_says_what_happened_to_running_work(
    new_service: Any, tmp_path: Path
) -> None:
    from braket.aws import AwsQuantumJob, AwsQuantumTask

    service = new_service(str(tmp_path / "braket.db"), execute="on", task_workers="1")
    service.client("s3").create_bucket(Bucket=BUCKET)
    patch = pytest.MonkeyPatch()
    for name, value in service.environment().items():
        patch.setenv(name, value)
    patch.chdir(tmp_path)
    try:
        files = {"algo/__init__.py": "", "algo/run.py": BELL_JOB}
        done = start_job(service, files, "algo.run:main", {"shots": "50", "tag": "1"})
        assert wait(service, done)["status"] == "COMPLETED"
        task_arn = service.client().search_quantum_tasks(
            filters=[{"name": "jobArn", "operator": "EQUAL", "values": [done]}]
        )["quantumTasks"][0]["quantumTaskArn"]
        sleeper = start_job(
            service, {"s.py": "import time\ndef main():\n    time.sleep(600)\n"}, "s:main"
        )
        deadline = time.monotonic() + 60
        while service.client().get_job(jobArn=sleeper)["status"] != "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        banner_before = service.banner
        service.restart()
        assert banner_before[0].startswith("Local Braket service listening on")
        assert any("objects restored" in line for line in service.banner)
        # Results written before the restart are still there, read the SDK's way.
        assert sum(AwsQuantumJob(done).result()["counts"].values()) == 50
        assert sum(AwsQuantumTask(task_arn).result().measurement_counts.values()) == 50
        # The job that was running is not resumed: it ends FAILED and an event says why.
        interrupted = service.client().get_job(jobArn=sleeper)
        assert interrupted["status"] == "FAILED"
        assert "restarted while this job was running" in interrupted["failureReason"]
        assert interrupted["events"][-1]["message"] == interrupted["failureReason"]
        assert any("jobs failed: 1" in line for line in service.banner)
        # And the restarted service runs new work from the sources it kept.
        again = service.client().create_job(
            **{
                **{k: v for k, v in service.client().get_job(jobArn=done).items() if k in CREATE},
                "clientToken": str(uuid.uuid4()),
            }
        )["jobArn"]
        assert wait(service, again)["status"] == "COMPLETED"
    finally:
        patch.undo()


CREATE = (
    "jobName",
    "roleArn",
    "deviceConfig",
    "algorithmSpecification",
    "outputDataConfig",
    "instanceConfig",
    "hyperParameters",
)


def test_run_hybrid_job_decorated_function(sdk: Service, tmp_path: Path) -> None:
    from braket.aws import AwsQuantumJob
    from braket.jobs import hybrid_job

    ensure_jobs_role(sdk)

    # The decorator checks the local Python against the image's tag (ECR BatchGetImage),
    # then uploads the pickled function and creates the job; calling it starts the job.
    @hybrid_job(device=SV1, wait_until_complete=False)
    def bell(shots: int) -> dict[str, Any]:
        from braket.aws import AwsDevice
        from braket.circuits import Circuit
        from braket.jobs import get_job_device_arn

        device = AwsDevice(get_job_device_arn())
        counts = device.run(Circuit().h(0).cnot(0, 1), shots=shots).result().measurement_counts
        return {"counts": dict(counts)}

    job = bell(64)
    assert isinstance(job, AwsQuantumJob)
    assert wait(sdk, job.arn)["status"] == "COMPLETED", job.metadata().get("failureReason")
    assert job.state() == "COMPLETED"
    result = job.result()
    assert sum(result["counts"].values()) == 64


def test_run_hybrid_job_decorated_function_that_raises_reports_failed(sdk: Service) -> None:
    from braket.aws import AwsQuantumJob
    from braket.jobs import hybrid_job

    ensure_jobs_role(sdk)

    # wait_until_complete=True: the decorator's create follows the job's log until the state
    # AwsQuantumJob.state() reads is terminal, as it does against Braket.
    @hybrid_job(device=SV1, wait_until_complete=True)
    def diverge(limit: int) -> None:
        raise ArithmeticError(f"no convergence after {limit} iterations")

    job = diverge(3)
    assert isinstance(job, AwsQuantumJob)
    assert job.state() == "FAILED"
    assert job.metadata()["failureReason"] == (
        "AlgorithmError: ArithmeticError: no convergence after 3 iterations, exit code: 1"
    )
    assert job.result() == {}


def test_batch_get_image_tags_name_the_service_python(sdk: Service) -> None:
    import sys

    ecr = sdk.client("ecr")
    registry, repository = "292282985366", "amazon-braket-base-jobs"
    latest = ecr.batch_get_image(
        registryId=registry, repositoryName=repository, imageIds=[{"imageTag": "latest"}]
    )["images"][0]["imageId"]["imageDigest"]
    tags = [
        image["imageId"]["imageTag"]
        for image in ecr.batch_get_image(
            registryId=registry, repositoryName=repository, imageIds=[{"imageDigest": latest}]
        )["images"]
    ]
    assert f"1.0-cpu-py{sys.version_info.major}{sys.version_info.minor}-local" in tags
    with pytest.raises(ClientError) as raised:
        ecr.batch_get_image(
            registryId="123456789012", repositoryName="mine", imageIds=[{"imageTag": "latest"}]
        )
    assert raised.value.response["Error"]["Code"] == "RepositoryNotFoundException"


def test_run_job_and_its_qpu_tasks_in_another_region(sdk: Service) -> None:
    region, garnet = "eu-north-1", "arn:aws:braket:eu-north-1::device/qpu/iqm/Garnet"
    bucket = f"amazon-braket-{region}-123456789012"
    s3 = sdk.client("s3", region)
    with contextlib.suppress(ClientError):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_object(Bucket=bucket, Key="src/bell.tar.gz", Body=pack({"bell.py": BELL_JOB}))
    braket = sdk.client(region=region)
    arn = braket.create_job(
        clientToken=str(uuid.uuid4()),
        jobName="garnet-bell",
        roleArn=ROLE,
        deviceConfig={"device": garnet},
        algorithmSpecification={
            "scriptModeConfig": {
                "entryPoint": "bell:main",
                "s3Uri": f"s3://{bucket}/src/bell.tar.gz",
                "compressionType": "GZIP",
            }
        },
        outputDataConfig={"s3Path": f"s3://{bucket}/jobs/garnet-bell/data"},
        instanceConfig={"instanceType": "ml.m5.large", "volumeSizeInGb": 30},
        hyperParameters={"shots": "100", "tag": "0"},
    )["jobArn"]
    assert arn.startswith(f"arn:aws:braket:{region}:")
    deadline = time.monotonic() + 120
    while (job := braket.get_job(jobArn=arn))["status"] not in TERMINAL:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["status"] == "COMPLETED", job.get("failureReason")
    tasks = braket.search_quantum_tasks(
        filters=[{"name": "jobArn", "operator": "EQUAL", "values": [arn]}]
    )["quantumTasks"]
    assert [task["deviceArn"] for task in tasks] == [garnet]
    assert tasks[0]["status"] == "COMPLETED"
