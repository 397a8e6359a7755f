"""The pydantic models enforce every constraint in botocore's Braket model, and nothing else."""

from __future__ import annotations

import functools
import re
import typing
from datetime import UTC, datetime
from typing import Any

import pydantic
import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import Phase, find, settings
from hypothesis import strategies as st

from pulumi_braket import job, shapes
from pulumi_braket.local.service.responses import IMPLEMENTED

# The operations the local service serves are the ones whose inputs it validates.
OPERATIONS = sorted(IMPLEMENTED)


def input_structures() -> dict[str, StructureShape]:
    found: dict[str, StructureShape] = {}
    for name in OPERATIONS:
        input_shape = shapes.operation(name).input_shape
        for _, shape in shapes.walk(input_shape):
            if isinstance(shape, StructureShape):
                found[shape.name] = shape
    return found


STRUCTURES = input_structures()


# Generation only, derandomized: the same examples every run, without slow shrinking.
QUICK = settings(phases=[Phase.generate], derandomize=True, database=None, max_examples=2000)


@functools.cache
def _string_matching(pattern: str, low: int, high: int) -> str:
    strategy = st.from_regex(shapes.anchored(pattern), fullmatch=True)
    return find(strategy, lambda s: low <= len(s) <= high, settings=QUICK)


@functools.cache
def _string_not_matching(pattern: str, low: int, high: int) -> str:
    return find(
        st.text(max_size=max(high, 1) if high < 10_000 else 20),
        lambda s: low <= len(s) <= high and not re.fullmatch(pattern, s),
        settings=QUICK,
    )


def valid(shape: Shape) -> Any:
    """A minimal value that satisfies every rule of the shape."""
    meta = shape.metadata
    if isinstance(shape, StructureShape):
        return {name: valid(shape.members[name]) for name in shape.required_members}
    if isinstance(shape, ListShape):
        return [valid(shape.member) for _ in range(meta.get("min", 0))]
    if isinstance(shape, MapShape):
        return {f"k{i}": valid(shape.value) for i in range(meta.get("min", 0))}
    if shape.type_name == "string":
        if shape.enum:
            return shape.enum[0]
        low, high = meta.get("min", 0), meta.get("max", 10_000)
        if "pattern" in meta:
            return _string_matching(meta["pattern"], low, high)
        return "x" * max(low, 1)
    if shape.type_name in ("integer", "long"):
        return meta.get("min", 1)
    if shape.type_name == "timestamp":
        return datetime(2026, 1, 1, tzinfo=UTC)
    raise AssertionError(f"no valid value for {shape.name} ({shape.type_name})")


def violations(shape: Shape) -> list[tuple[str, Any, str]]:
    """(rule, bad value, pydantic error type) for each constraint the shape declares."""
    meta = shape.metadata
    found: list[tuple[str, Any, str]] = []
    if isinstance(shape, ListShape | MapShape):
        item = valid(shape.member if isinstance(shape, ListShape) else shape.value)

        def sized(n: int) -> Any:
            if isinstance(shape, ListShape):
                return [item] * n
            return {f"k{i}": item for i in range(n)}

        if meta.get("min", 0) > 0:
            found.append(("min", sized(meta["min"] - 1), "too_short"))
        if "max" in meta:
            found.append(("max", sized(meta["max"] + 1), "too_long"))
    elif shape.type_name == "string":
        if shape.enum:
            found.append(("enum", "not-a-member-of-the-enum", "literal_error"))
            return found
        if meta.get("min", 0) > 0:
            found.append(("min", "", "string_too_short"))
        if "max" in meta:
            found.append(("max", "x" * (meta["max"] + 1), "string_too_long"))
        if "pattern" in meta:
            low, high = meta.get("min", 0), meta.get("max", 10_000)
            bad = _string_not_matching(meta["pattern"], low, high)
            found.append(("pattern", bad, "string_pattern_mismatch"))
    elif shape.type_name in ("integer", "long"):
        if "min" in meta:
            found.append(("min", meta["min"] - 1, "greater_than_equal"))
        if "max" in meta:
            found.append(("max", meta["max"] + 1, "less_than_equal"))
    return found


