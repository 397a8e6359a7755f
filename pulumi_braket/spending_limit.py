"""The SpendingLimit resource as a Python program declares it: the dynamic resource."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

import pulumi

from pulumi_braket.cores.spending_limit import OUTPUTS, SpendingLimitCore
from pulumi_braket.declarations import ADOPT, SPENDING_LIMIT
from pulumi_braket.hosts.dynamic import BraketProvider, BraketResource


class SpendingLimitProvider(BraketProvider):
    """The dynamic host's SpendingLimitCore; state names this class, so it stays here."""

    core = SpendingLimitCore


class TimePeriodArgs(TypedDict):
    """When the limit applies; tasks submitted outside it are refused."""

    start_at: pulumi.Input[str]
    end_at: pulumi.Input[str]


class SpendingLimit(BraketResource, module="braket", name="SpendingLimit"):
    """A Braket spending limit: a cap in USD on the tasks of one QPU.

    ``spending_limit``, ``time_period`` and ``tags`` update in place; a new ``device_arn``
    replaces the limit. Braket checks every task creation on the device against what remains
    and refuses one whose estimated cost exceeds it; simulators, job instances and
    reservations are not covered.
    """

    # For type checkers only: at run time the SDK resolves these annotations again for
    # every resource it registers (typing.get_type_hints, about 0.5 ms a Job), and the
    # outputs need no types of theirs; the attributes are set from the props either way.
    if TYPE_CHECKING:
        arn: pulumi.Output[str]
        device_arn: pulumi.Output[str]
        spending_limit: pulumi.Output[str]
        time_period: pulumi.Output[dict[str, str] | None]
        queued_spend: pulumi.Output[str]
        total_spend: pulumi.Output[str]
        created_at: pulumi.Output[str]
        updated_at: pulumi.Output[str]
        tags: pulumi.Output[dict[str, str] | None]
        tags_all: pulumi.Output[dict[str, str]]

    def __init__(
        self,
        resource_name: str,
        device_arn: pulumi.Input[str],
        spending_limit: pulumi.Input[str | float | int],
        time_period: pulumi.Input[TimePeriodArgs] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        adopt_arn: pulumi.Input[str] | None = None,
    ) -> None:
        """Declare a limit; ``adopt_arn`` takes an existing one under management instead."""
        props: dict[str, Any] = {
            "device_arn": device_arn,
            "spending_limit": spending_limit,
            "time_period": time_period,
            "tags": tags,
            **{key: None for key in OUTPUTS},
        }
        if adopt_arn is not None:
            props[ADOPT] = adopt_arn
        # The client token's scope comes from the URN, as for every resource.
        super().__init__(
            SpendingLimitProvider, resource_name, props, opts, carried=SPENDING_LIMIT.carried
        )
