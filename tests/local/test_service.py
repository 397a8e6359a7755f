"""The service as a whole: errors, faults, persistence, concurrency and the command line."""

from __future__ import annotations

import contextlib
import http.client
import inspect
import json
import socket
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pulumi_braket.local import LocalBraket, ServiceSettings
from pulumi_braket.local.front.server import HTTP_THREADS
from pulumi_braket.local.service import errors
from pulumi_braket.shapes import service_model
from tests.conftest import CREDENTIALS, Service, iam_user
from tests.local.test_jobs import job_request, wait_for
from tests.signing import send, signed


def test_errors_every_model_error_shape_has_a_class() -> None:
    model = service_model()
    error_shapes = {
        name for name in model.shape_names if model.shape_for(name).metadata.get("exception")
    }
    assert error_shapes <= set(errors.BY_CODE)
    for name in error_shapes:
        cls = errors.BY_CODE[name]
        assert cls.status() == model.shape_for(name).metadata["error"]["httpStatusCode"]
        assert cls.__doc__ and "\n" not in cls.__doc__.strip()


def test_errors_every_class_is_registered() -> None:
    classes = {
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.BraketServiceError) and cls is not errors.BraketServiceError
    }
    assert classes == set(errors.BY_CODE.values())


def test_access_denied_for_denied_access_key(new_service: Any) -> None:
    service = new_service()
    blocked, allowed = iam_user(service, "blocked"), iam_user(service, "allowed")
    service.configure(deny_access_keys=blocked.access_key_id)
    client = service.client(access_key=blocked.access_key_id, secret_key=blocked.secret_access_key)
    with pytest.raises(client.exceptions.AccessDeniedException) as caught:
        client.search_jobs(filters=[])
    assert caught.value.response["Error"]["Message"] == (
        "User: arn:aws:iam::123456789012:user/blocked is not authorized to perform: "
        "braket:SearchJobs on resource: *"
    )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    other = service.client(access_key=allowed.access_key_id, secret_key=allowed.secret_access_key)
    assert other.search_jobs(filters=[])["jobs"] == []


def test_throttling_every_call_when_rate_is_one(new_service: Any) -> None:
    service = new_service(throttle_rate="1")
    client = service.client(retries={"mode": "standard", "total_max_attempts": 2})
    with pytest.raises(client.exceptions.ThrottlingException) as caught:
        client.create_job(**job_request())
    assert caught.value.response["Error"]["Message"] == (
        "Rate exceeded for CreateJob (injected throttle)"
    )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    # Two attempts, both throttled, and nothing was created.
    assert [call["code"] for call in service.calls()] == ["ThrottlingException"] * 2
    service.configure(throttle_rate=0)
    assert client.search_jobs(filters=[])["jobs"] == []


def test_internal_error_every_call_when_rate_is_one(new_service: Any) -> None:
    service = new_service(error_rate="1")
    client = service.client(retries={"mode": "standard", "total_max_attempts": 1})
    with pytest.raises(client.exceptions.InternalServiceException) as caught:
        client.get_device(deviceArn="arn:aws:braket:::device/quantum-simulator/amazon/sv1")
    assert caught.value.response["Error"]["Message"] == (
        "Internal service error in GetDevice (injected fault)"
    )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_faults_seeded_fraction_is_reproducible(new_service: Any) -> None:
    def outcomes() -> list[str | None]:
        service = new_service(throttle_rate="0.3", error_rate="0.1", seed="7")
        client = service.client(retries={"mode": "standard", "total_max_attempts": 1})
        for _ in range(60):
            with contextlib.suppress(ClientError):
                client.search_devices(filters=[])
        return [call["code"] for call in service.calls()]

    first, second = outcomes(), outcomes()
    assert first == second
    throttled = first.count("ThrottlingException")
    failed = first.count("InternalServiceException")
    assert 8 <= throttled <= 30
    assert 1 <= failed <= 15
    assert throttled + failed + first.count(None) == 60


def test_faults_retried_by_botocore_standard_mode(new_service: Any) -> None:
    service = new_service(throttle_rate="0.3", seed="11")
    client = service.client(retries={"mode": "standard", "max_attempts": 10})
    arns = {client.create_job(**job_request())["jobArn"] for _ in range(10)}
    assert len(arns) == 10
    codes = [call["code"] for call in service.calls()]
    assert codes.count(None) == 10
    assert codes.count("ThrottlingException") > 0


