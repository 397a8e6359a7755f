"""The call a core is told of: one idempotency scope on both hosts, and the timeouts."""

from __future__ import annotations

from pulumi_braket.context import Call
from pulumi_braket.core import ResourceCore
from pulumi_braket.declarations import SCOPE, TIMEOUTS, URN
from pulumi_braket.hosts.dynamic import carried_call

URN_OF_JOB = "urn:pulumi:dev::lab::pulumi-python:dynamic/braket:Job::bell"
NESTED = "urn:pulumi:dev::lab::my:Experiment$pulumi-python:dynamic/braket:Job::bell"
PLUGIN = "urn:pulumi:dev::lab::braket:index:Job::bell"


def test_scope_of_urn_is_project_stack_name_whatever_the_host_or_parent() -> None:
    for urn in (URN_OF_JOB, NESTED, PLUGIN):
        assert Call(urn=urn).scope == "lab/dev/bell"
        assert ResourceCore(call=Call(urn=urn)).resource_name({}) == "bell"
        assert ResourceCore(call=Call(urn=urn)).scope({}) == "lab/dev/bell"


def test_scope_of_stored_scope_wins_for_resources_created_before() -> None:
    # State written before the URN was carried holds the scope itself; the same value.
    core = ResourceCore(call=Call(urn=URN_OF_JOB))
    assert core.scope({SCOPE: "lab/dev/bell"}) == "lab/dev/bell"
    assert ResourceCore().scope({SCOPE: "lab/old/bell"}) == "lab/old/bell"


def test_scope_of_resource_name_keeps_its_slashes() -> None:
    call = Call(urn="urn:pulumi:dev::lab::braket:index:Job::sweep/a")
    assert ResourceCore(call=call).resource_name({}) == "sweep/a"


def test_scope_of_nothing_is_empty() -> None:
    assert ResourceCore().scope({}) == ""
    assert Call(urn="not-a-urn").scope == ""


def test_carried_call_reads_what_the_dynamic_resource_carries() -> None:
    call = carried_call({URN: PLUGIN, TIMEOUTS: {"create": 2700.0, "delete": 120}})
    assert (call.urn, call.timeout("create"), call.timeout("delete")) == (PLUGIN, 2700.0, 120.0)
    assert call.timeout("update") is None
    assert carried_call({}) == Call()
