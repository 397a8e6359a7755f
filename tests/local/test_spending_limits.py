"""Spending limits through real boto3 and the AWS CLI: the operations, their errors, enforcement."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Service
from tests.local.test_run_tasks import create

FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
AQUILA = "arn:aws:braket:us-east-1::device/qpu/quera/Aquila"
HARMONY = "arn:aws:braket:us-east-1::device/qpu/ionq/Harmony"
SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
ANKAA = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"
BUCKET = "amazon-braket-us-east-1-123456789012"
BELL = json.dumps(
    {
        "braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"},
        "source": "OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncnot q[0], q[1];\nc = measure q;",
    }
)
# Forte 1 in the local catalogue: a $0.30 task fee and $0.08 a shot.
FORTE_TASK_FEE, FORTE_SHOT = Decimal("0.30"), Decimal("0.08")


def limit(braket: Any, device: str = FORTE, amount: str = "10.00", **extra: Any) -> str:
    arn: str = braket.create_spending_limit(
        clientToken=str(uuid.uuid4()), deviceArn=device, spendingLimit=amount, **extra
    )["spendingLimitArn"]
    return arn


def summary(braket: Any, arn: str) -> dict[str, Any]:
    found = braket.search_spending_limits(
        filters=[{"name": "spendingLimitArn", "operator": "EQUAL", "values": [arn]}]
    )["spendingLimits"]
    assert len(found) == 1
    return dict(found[0])


def task(braket: Any, shots: int, device: str = FORTE) -> str:
    return create(braket, device, BELL, shots)


def error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    found = raised.value.response["Error"]
    return str(found["Code"]), str(found["Message"])


@pytest.fixture
def service(new_service: Any) -> Service:
    made: Service = new_service(task_run_seconds="0.2")
    made.client("s3").create_bucket(Bucket=BUCKET)
    return made


def test_create_spending_limit_search_reports_it(service: Service) -> None:
    braket = service.client()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    arn = limit(
        braket,
        amount="100",
        timePeriod={"startAt": start, "endAt": start + timedelta(days=3650)},
        tags={"team": "qa"},
    )
    assert arn.startswith("arn:aws:braket:us-east-1:123456789012:spending-limit/")
    found = summary(braket, arn)
    assert found["deviceArn"] == FORTE
    assert found["spendingLimit"] == "100.00"
    assert (found["queuedSpend"], found["totalSpend"]) == ("0.00", "0.00")
    assert found["timePeriod"]["startAt"] == start
    assert found["tags"] == {"team": "qa"}
    assert found["createdAt"] <= found["updatedAt"]
    assert braket.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "qa"}


def test_create_spending_limit_client_token_returns_the_same_limit(service: Service) -> None:
    braket = service.client()
    token = str(uuid.uuid4())
    first = braket.create_spending_limit(clientToken=token, deviceArn=FORTE, spendingLimit="5")
    again = braket.create_spending_limit(clientToken=token, deviceArn=FORTE, spendingLimit="5")
    assert first["spendingLimitArn"] == again["spendingLimitArn"]
    with pytest.raises(ClientError) as raised:
        braket.create_spending_limit(clientToken=token, deviceArn=FORTE, spendingLimit="6")
    assert error(raised)[0] == "ValidationException"


@pytest.mark.parametrize(
    ("device", "amount", "code", "message"),
    [
        (
            SV1,
            "5",
            "ValidationException",
            f"deviceArn: {SV1} is a simulator; spending limits apply to QPUs only",
        ),
        (HARMONY, "5", "DeviceRetiredException", f"Device {HARMONY} is retired"),
        (
            ANKAA,
            "5",
            "ValidationException",
            f"deviceArn: device {ANKAA} is in region us-west-1, not us-east-1; create its "
            "spending limit in us-west-1",
        ),
        (FORTE, "1.234", "ValidationException", "spendingLimit"),
    ],
)
def test_create_spending_limit_refused(
    service: Service, device: str, amount: str, code: str, message: str
) -> None:
    braket = service.client(parameter_validation=False)
    with pytest.raises(ClientError) as raised:
        limit(braket, device, amount)
    found_code, found_message = error(raised)
    assert found_code == code
    assert message in found_message


def test_create_spending_limit_period_must_start_before_it_ends(service: Service) -> None:
    braket = service.client()
    now = datetime.now(tz=UTC)
    with pytest.raises(ClientError) as raised:
        limit(braket, timePeriod={"startAt": now, "endAt": now - timedelta(days=1)})
    assert error(raised) == ("ValidationException", "timePeriod: startAt must be before endAt")


def test_update_and_delete_spending_limit(service: Service) -> None:
    braket = service.client()
    arn = limit(braket, amount="10")
    braket.update_spending_limit(
        spendingLimitArn=arn, clientToken=str(uuid.uuid4()), spendingLimit="25.5"
    )
    assert summary(braket, arn)["spendingLimit"] == "25.50"
    braket.delete_spending_limit(spendingLimitArn=arn)
    assert braket.search_spending_limits()["spendingLimits"] == []
    with pytest.raises(ClientError) as raised:
        braket.delete_spending_limit(spendingLimitArn=arn)
    assert error(raised)[0] == "ResourceNotFoundException"


def test_create_quantum_task_over_the_remaining_limit_is_refused(service: Service) -> None:
    braket = service.client()
    arn = limit(braket, amount="10.00")
    # 0.30 + 100 * 0.08 = 8.30 fits; a second one would need 16.60.
    first = task(braket, 100)
    queued = summary(braket, arn)
    assert queued["queuedSpend"] == "8.30"
    with pytest.raises(ClientError) as raised:
        task(braket, 100)
    assert error(raised) == (
        "ValidationException",
        f"the task's estimated cost of 8.30 USD exceeds what remains of spending limit {arn} "
        "(10.00 USD, 1.70 USD remaining)",
    )
    deadline = time.monotonic() + 30
    while braket.get_quantum_task(quantumTaskArn=first)["status"] != "COMPLETED":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    spent = summary(braket, arn)
    assert (spent["queuedSpend"], spent["totalSpend"]) == ("0.00", "8.30")
    # Simulators are not covered: no limit applies to them.
    task(braket, 100, SV1)


def test_cancelled_task_releases_its_queued_spend(service: Service) -> None:
    service.configure(task_run_seconds=60)
    braket = service.client()
    arn = limit(braket, amount="10.00")
    held = task(braket, 100)
    assert summary(braket, arn)["queuedSpend"] == "8.30"
    braket.cancel_quantum_task(quantumTaskArn=held, clientToken=str(uuid.uuid4()))
    deadline = time.monotonic() + 30
    while braket.get_quantum_task(quantumTaskArn=held)["status"] != "CANCELLED":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    found = summary(braket, arn)
    assert (found["queuedSpend"], found["totalSpend"]) == ("0.00", "0.00")


def test_create_quantum_task_outside_the_period_is_refused(service: Service) -> None:
    braket = service.client()
    start = datetime.now(tz=UTC) + timedelta(days=1)
    arn = limit(braket, timePeriod={"startAt": start, "endAt": start + timedelta(days=1)})
    with pytest.raises(ClientError) as raised:
        task(braket, 10)
    code, message = error(raised)
    assert code == "ValidationException"
    assert message.startswith(f"spending limit {arn} on {FORTE} allows tasks only from ")


def test_create_quantum_task_concurrent_creates_never_overshoot(service: Service) -> None:
    service.configure(task_run_seconds=60)
    braket = service.client(max_pool_connections=32)
    arn = limit(braket, amount="50.00")
    # 0.30 + 10 * 0.08 = 1.10 a task: 45 fit in 50.00 (49.50), 32 at once all fit, so make
    # each cost 4.30 (50 shots): 11 fit (47.30), the other 21 must be refused.

    def attempt(_: int) -> str:
        try:
            task(braket, 50)
            return "created"
        except ClientError as failure:
            return str(failure.response["Error"]["Code"])

    with ThreadPoolExecutor(32) as pool:
        outcomes = list(pool.map(attempt, range(32)))
    assert outcomes.count("created") == 11
    assert outcomes.count("ValidationException") == 21
    assert Decimal(summary(braket, arn)["queuedSpend"]) == 11 * (FORTE_TASK_FEE + 50 * FORTE_SHOT)


def test_search_spending_limits_filters_and_pages_through_the_aws_cli(service: Service) -> None:
    braket = service.client()
    made = [limit(braket, amount=str(n + 1)) for n in range(23)]
    aquila = limit(braket, AQUILA, "7")
    pages = braket.get_paginator("search_spending_limits").paginate().build_full_result()
    assert [item["spendingLimitArn"] for item in pages["spendingLimits"]] == [*made, aquila]
    first = braket.search_spending_limits()
    assert len(first["spendingLimits"]) == 20 and "nextToken" in first
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "awscli",
            "braket",
            "search-spending-limits",
            "--endpoint-url",
            service.endpoint,
            "--region",
            "us-east-1",
            "--filters",
            json.dumps([{"name": "deviceArn", "operator": "EQUAL", "values": [AQUILA]}]),
        ],
        capture_output=True,
        text=True,
        env={**service.environment(), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert [item["spendingLimitArn"] for item in json.loads(cli.stdout)["spendingLimits"]] == [
        aquila
    ]


def test_tracker_prices_tasks_from_the_served_price_list_as_the_limit_does(
    new_service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from braket.aws import AwsDevice
    from braket.circuits import Circuit
    from braket.tracking import Tracker
    from braket.tracking import pricing as sdk_pricing

    service: Service = new_service(execute="on", task_workers="1")
    for name, value in service.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(
        "BRAKET_PRICE_OFFERS_URL", f"{service.endpoint}/_braket_local/pricing/index.csv"
    )
    # The SDK keeps one price list per process: start from this service's.
    monkeypatch.setattr(sdk_pricing._pricing, "_price_list", [])
    sdk_pricing._pricing.price_search.cache_clear()
    service.client("s3").create_bucket(Bucket=BUCKET)
    braket = service.client()
    arn = limit(braket, amount="100.00")
    with Tracker() as tracker:
        AwsDevice(FORTE).run(Circuit().h(0).cnot(0, 1), shots=100).result()
        AwsDevice(SV1).run(Circuit().h(0).cnot(0, 1), shots=100).result()
    spent = summary(braket, arn)
    assert tracker.qpu_tasks_cost() == Decimal(spent["totalSpend"]) == Decimal("8.30")
    assert spent["queuedSpend"] == "0.00"
    # SV1 is billed by time at 0.075 USD a minute, with a 3-second minimum per task.
    assert tracker.simulator_tasks_cost() == Decimal("0.075") * 3 / 60
