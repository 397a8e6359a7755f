"""Fixtures for reliability tests: stacks driven by the pulumi CLI, proxies, the engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pulumi_braket.local.process import pulumi_bin_dir
from tests.conftest import Service
from tests.engine.conftest import REPO
from tests.reliability.support import Proxy, Stack


@pytest.fixture(scope="session")
def pulumi_dir() -> Path:
    path = pulumi_bin_dir(REPO)
    assert (path / "pulumi").exists(), f"no pulumi CLI in {path}"
    return path


@pytest.fixture
def stacks(tmp_path: Path, pulumi_dir: Path) -> Iterator[Callable[..., Stack]]:
    """Stacks in temp directories; every process they started is gone afterwards."""
    made: list[Stack] = []

    def make(service: Service, endpoint: str | None = None, host: str = "dynamic") -> Stack:
        root = tmp_path / f"s{len(made)}"
        root.mkdir()
        made.append(Stack(root, pulumi_dir, service, endpoint, host))
        return made[-1]

    yield make
    for stack in made:
        for run in stack.spawned:
            run.reap()


@pytest.fixture
def proxies() -> Iterator[Callable[[Service], Proxy]]:
    made: list[Proxy] = []

    def make(service: Service) -> Proxy:
        made.append(Proxy(service.endpoint))
        return made[-1]

    yield make
    for proxy in made:
        proxy.close()
