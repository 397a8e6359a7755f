"""Fixtures: the local Braket service in a subprocess, and real boto3 clients pointed at it."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest

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
}


class Service(ServiceProcess):
    """The service with lifecycles fast enough for tests, and execution off by default."""

    defaults: ClassVar[dict[str, str]] = FAST


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
