"""QuantumTask's estimated_cost: from the device's price at check, with no call when unchanged."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from pulumi_braket.quantum_task import QuantumTaskProvider
from tests.conftest import Service
from tests.provider.test_quantum_task_provider import BELL, BUCKET, FORTE, SV1, configured


@pytest.fixture
def provider(new_service: Any, aws_env: None) -> tuple[QuantumTaskProvider, Service]:
    service: Service = new_service()
    return configured(service), service


def props(device: str, shots: int) -> dict[str, Any]:
    return {
        "device_arn": device,
        "shots": shots,
        "action": BELL,
        "output_s3_bucket": BUCKET,
        "output_s3_key_prefix": "tasks",
        "client_token_scope": f"proj/stack/priced-{uuid.uuid4().hex[:6]}",
    }


def test_check_qpu_task_estimates_fee_plus_shots_at_the_device_price(
    provider: tuple[QuantumTaskProvider, Service],
) -> None:
    task_provider, _ = provider
    result = task_provider.check({}, props(FORTE, 100))
    assert result.failures == []
    # Forte 1: 0.30 USD a task + 100 shots x 0.08 USD (the catalogue's deviceCost).
    assert result.inputs["estimated_cost"] == "8.30"


def test_check_unchanged_task_is_not_priced_again(
    provider: tuple[QuantumTaskProvider, Service],
) -> None:
    task_provider, service = provider
    first = task_provider.check({}, props(FORTE, 10)).inputs
    seen = len(service.calls())
    again = task_provider.check(
        first, {**props(FORTE, 10), "client_token_scope": first["client_token_scope"]}
    )
    assert again.inputs["estimated_cost"] == "1.10"
    assert len(service.calls()) == seen
    more = task_provider.check(
        first, {**props(FORTE, 20), "client_token_scope": first["client_token_scope"]}
    )
    assert more.inputs["estimated_cost"] == "1.90"


def test_check_simulator_task_has_no_per_shot_estimate(
    provider: tuple[QuantumTaskProvider, Service],
) -> None:
    task_provider, _ = provider
    result = task_provider.check({}, props(SV1, 100))
    assert result.failures == []
    assert result.inputs["estimated_cost"] is None
