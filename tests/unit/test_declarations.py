"""The one declaration of each resource, and everything read from it, agree."""

from __future__ import annotations

import inspect

import pytest

from pulumi_braket import defaults, job, quantum_task, resource_tags, shapes, spending_limit
from pulumi_braket.declarations import (
    ADOPT,
    BY_KIND,
    FRAMEWORK_NAMES,
    JOB,
    QUANTUM_TASK,
    RESOURCE_TAGS,
    RESOURCES,
    SPENDING_LIMIT,
    TIMEOUTS,
    URN,
    Resource,
)
from pulumi_braket.hosts import plugin
from pulumi_braket.hosts.dynamic import carried_call
from pulumi_braket.hosts.schema import schema, token


def _init_inputs(cls: type) -> set[str]:
    """What a resource class takes from a program, by its constructor."""
    taken = inspect.signature(cls.__init__).parameters  # type: ignore[misc]
    return {
        name for name in taken if name not in ("self", "resource_name", "opts", "args", "kwargs")
    }


def test_declarations_framework_names_are_the_images() -> None:
    assert tuple(defaults.FRAMEWORKS) == FRAMEWORK_NAMES


@pytest.mark.parametrize("declared", RESOURCES, ids=lambda r: r.kind)
def test_schema_inputs_are_the_declared_inputs(declared: Resource) -> None:
    resource = schema()["resources"][token(declared.kind)]
    assert set(resource["inputProperties"]) == {shapes.camel(n) for n in declared.input_names}
    for extra in declared.outputs:
        assert shapes.camel(extra.name) in resource["properties"]


@pytest.mark.parametrize("declared", RESOURCES, ids=lambda r: r.kind)
def test_schema_required_inputs_leave_out_what_a_program_may_omit(declared: Resource) -> None:
    model = shapes.service_model().shape_for(declared.request)
    optional = {"clientToken", *(shapes.camel(n) for n in declared.optional)}
    required = schema()["resources"][token(declared.kind)]["requiredInputs"]
    assert required == sorted(set(model.required_members) - optional)


def test_schema_job_requires_nothing_a_default_or_source_gives() -> None:
    # algorithmSpecification comes from source and entry_point, deviceConfig from device,
    # the rest from the Braket SDK's defaults: a YAML Job may name only its source.
    assert schema()["resources"][token("Job")]["requiredInputs"] == []


def test_typed_args_are_the_declared_inputs() -> None:
    assert {*job.JobArgs.__dataclass_fields__, ADOPT} == set(JOB.input_names)
    assert set(quantum_task.QuantumTaskArgs.__dataclass_fields__) == set(QUANTUM_TASK.input_names)
    assert _init_inputs(job.Job) == {ADOPT}  # the rest come as JobArgs or keywords
    assert _init_inputs(spending_limit.SpendingLimit) == set(SPENDING_LIMIT.input_names)
    assert _init_inputs(resource_tags.ResourceTags) == set(RESOURCE_TAGS.input_names)


def test_replacing_members_are_all_but_the_in_place_ones() -> None:
    assert "tags" not in JOB.replacing and len(JOB.replacing) == len(JOB.request_members) - 1
    assert SPENDING_LIMIT.replacing == ("device_arn",)
    assert RESOURCE_TAGS.replacing == ("resource_arn",)


def test_carried_members_are_what_the_dynamic_adapter_reads_back() -> None:
    # The plugin is told the URN and timeouts per call; the dynamic host carries them as
    # properties, and its adapter turns every carried member back into the call.
    every = {URN: "urn:pulumi:dev::lab::braket:index:Job::bell", TIMEOUTS: {"create": 5.0}}
    for kind, declared in BY_KIND.items():
        assert token(kind) in plugin.CORES
        call = carried_call({name: every[name] for name in declared.carried})
        assert (call.urn is not None) == (URN in declared.carried), kind
        assert (call.timeout("create") == 5.0) == (TIMEOUTS in declared.carried), kind
