"""Results in outputs: a Job's saved result, a QuantumTask's counts, read once when they end."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pulumi_braket import BraketError
from pulumi_braket.job import JobProvider
from tests.conftest import Service
from tests.provider.test_job_provider import configured as configured_job
from tests.provider.test_job_sdk_inputs import checked, make_algo, sdk_inputs
from tests.provider.test_quantum_task_provider import BELL, BUCKET, SV1
from tests.provider.test_quantum_task_provider import configured as configured_task


@pytest.fixture
def service(executing_service: Service, aws_env: None) -> Service:
    try:
        executing_service.client("s3").create_bucket(Bucket=BUCKET)
    except ClientError as error:
        assert error.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"
    return executing_service


def task_props(**overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "device_arn": SV1,
        "shots": 100,
        "action": BELL,
        "output_s3_bucket": BUCKET,
        "output_s3_key_prefix": "tasks",
        "client_token_scope": f"proj/stack/bell-{uuid.uuid4().hex[:6]}",
    }
    props.update(overrides)
    return props


def test_create_task_wait_outputs_measurement_counts(service: Service) -> None:
    provider = configured_task(service)
    result = provider.check({}, task_props(wait_for_completion=True))
    assert result.failures == []
    outs = provider.create(result.inputs).outs
    assert outs["status"] == "COMPLETED"
    counts = outs["measurement_counts"]
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 100
    assert outs["result_uri"] == f"s3://{BUCKET}/{outs['output_s3_directory']}/results.json"


def test_create_task_wait_failed_task_fails_with_its_reason(service: Service) -> None:
    provider = configured_task(service)
    # Within SV1's 34 qubits, so Braket takes it; over any machine's memory, so the run fails.
    wide = "OPENQASM 3;\nqubit[34] q;\nbit[34] c;\nh q[0];\nc = measure q;"
    props = task_props(action=wide, wait_for_completion=True)
    name = props["client_token_scope"].rsplit("/", 1)[1]
    with pytest.raises(BraketError) as raised:
        provider.create(provider.check({}, props).inputs)
    message = str(raised.value)
    assert message.startswith(
        f"create Braket QuantumTask ({name}): the task ended FAILED: a 34-qubit state vector "
        "needs 256.0 GiB, over the local service's memory budget of "
    )
    assert "(setting memory_budget_bytes) (arn:aws:braket:us-east-1:" in message
    assert message.endswith("change an input (shots, say) to run a new one")


def test_read_task_fills_counts_once_it_completed_and_keeps_them(service: Service) -> None:
    provider = configured_task(service)
    created = provider.create(provider.check({}, task_props()).inputs)
    assert created.outs["measurement_counts"] is None
    braket = service.client()
    deadline = time.monotonic() + 60
    while braket.get_quantum_task(quantumTaskArn=created.id)["status"] != "COMPLETED":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    first = provider.read(created.id, created.outs).outs
    assert sum(first["measurement_counts"].values()) == 100
    # Read once: a later refresh keeps the counts without reading S3 again.
    bucket, key = first["result_uri"][len("s3://") :].split("/", 1)
    service.client("s3").delete_object(Bucket=bucket, Key=key)
    again = provider.read(created.id, first).outs
    assert again["measurement_counts"] == first["measurement_counts"]


def test_check_task_wait_for_completion_invalid_message(service: Service) -> None:
    provider = configured_task(service)
    failures = provider.check({}, task_props(wait_for_completion=-1)).failures
    assert [(f.property, f.reason) for f in failures] == [
        (
            "wait_for_completion",
            "wait_for_completion: -1 is neither true/false nor a positive number of seconds",
        )
    ]


SAVES = (
    "from braket.jobs import save_job_result\n"
    "def main():\n"
    "    save_job_result({'energy': -1.5, 'size': SIZE, 'blob': 'x' * SIZE})\n"
)


def job_provider(service: Service) -> JobProvider:
    provider: JobProvider = configured_job(service)
    return provider


def test_create_job_wait_outputs_its_saved_result(service: Service, tmp_path: Path) -> None:
    provider = job_provider(service)
    algo = make_algo(tmp_path, "SIZE = 3\n" + SAVES)
    outs = provider.create(checked(provider, sdk_inputs(algo, wait_for_completion=True))).outs
    assert outs["status"] == "COMPLETED"
    assert outs["result"] == {"energy": -1.5, "size": 3, "blob": "xxx"}
    assert outs["results_uri"].endswith("/output/model.tar.gz")


def test_create_job_result_over_64_kib_leaves_only_the_uri(
    service: Service, tmp_path: Path
) -> None:
    provider = job_provider(service)
    algo = make_algo(tmp_path, "SIZE = 70_000\n" + SAVES)
    outs = provider.create(checked(provider, sdk_inputs(algo, wait_for_completion=True))).outs
    assert outs["status"] == "COMPLETED"
    assert outs["result"] is None
    assert outs["results_uri"].endswith("/output/model.tar.gz")
