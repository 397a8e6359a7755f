"""What a quantum task will cost, estimated from the device's published price."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

# Braket's fee per QPU task, charged on top of the per-shot price that GetDevice reports in
# deviceCost (aws.amazon.com/braket/pricing: "Per-task price: $0.30000", every QPU).
TASK_FEE_USD = Decimal("0.30")
CENT = Decimal("0.01")
PRICING = "aws.amazon.com/braket/pricing"
# Simulators are billed by time, not shots (aws.amazon.com/braket/pricing, "Simulators":
# per minute, in 1 ms increments with a minimum of 3 seconds per task).
SIMULATOR_BILLING = "billed per minute of simulation time, with a 3-second minimum per task"


def usd(value: Decimal) -> str:
    """USD with cents, as Braket writes amounts ("8.30")."""
    return str(value.quantize(CENT))


def _price(capabilities: Mapping[str, Any], unit: str) -> Decimal | None:
    """deviceCost's price if it is per ``unit`` ("shot" or "minute"), else None."""
    cost = (capabilities.get("service") or {}).get("deviceCost") or {}
    if cost.get("unit") != unit or cost.get("price") is None:
        return None
    # str() first: the document's float 0.08 is the decimal 0.08 its publisher wrote.
    return Decimal(str(cost["price"]))


def shot_price(capabilities: Mapping[str, Any]) -> Decimal | None:
    """The per-shot price in a deviceCapabilities document, or None if it is priced by time."""
    return _price(capabilities, "shot")


def task_cost(capabilities: Mapping[str, Any], shots: int) -> Decimal | None:
    """The per-task fee plus shots at the per-shot price; None for time-billed devices."""
    price = shot_price(capabilities)
    return None if price is None else TASK_FEE_USD + price * shots


def minute_price(capabilities: Mapping[str, Any]) -> Decimal | None:
    """The per-minute price of a time-billed device (a simulator), or None."""
    return _price(capabilities, "minute")


def describe(capabilities: Mapping[str, Any], shots: int) -> tuple[str | None, str]:
    """(the estimate in USD or None, a line for the preview saying how it was reached)."""
    cost = task_cost(capabilities, shots)
    if cost is not None:
        price = shot_price(capabilities)
        return usd(cost), (
            f"estimated cost {usd(cost)} USD: {usd(TASK_FEE_USD)} per task + {shots} shots x "
            f"{price} USD ({PRICING}; the device's deviceCost)"
        )
    per_minute = minute_price(capabilities)
    rate = f" at {per_minute} USD a minute" if per_minute is not None else ""
    return None, f"no per-shot cost: a simulator task is {SIMULATOR_BILLING}{rate} ({PRICING})"


def job_statement(inputs: Mapping[str, Any]) -> str:
    """What is known of a job's cost before it runs, for the preview."""
    instance = (inputs.get("instance_config") or {}).get("instance_type") or "its instance"
    device = (inputs.get("device_config") or {}).get("device") or "its device"
    return (
        f"cost: {instance} time is billed per minute while the job runs, and the tasks it "
        f"creates on {device} are billed as tasks and count against that device's spending "
        f"limit ({PRICING}, hybrid jobs)"
    )
