"""The client token's scope: one way to compute it, on both hosts, for every resource."""

from __future__ import annotations

from pulumi_braket.declarations import SCOPE, URN
from pulumi_braket.lifecycle import scope_of

URN_OF_JOB = "urn:pulumi:dev::lab::pulumi-python:dynamic/braket:Job::bell"
NESTED = "urn:pulumi:dev::lab::my:Experiment$pulumi-python:dynamic/braket:Job::bell"
PLUGIN = "urn:pulumi:dev::lab::braket:index:Job::bell"


def test_scope_of_urn_is_project_stack_name_whatever_the_host_or_parent() -> None:
    for urn in (URN_OF_JOB, NESTED, PLUGIN):
        assert scope_of({URN: urn}) == "lab/dev/bell"


def test_scope_of_stored_scope_wins_for_resources_created_before() -> None:
    # State written before the URN was carried holds the scope itself; the same value.
    assert scope_of({SCOPE: "lab/dev/bell", URN: URN_OF_JOB}) == "lab/dev/bell"
    assert scope_of({SCOPE: "lab/old/bell"}) == "lab/old/bell"


def test_scope_of_nothing_is_empty() -> None:
    assert scope_of({}) == ""
