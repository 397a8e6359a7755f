"""Fixtures of the local service's tests that more than one module uses."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Service


@pytest.fixture(scope="module")
def sdk(executing_service: Service, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The SDK pointed at the executing service, with the default buckets of the regions its
    QPUs live in (us-east-1, us-west-1, eu-north-1)."""
    patch = pytest.MonkeyPatch()
    # AwsQuantumJob.result() downloads model.tar.gz into the working directory.
    patch.chdir(tmp_path_factory.mktemp("results"))
    for name, value in executing_service.environment().items():
        patch.setenv(name, value)
    for region in ("us-east-1", "us-west-1", "eu-north-1"):
        s3 = executing_service.client("s3", region)
        where = {"LocationConstraint": region}
        config = {} if region == "us-east-1" else {"CreateBucketConfiguration": where}
        with contextlib.suppress(ClientError):
            s3.create_bucket(Bucket=f"amazon-braket-{region}-123456789012", **config)
    yield executing_service
    patch.undo()
