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
    # As the engine sends it: the same number as a float.
    assert task_provider.check({}, props(FORTE, 100.0)).inputs["estimated_cost"] == "8.30"  # type: ignore[arg-type]


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


def test_check_shows_the_estimate_under_the_resource(
    provider: tuple[QuantumTaskProvider, Service], capsys: pytest.CaptureFixture[str]
) -> None:
    task_provider, _ = provider
    task_provider.check({}, props(FORTE, 100))
    task_provider.check({}, props(SV1, 100))
    lines = [line for line in capsys.readouterr().err.splitlines() if "cost" in line]
    assert any(
        "estimated cost 8.30 USD: 0.30 per task + 100 shots x 0.08 USD "
        "(aws.amazon.com/braket/pricing; the device's deviceCost)" in line
        for line in lines
    )
    assert any(
        "no per-shot cost: a simulator task is billed per minute of simulation time, with a "
        "3-second minimum per task at 0.075 USD a minute" in line
        for line in lines
    )


def test_check_new_job_states_what_its_cost_depends_on(
    new_service: Any, aws_env: None, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.provider.test_job_provider import configured as configured_job
    from tests.provider.test_job_sdk_inputs import checked, make_algo, sdk_inputs

    job_provider = configured_job(new_service())
    checked(job_provider, sdk_inputs(make_algo(tmp_path)))
    lines = capsys.readouterr().err.splitlines()
    # One message: the defaults, one a line, then the cost (each message is a call to the
    # engine, made while the engine waits on this check).
    first = lines.index("info: defaults:")
    after = lines[first + 1 :]
    cost_line = next(index for index, line in enumerate(after) if not line.startswith("  "))
    assert cost_line > 0
    assert after[cost_line] == (
        "cost: ml.m5.large time is billed per minute while the job runs, and the tasks "
        "it creates on arn:aws:braket:::device/quantum-simulator/amazon/sv1 are billed as "
        "tasks and count against that device's spending limit (aws.amazon.com/braket/pricing, "
        "hybrid jobs)"
    )