def test_latency_added_to_each_call(new_service: Any) -> None:
    service = new_service(latency_ms="150")
    client = service.client()
    client.search_devices(filters=[])
    started = time.monotonic()
    client.search_devices(filters=[])
    # A lower bound only: the injected sleep happens on every call, whatever the machine.
    assert time.monotonic() - started >= 0.15


def test_unknown_route_answers_aws_error(shared_service: Service) -> None:
    answer = send(signed("GET", f"{shared_service.endpoint}/nothing-here", CREDENTIALS))
    assert answer.status == 404
    assert answer.headers["x-amzn-errortype"] == "UnknownOperationException"
    assert json.loads(answer.body) == {"message": "No Braket operation matches GET /nothing-here"}
    client = shared_service.client()
    assert client.search_jobs(filters=[])["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_every_model_operation_is_implemented() -> None:
    from pulumi_braket.local.service.responses import IMPLEMENTED
    from pulumi_braket.shapes import service_model

    # A newer botocore model adds operations: they answer NotImplementedException until this
    # service implements them, and this test says which.
    assert set(service_model().operation_names) - IMPLEMENTED == set()


def test_restart_same_db_keeps_jobs_tags_tokens_and_lifecycles(
    new_service: Any, tmp_path: Path
) -> None:
    # Long enough to still be RUNNING after a restart on a loaded machine.
    service = new_service(str(tmp_path / "braket.db"), job_run_seconds="30")
    client = service.client()
    request = job_request(tags={"keep": "me"})
    arn = client.create_job(**request)["jobArn"]
    client.tag_resource(resourceArn=arn, tags={"added": "later"})
    wait_for(client, arn, {"RUNNING"})
    service.restart()
    client = service.client()
    job = client.get_job(jobArn=arn)
    assert job["status"] == "RUNNING"
    assert job["tags"] == {"keep": "me", "added": "later"}
    # The client token survives: a retry after the restart is the same job.
    assert client.create_job(**request)["jobArn"] == arn
    # The lifecycle goes on after the restart: a cancel still moves the job along.
    client.cancel_job(jobArn=arn)
    assert wait_for(client, arn, {"CANCELLED"})["status"] == "CANCELLED"
    assert [job["jobArn"] for job in client.search_jobs(filters=[])["jobs"]] == [arn]


def test_concurrency_32_clients_no_lost_updates(new_service: Any) -> None:
    service = new_service()
    threads, rounds = 32, 25

    def work(worker: int) -> list[str]:
        client = service.client(retries={"mode": "standard", "max_attempts": 5})
        arns = []
        for index in range(rounds):
            arn = client.create_job(**job_request(tags={"worker": str(worker)}))["jobArn"]
            client.tag_resource(resourceArn=arn, tags={"round": str(index)})
            assert client.get_job(jobArn=arn)["tags"] == {
                "worker": str(worker),
                "round": str(index),
            }
            arns.append(arn)
        return arns

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(work, range(threads)))
    created = [arn for arns in results for arn in arns]
    assert len(set(created)) == threads * rounds
    client = service.client()
    found = [
        job
        for page in client.get_paginator("search_jobs").paginate(filters=[])
        for job in page["jobs"]
    ]
    assert len(found) == threads * rounds
    per_worker = {str(w): 0 for w in range(threads)}
    for job in found:
        per_worker[job["tags"]["worker"]] += 1
    assert set(per_worker.values()) == {rounds}
    errors_seen = [call for call in service.calls() if call["code"]]
    assert errors_seen == []


def test_serve_cli_prints_exports_and_stops_on_sigterm(new_service: Any) -> None:
    service = new_service()
    assert service.endpoint.startswith("http://127.0.0.1:")
    assert f"export AWS_ENDPOINT_URL={service.endpoint}\n" in service.banner
    assert f"export AWS_ACCESS_KEY_ID={CREDENTIALS.access_key_id}\n" in service.banner
    assert service.stop() == "Local Braket service stopped\n"
    assert service.process is not None and service.process.returncode == 0


