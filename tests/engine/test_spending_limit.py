"""SpendingLimit under the real engine: create, update in place, drift, destroy."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.engine.conftest import Project

pytestmark = pytest.mark.engine

# On either host (its engine-test:host config).
PROGRAM = Path(__file__).parent / "spending" / "__main__.py"


def test_up_spending_limit_updates_in_place_and_refresh_sees_drift(
    project: Callable[..., Project], host: str
) -> None:
    p = project(program=PROGRAM, host=host)
    # Both hosts send the same client token for the same stack, name and inputs: a tag of
    # this test's own keeps the other host's limit, on the shared service, out of it.
    p.configure("engine-test:tags", {"team": "qa", "run": uuid.uuid4().hex[:12]})
    first = p.up()
    assert first.summary.resource_changes == {"create": 2}
    arn = first.outputs["arn"].value
    assert first.outputs["spending_limit"].value == "100.00"
    assert first.outputs["queued_spend"].value == "0.00"
    # The same amount written otherwise is no change.
    p.configure("engine-test:amount", "100.00")
    assert {op: n for op, n in p.preview().change_summary.items() if op != "same"} == {}
    p.configure("engine-test:amount", "250.5")
    p.configure("engine-test:tags", {"team": "ops"})
    second = p.up()
    assert second.summary.resource_changes == {"update": 1, "same": 1}
    assert second.outputs["arn"].value == arn
    braket = p.braket()
    found = braket.search_spending_limits(
        filters=[{"name": "spendingLimitArn", "operator": "EQUAL", "values": [arn]}]
    )["spendingLimits"][0]
    assert (found["spendingLimit"], found["tags"]) == ("250.50", {"team": "ops"})
    braket.update_spending_limit(
        spendingLimitArn=arn, clientToken=str(uuid.uuid4()), spendingLimit="5"
    )
    p.stack.refresh(color="never")
    drift = p.preview().change_summary
    assert drift.get("update") == 1
    p.stack.destroy(color="never")
    with pytest.raises(braket.exceptions.ResourceNotFoundException):
        braket.delete_spending_limit(spendingLimitArn=arn)