CASES = [
    pytest.param(structure, member, rule, bad, kind, id=f"{structure}.{member}-{rule}")
    for structure, shape in STRUCTURES.items()
    for member, member_shape in shape.members.items()
    for rule, bad, kind in violations(member_shape)
]
REQUIRED = [
    pytest.param(structure, member, id=f"{structure}.{member}")
    for structure, shape in STRUCTURES.items()
    for member in shape.required_members
]


@pytest.mark.parametrize("structure", sorted(STRUCTURES))
def test_validate_minimal_valid_value_passes(structure: str) -> None:
    value = valid(STRUCTURES[structure])
    assert shapes.validate(structure, value, strict=True) == []


@pytest.mark.parametrize(("structure", "member", "rule", "bad", "kind"), CASES)
def test_validate_constraint_enforced(
    structure: str, member: str, rule: str, bad: Any, kind: str
) -> None:
    value = {**valid(STRUCTURES[structure]), member: bad}
    with pytest.raises(pydantic.ValidationError) as caught:
        shapes.model(structure).model_validate(value, strict=True, by_alias=True, by_name=False)
    errors = caught.value.errors()
    assert [(e["loc"][0], e["type"]) for e in errors] == [(member, kind)], rule


@pytest.mark.parametrize(("structure", "member"), REQUIRED)
def test_validate_required_member_enforced(structure: str, member: str) -> None:
    value = valid(STRUCTURES[structure])
    del value[member]
    assert [str(p) for p in shapes.validate(structure, value, strict=True)] == [
        f"{member}: is required"
    ]


def test_validate_constraint_cases_cover_every_kind() -> None:
    rules = {(param.values[2], param.values[4]) for param in CASES}
    assert {rule for rule, _ in rules} == {"min", "max", "pattern", "enum"}
    assert ("max", "too_long") in rules  # list and map sizes
    assert len(CASES) > 40


def test_enum_values_read_from_model() -> None:
    instance_types = shapes.service_model().shape_for("InstanceType").enum
    annotation = shapes.model("InstanceConfig").model_fields["instance_type"].annotation
    assert set(typing.get_args(annotation)) == set(instance_types)


def test_snake_case_paths_for_provider_inputs() -> None:
    problems = shapes.validate(
        "CreateJobRequest",
        {"instance_config": {"instance_type": "ml.m5.large", "volume_size_in_gb": 0}},
        strict=False,
        snake_case=True,
    )
    paths = {problem.path for problem in problems}
    assert "instance_config.volume_size_in_gb" in paths
    assert "role_arn" in paths


def test_to_wire_and_from_wire_round_trip() -> None:
    snake = {"instance_type": "ml.m5.large", "volume_size_in_gb": 30.0, "instance_count": 2}
    wire = shapes.to_wire("InstanceConfig", snake)
    assert wire == {"instanceType": "ml.m5.large", "volumeSizeInGb": 30, "instanceCount": 2}
    assert shapes.from_wire("InstanceConfig", wire) == {**snake, "volume_size_in_gb": 30}


def _typed_dict_keys(cls: type) -> set[str]:
    return set(cls.__required_keys__) | set(cls.__optional_keys__)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("typed", "shape"),
    [
        (job.ScriptModeConfigArgs, "ScriptModeConfig"),
        (job.ContainerImageArgs, "ContainerImage"),
        (job.AlgorithmSpecificationArgs, "AlgorithmSpecification"),
        (job.S3DataSourceArgs, "S3DataSource"),
        (job.DataSourceArgs, "DataSource"),
        (job.InputFileConfigArgs, "InputFileConfig"),
        (job.JobOutputDataConfigArgs, "JobOutputDataConfig"),
        (job.JobCheckpointConfigArgs, "JobCheckpointConfig"),
        (job.JobStoppingConditionArgs, "JobStoppingCondition"),
        (job.InstanceConfigArgs, "InstanceConfig"),
        (job.DeviceConfigArgs, "DeviceConfig"),
        (job.AssociationArgs, "Association"),
    ],
)
def test_typed_args_match_model_members(typed: type, shape: str) -> None:
    structure = shapes.service_model().shape_for(shape)
    assert _typed_dict_keys(typed) == {shapes.snake(m) for m in structure.members}
    required = {shapes.snake(m) for m in structure.required_members}
    assert set(typed.__required_keys__) == required  # type: ignore[attr-defined]


def test_job_args_cover_every_create_job_member() -> None:
    assert {f for f in job.JobArgs.__dataclass_fields__} == {*job.INPUTS, *job.USER_EXTRAS}