def test_serve_cli_stop_with_clients_mid_request_exits(new_service: Any) -> None:
    # Clients that sent part of a request hold every HTTP worker, and more wait queued behind
    # them: cheroot's stop would shut each worker's socket, see it take the next queued one
    # and wait for it without limit. The stop is bounded and says what it left behind.
    service = new_service()
    port = int(service.endpoint.rsplit(":", 1)[1])
    held = []
    try:
        for _ in range(HTTP_THREADS + 8):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            held.append(client)
        # Every worker holds one: a whole request on a fresh connection waits its turn.
        late = threading.Thread(target=lambda: _status(service.endpoint + "/ping"), daemon=True)
        late.start()
        late.join(1)
        assert late.is_alive()
        printed = service.stop()
    finally:
        for client in held:
            client.close()
    assert "still in a request after" in printed, printed
    assert printed.endswith("Local Braket service stopped\n"), printed
    assert service.process is not None and service.process.returncode == 0


def _status(url: str) -> int:
    with contextlib.suppress(OSError):
        return urllib.request.urlopen(url, timeout=120).status
    return 0


def test_local_braket_in_process_context_manager() -> None:
    settings = ServiceSettings(job_queue_seconds=0.1, job_run_seconds=0.1, execute=False)
    with LocalBraket(settings=settings) as service:
        assert service.host == "127.0.0.1"
        client = boto3.client(
            "braket",
            endpoint_url=service.endpoint,
            region_name="eu-west-2",
            **service.client_credentials(),
        )
        arn = client.create_job(**job_request())["jobArn"]
        assert arn.startswith("arn:aws:braket:eu-west-2:")
        assert wait_for(client, arn, {"COMPLETED"})["status"] == "COMPLETED"
    assert not any(t.name == "braket-local" for t in threading.enumerate())


def test_settings_from_env_and_bad_values() -> None:
    settings = ServiceSettings.from_env(
        {"PULUMI_BRAKET_LOCAL_THROTTLE_RATE": "0.5", "PULUMI_BRAKET_LOCAL_DENY_ACCESS_KEYS": "a,b"}
    )
    assert settings.throttle_rate == 0.5
    assert settings.deny_access_keys == frozenset({"a", "b"})
    with pytest.raises(ValueError, match="throttle_rate must be between 0 and 1"):
        ServiceSettings().updated({"throttle_rate": "2"})
    with pytest.raises(ValueError, match="unknown setting 'nope'"):
        ServiceSettings().updated({"nope": 1})


def test_s3_sts_iam_routed_to_moto(shared_service: Service) -> None:
    bucket = f"bucket-{uuid.uuid4().hex[:8]}"
    s3 = shared_service.client("s3")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="jobs/x/source.tar.gz", Body=b"code")
    assert s3.get_object(Bucket=bucket, Key="jobs/x/source.tar.gz")["Body"].read() == b"code"
    assert shared_service.client("sts").get_caller_identity()["Account"] == "123456789012"
    iam = shared_service.client("iam")
    name = f"role-{uuid.uuid4().hex[:8]}"
    iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")
    assert iam.get_role(RoleName=name)["Role"]["Arn"] == f"arn:aws:iam::123456789012:role/{name}"
    logs = shared_service.client("logs")
    logs.create_log_group(logGroupName=f"/aws/braket/jobs-{name}")
    groups = logs.describe_log_groups(logGroupNamePrefix="/aws/braket/jobs-")["logGroups"]
    assert f"/aws/braket/jobs-{name}" in {group["logGroupName"] for group in groups}


def test_requests_keep_one_connection_alive(shared_service: Service) -> None:
    # Each boto3 call reuses its pooled connection instead of paying a new one.
    connection = http.client.HTTPConnection("127.0.0.1", shared_service.port, timeout=10)
    ports = []
    for _ in range(3):
        connection.request("GET", "/_braket_local/health")
        answer = connection.getresponse()
        assert (answer.status, answer.getheader("Connection")) == (200, None)
        answer.read()
        assert connection.sock is not None
        ports.append(connection.sock.getsockname()[1])
    connection.close()
    assert len(set(ports)) == 1
