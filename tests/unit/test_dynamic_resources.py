"""What the dynamic resources hand the engine: the provider made once, the URN as the engine's."""

from __future__ import annotations

import asyncio

import pulumi
import pytest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime.settings import Settings, configure

from pulumi_braket.hosts.dynamic import serialized_provider, urn_of
from pulumi_braket.job import Job, JobProvider
from pulumi_braket.quantum_task import QuantumTask, QuantumTaskProvider
from pulumi_braket.resource_tags import ResourceTags, ResourceTagsProvider
from pulumi_braket.spending_limit import SpendingLimit, SpendingLimitProvider

PAIRS = [
    (Job, JobProvider),
    (QuantumTask, QuantumTaskProvider),
    (SpendingLimit, SpendingLimitProvider),
    (ResourceTags, ResourceTagsProvider),
]


@pytest.mark.parametrize(("resource", "provider"), PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_serialized_provider_is_what_pulumi_dynamic_would_store(
    resource: type[pulumi.dynamic.Resource], provider: type[JobProvider]
) -> None:
    # Made once per class instead of once per resource: the same text, by reference.
    assert serialized_provider(provider) == serialize_provider(provider())
    assert serialized_provider(provider) is serialized_provider(provider)
    assert resource.resource_type() == f"pulumi-python:{resource._resource_type_name}"  # type: ignore[attr-defined]


def test_urn_of_is_the_engines_urn_without_a_parent() -> None:
    configure(Settings(project="lab", stack="dev", dry_run=True))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        kind = Job.resource_type()
        made = loop.run_until_complete(pulumi.resource.create_urn("bell", kind, None).future())
        assert urn_of(kind, "bell", None) == made
        assert made == "urn:pulumi:dev::lab::pulumi-python:dynamic/braket:Job::bell"
    finally:
        asyncio.set_event_loop(None)
        loop.close()
        configure(Settings(project=None, stack=None))
