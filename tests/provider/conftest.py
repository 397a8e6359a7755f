"""Fixtures shared by the provider tests."""

from __future__ import annotations

import pytest

from tests.conftest import use_credentials


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test services' pair, and no endpoint or profile of the machine running the tests."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BRAKET"):
        monkeypatch.delenv(name, raising=False)
    use_credentials(monkeypatch)
