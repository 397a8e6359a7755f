"""SpendingLimitProvider's methods against the local service, through real boto3 over HTTP."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_braket import BraketError
from pulumi_braket.spending_limit import SpendingLimitProvider
from tests.conftest import Service

FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"


@pytest.fixture
def service(new_service: Any, aws_env: None) -> Service:
    made: Service = new_service()
    return made


def configured(service: Service) -> SpendingLimitProvider:
    provider = SpendingLimitProvider()
    raw = {"braket:endpoint": service.endpoint, "aws:region": "us-east-1"}
    provider.configure(ConfigureRequest(Config(raw, "test")))
    return provider


def props(**overrides: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "device_arn": "ionq/forte-1",
        "spending_limit": 100,
        "tags": {"team": "qa"},
        "client_token_scope": f"proj/stack/cap-{uuid.uuid4().hex[:6]}",
    }
    found.update(overrides)
    return found


def checked(provider: SpendingLimitProvider, given: dict[str, Any], olds: Any = None) -> Any:
    result = provider.check(olds or {}, given)
    assert [(f.property, f.reason) for f in result.failures] == []
    return result.inputs


def test_check_normalizes_the_amount_and_resolves_the_device(service: Service) -> None:
    provider = configured(service)
    inputs = checked(provider, props())
    assert inputs["spending_limit"] == "100.00"
    assert inputs["device_arn"] == FORTE
    again = checked(provider, props(spending_limit="100.00"), inputs)
    assert again["spending_limit"] == inputs["spending_limit"]
    assert not provider.diff("arn", {**inputs}, again).changes


def test_check_reports_every_problem_at_once(service: Service) -> None:
    provider = configured(service)
    result = provider.check(
        {},
        props(
            device_arn="sv1",
            spending_limit="12.345",
            time_period={"start_at": "2026-02-01T00:00:00Z", "end_at": "2026-01-01T00:00:00Z"},
            tags={"aws:owner": "me"},
        ),
    )
    assert sorted((f.property, f.reason) for f in result.failures) == [
        (
            "device_arn",
            "device_arn: arn:aws:braket:::device/quantum-simulator/amazon/sv1 is a simulator; "
            "Braket's spending limits cover QPU tasks only",
        ),
        (
            "spending_limit",
            "spending_limit: '12.345' is not an amount in USD with at most two decimals, such "
            'as 100 or "100.00": it should match pattern \\d+(\\.\\d{1,2})?',
        ),
        ("tags", "key 'aws:owner' uses the reserved prefix aws:"),
        ("time_period", "time_period: start_at must be before end_at"),
    ]


def test_create_update_in_place_read_drift_delete(service: Service) -> None:
    provider = configured(service)
    period = {"start_at": "2026-01-01T00:00:00Z", "end_at": "2036-01-01T00:00:00Z"}
    inputs = checked(provider, props(time_period=period))
    created = provider.create(inputs)
    outs = created.outs
    assert created.id.startswith("arn:aws:braket:us-east-1:123456789012:spending-limit/")
    assert (outs["spending_limit"], outs["queued_spend"], outs["total_spend"]) == (
        "100.00",
        "0.00",
        "0.00",
    )
    assert outs["time_period"] == period
    assert outs["tags_all"] == {"team": "qa"}
    # Created once: the same inputs give the same client token, so the same limit.
    assert provider.create(inputs).id == created.id
    later = {"start_at": "2027-01-01T00:00:00Z", "end_at": "2037-01-01T00:00:00Z"}
    scope = inputs["client_token_scope"]
    news = checked(
        provider,
        props(spending_limit="250.5", tags={"team": "ops"}, time_period=later),
        inputs,
    )
    news["client_token_scope"] = scope
    diff = provider.diff(created.id, outs, news)
    assert diff.changes and diff.replaces == []
    updated = provider.update(created.id, outs, news).outs
    assert updated["arn"] == created.id
    assert updated["spending_limit"] == "250.50"
    assert updated["time_period"] == later
    # A period can be changed in place, not removed: removing it takes a new limit.
    unbounded = checked(provider, props(spending_limit="250.5", tags={"team": "ops"}), inputs)
    assert provider.diff(created.id, updated, unbounded).replaces == ["time_period"]
    braket = service.client()
    assert braket.list_tags_for_resource(resourceArn=created.id)["tags"] == {"team": "ops"}
    # Drift: changed out of band, seen on read.
    braket.update_spending_limit(
        spendingLimitArn=created.id, clientToken=str(uuid.uuid4()), spendingLimit="5"
    )
    assert provider.read(created.id, updated).outs["spending_limit"] == "5.00"
    provider.delete(created.id, updated)
    assert provider.read(created.id, updated).id == ""
    provider.delete(created.id, updated)  # already gone: deleted all the same


def test_diff_new_device_replaces(service: Service) -> None:
    provider = configured(service)
    inputs = checked(provider, props())
    moved = checked(provider, props(device_arn="quera/aquila"), inputs)
    assert provider.diff("arn", inputs, moved).replaces == ["device_arn"]


def test_search_spending_limits_lookup_filters_and_reports_spend(service: Service) -> None:
    from pulumi_braket import SpendingLimitSummary, search_spending_limits

    braket = service.client()
    aquila = "arn:aws:braket:us-east-1::device/qpu/quera/Aquila"
    for device, amount in ((FORTE, "10"), (aquila, "20")):
        braket.create_spending_limit(
            clientToken=str(uuid.uuid4()), deviceArn=device, spendingLimit=amount
        )
    where = {"region": "us-east-1", "endpoint_url": service.endpoint}
    everything = search_spending_limits(**where)
    assert [item.spending_limit for item in everything] == ["10.00", "20.00"]
    found = search_spending_limits(
        [{"name": "device_arn", "operator": "EQUAL", "values": [aquila]}], **where
    )
    assert [(item.device_arn, item.total_spend) for item in found] == [(aquila, "0.00")]
    assert type(found[0]) is SpendingLimitSummary


def test_create_adopt_arn_takes_an_existing_limit_and_applies_the_program(
    service: Service,
) -> None:
    braket = service.client()
    arn = braket.create_spending_limit(
        clientToken=str(uuid.uuid4()), deviceArn=FORTE, spendingLimit="10", tags={"by": "hand"}
    )["spendingLimitArn"]
    provider = configured(service)
    adopted = provider.create(checked(provider, props(adopt_arn=arn, spending_limit="40")))
    assert adopted.id == arn
    assert adopted.outs["spending_limit"] == "40.00"
    assert adopted.outs["tags_all"] == {"team": "qa"}
    # Keys set by anyone else are left alone.
    assert braket.list_tags_for_resource(resourceArn=arn)["tags"] == {"by": "hand", "team": "qa"}
    assert len(braket.search_spending_limits()["spendingLimits"]) == 1
    elsewhere = checked(provider, props(adopt_arn=arn, device_arn="quera/aquila"))
    with pytest.raises(BraketError) as raised:
        provider.create(elsewhere)
    assert str(raised.value) == (
        f"adopt Braket SpendingLimit ({arn}): the limit is on {FORTE}, the program says "
        "device_arn arn:aws:braket:us-east-1::device/qpu/quera/Aquila; make them match"
    )
