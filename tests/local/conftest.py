"""Fixtures of the local service's tests that more than one module uses."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Service

BUCKET = "amazon-braket-us-east-1-123456789012"


@pytest.fixture(scope="module")
def sdk(executing_service: Service, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    patch = pytest.MonkeyPatch()
    # AwsQuantumJob.result() downloads model.tar.gz into the working directory.
    patch.chdir(tmp_path_factory.mktemp("results"))
    for name, value in executing_service.environment().items():
        patch.setenv(name, value)
    with contextlib.suppress(ClientError):
        executing_service.client("s3").create_bucket(Bucket=BUCKET)
    yield executing_service
    patch.undo()
