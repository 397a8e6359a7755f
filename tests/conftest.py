"""Fixtures: the local Braket service in a subprocess, and real boto3 clients pointed at it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

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


class Service:
    """A `pulumi-braket-local serve` process on a free loopback port."""

    def __init__(
        self, db: str | None = None, env: dict[str, str] | None = None, **settings: str
    ) -> None:
        self.db = db
        self.extra_env = env or {}
        self.settings = {**FAST, **settings}
        self.process: subprocess.Popen[str] | None = None
        self.endpoint = ""
        self.start()

    def start(self, port: int = 0) -> None:
        args = [sys.executable, "-m", "pulumi_braket.local", "serve", "--port", str(port)]
        if self.db:
            args += ["--db", self.db]
        for name, value in self.settings.items():
            args += ["--" + name.replace("_", "-"), value]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_BRAKET_LOCAL_")}
        env.update(self.extra_env)
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        if "listening on" not in first:
            raise RuntimeError(f"local service did not start: {first}{self.process.stdout.read()}")
        self.endpoint = first.rsplit(" ", 1)[1].strip()
        # Read the whole banner now: communicate() later reads the pipe unbuffered.
        self.banner = [first]
        while not self.banner[-1].startswith("export AWS_DEFAULT_REGION"):
            self.banner.append(self.process.stdout.readline())

    @property
    def port(self) -> int:
        return int(self.endpoint.rsplit(":", 1)[1])

    def stop(self) -> str:
        """Stop with SIGTERM and return what the process printed after its banner."""
        assert self.process is not None
        self.process.terminate()
        out, _ = self.process.communicate(timeout=20)
        return out

    def restart(self) -> None:
        port = self.port
        self.stop()
        self.start(port)

    def client(self, service: str = "braket", region: str = "us-east-1", **config: Any) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id=config.pop("access_key", "testing"),
            aws_secret_access_key="testing",
            config=Config(**config) if config else None,
        )

    def configure(self, **changes: Any) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.endpoint}/_braket_local/settings",
            data=json.dumps(changes).encode(),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)  # type: ignore[no-any-return]

    def calls(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.endpoint}/_braket_local/calls", timeout=10) as answer:
            return json.load(answer)["calls"]  # type: ignore[no-any-return]

    def environment(self, region: str = "us-east-1") -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
        }


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
