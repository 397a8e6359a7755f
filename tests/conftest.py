"""Fixtures: the local Braket service in a subprocess, and real boto3 clients pointed at it."""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest

from pulumi_braket.local.front.credentials import SERVICE_KEY_PREFIX, KeyPair, new_key_id
from pulumi_braket.local.process import ServiceProcess

# Lifecycles fast enough for tests, slow enough that a job is seen QUEUED and RUNNING.
FAST = {
    "job_queue_seconds": "0.3",
    "job_run_seconds": "0.6",
    "job_cancel_seconds": "0.3",
    "task_created_seconds": "0.1",
    "task_queue_seconds": "0.2",
    "task_run_seconds": "0.3",
    "task_cancel_seconds": "0.2",
    # Timer lifecycles: these tests are about the API, not about what runs.
    "execute": "off",
    # Braket lists Forte Enterprise 1 ONLINE; the tests mark it OFFLINE to reach that path.
    "device_status": "ionq/forte-enterprise-1=OFFLINE",
}


# The pair every service of this test run is given, as CI gives fixed keys: new each run, so
# that nothing can pass by knowing it in advance. tests/local/test_access.py covers the pair a
# service makes and keeps for itself.
CREDENTIALS = KeyPair(new_key_id(SERVICE_KEY_PREFIX), secrets.token_urlsafe(30))


def pytest_configure(config: pytest.Config) -> None:
    """Services that keep their own pair keep it here, never in the user's ~/.local/state."""
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="braket-tests-state-")


class Service(ServiceProcess):
    """The service with lifecycles fast enough for tests, and execution off by default."""

    defaults: ClassVar[dict[str, str]] = FAST
    credentials: ClassVar[KeyPair | None] = CREDENTIALS


def iam_user(service: Service, name: str) -> KeyPair:
    """A second user's key pair, made through the service's IAM as on AWS."""
    iam = service.client("iam")
    with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
        iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return KeyPair(key["AccessKeyId"], key["SecretAccessKey"])


def session_credentials(service: Service, name: str = "ci") -> dict[str, str]:
    """Temporary credentials (key, secret and session token) from the service's STS, as a CI
    role session gets them: real enough to be accepted, so a leak of any part can be sought."""
    found = service.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::123456789012:role/{name}", RoleSessionName=name
    )["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": found["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": found["SecretAccessKey"],
        "AWS_SESSION_TOKEN": found["SessionToken"],
    }


def use_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test services' pair in the environment, where the providers' clients find it."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", CREDENTIALS.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", CREDENTIALS.secret_access_key)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)


def ensure_jobs_role(service: Service) -> None:
    """The role the Braket SDK looks up by default; tests on a shared service may race to it."""
    iam = service.client("iam")
    with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
        iam.create_role(
            RoleName="AmazonBraketJobsExecutionRole",
            Path="/service-role/",
            AssumeRolePolicyDocument='{"Version": "2012-10-17", "Statement": []}',
        )


@pytest.fixture(scope="session")
def shared_service() -> Iterator[Service]:
    """One service for tests that only look at resources they created themselves."""
    service = Service()
    yield service
    service.stop()


@pytest.fixture
def new_service() -> Iterator[Callable[..., Service]]:
    """Fresh services for tests that count everything or change settings."""
    started: list[Service] = []

    def make(db: str | None = None, env: dict[str, str] | None = None, **settings: str) -> Service:
        service = Service(db, env, **settings)
        started.append(service)
        return service

    yield make
    for service in started:
        if service.process and service.process.poll() is None:
            service.stop()


@pytest.fixture(scope="session")
def executing_service() -> Iterator[Service]:
    """One service that runs what it is given: tasks on the simulators, jobs from source."""
    service = Service(execute="on", task_workers="2", job_slots="4")
    yield service
    service.stop()


@pytest.fixture
def braket(shared_service: Service) -> Any:
    return shared_service.client()


@pytest.fixture
def braket_unchecked(shared_service: Service) -> Any:
    """A client that skips botocore's own checks, so the server's validation is what answers."""
    return shared_service.client(parameter_validation=False)


@pytest.fixture(autouse=True)
def _restore_tracebacklimit() -> Iterator[None]:
    """configure() quiets tracebacks for the provider host; keep them in the test process."""
    saved = getattr(sys, "tracebacklimit", None)
    yield
    if saved is None:
        sys.__dict__.pop("tracebacklimit", None)
    else:
        sys.tracebacklimit = saved
