"""Invalid inputs for every constraint of the request models, generated with hypothesis."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape
from hypothesis import strategies as st

from pulumi_braket import shapes
from tests.engine.conftest import SV1
from tests.reliability.support import job_spec

JOB_ARN = "arn:aws:braket:us-east-1:123456789012:job/corpus"
RESERVATION = "arn:aws:braket:us-east-1:123456789012:reservation/r-0123456789"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/amazon-braket-base-jobs:latest"

# Path tokens beyond member names: the first list item, a map's value and a map's key.
ITEM = 0
VALUE = "<value>"
KEY = "<key>"
MAP_KEY = "k"


def job_base(container: bool = False) -> dict[str, Any]:
    """A Job declaring every optional member too, valid for check."""
    base = job_spec(
        "corpus",
        input_data_config=[
            {
                "channel_name": "input",
                "content_type": "text/csv",
                "data_source": {"s3_data_source": {"s3_uri": "s3://b/in"}},
            }
        ],
        checkpoint_config={"s3_uri": "s3://b/ckpt", "local_path": "/opt/jobs/checkpoints"},
        stopping_condition={"max_runtime_in_seconds": 3600},
        output_data_config={"s3_path": "s3://b/out", "kms_key_id": "alias/braket"},
        instance_config={
            "instance_type": "ml.m5.large",
            "volume_size_in_gb": 30,
            "instance_count": 1,
        },
        associations=[{"arn": RESERVATION, "type": "RESERVATION_TIME_WINDOW_ARN"}],
        client_token_scope="corpus/test/job",
    )
    if container:
        base["algorithm_specification"] = {"container_image": {"uri": IMAGE}}
    else:
        base["algorithm_specification"]["script_mode_config"]["compression_type"] = "GZIP"
    return base


def task_base() -> dict[str, Any]:
    """A QuantumTask declaring every optional member but its device parameters."""
    return {
        "device_arn": SV1,
        "shots": 100,
        "output_s3_bucket": "amazon-braket-results",
        "output_s3_key_prefix": "tasks",
        "action": "OPENQASM 3.0;\nqubit[1] q;\nh q[0];",
        "job_token": "token-1",
        "associations": [{"arn": RESERVATION, "type": "RESERVATION_TIME_WINDOW_ARN"}],
        "experimental_capabilities": {"enabled": "NONE"},
        "tags": {"team": "qa"},
        "client_token_scope": "corpus/test/task",
    }


def limit_base() -> dict[str, Any]:
    """A SpendingLimit declaring every optional member too."""
    return {
        "device_arn": FORTE,
        "spending_limit": "100.00",
        "time_period": {"start_at": "2026-01-01T00:00:00Z", "end_at": "2027-01-01T00:00:00Z"},
        "tags": {"team": "qa"},
    }


def tags_base() -> dict[str, Any]:
    return {"resource_arn": JOB_ARN, "tags": {"reviewed-by": "ci"}}


REQUESTS = {
    "Job": "CreateJobRequest",
    "QuantumTask": "CreateQuantumTaskRequest",
    "ResourceTags": "TagResourceRequest",
    "SpendingLimit": "CreateSpendingLimitRequest",
}
# Request members that are not the resource's inputs.
NOT_INPUTS = frozenset({"clientToken"})
# What the reason of each broken rule says (pydantic's messages, and the model's enums).
REASONS = {
    "min": r"at least \d+ (character|item)",
    "max": r"at most \d+ (character|item)",
    "pattern": r"should match pattern",
    "enum": r"must be one of",
    "ge": r"greater than or equal to",
    "le": r"less than or equal to",
    # None for a required member: "is required", or the type or enum it should have had.
    "required": r"is required|valid (string|integer|dictionary|list)|must be one of",
}


@dataclass(frozen=True)
class Site:
    """One constraint of the model at one input path."""

    resource: str
    path: tuple[str | int, ...]
    rule: str
    shape: Shape

    @property
    def id(self) -> str:
        return f"{self.resource}:{render(self.path)}:{self.rule}"

    def base(self) -> dict[str, Any]:
        if self.resource == "Job":
            return job_base(container="container_image" in self.path)
        if self.resource == "SpendingLimit":
            return limit_base()
        return task_base() if self.resource == "QuantumTask" else tags_base()

    def expected(self) -> str:
        """The failure's property: the path itself, or for a map key, the map."""
        return render(self.path[:-1] if self.path[-1] == KEY else self.path)


def render(path: tuple[str | int, ...]) -> str:
    text = ""
    for token in path:
        if token == ITEM and isinstance(token, int):
            text += "[0]"
        elif token == VALUE:
            text += f".{MAP_KEY}"
        elif token == KEY:
            continue
        else:
            text += f".{token}" if text else str(token)
    return text


def sites() -> Iterator[Site]:
    """Every constraint the model declares on the inputs of the four resources."""
    for resource, request in REQUESTS.items():
        yield from _walk(resource, shapes.service_model().shape_for(request), ())


def _walk(resource: str, shape: Shape, path: tuple[str | int, ...]) -> Iterator[Site]:
    meta = shape.metadata
    if isinstance(shape, StructureShape):
        for wire, member in shape.members.items():
            if not path and wire in NOT_INPUTS:
                continue
            here = (*path, shapes.snake(wire))
            if wire in shape.required_members:
                yield Site(resource, here, "required", member)
            yield from _walk(resource, member, here)
        return
    if isinstance(shape, ListShape | MapShape):
        if meta.get("min", 0) > 0:
            yield Site(resource, path, "min", shape)
        if "max" in meta:
            yield Site(resource, path, "max", shape)
        if isinstance(shape, ListShape):
            yield from _walk(resource, shape.member, (*path, ITEM))
        else:
            yield from _walk(resource, shape.key, (*path, KEY))
            yield from _walk(resource, shape.value, (*path, VALUE))
        return
    if shape.type_name == "string":
        if getattr(shape, "enum", None):
            yield Site(resource, path, "enum", shape)
            return
        if meta.get("min", 0) > 0:
            yield Site(resource, path, "min", shape)
        if "max" in meta:
            yield Site(resource, path, "max", shape)
        if "pattern" in meta:
            yield Site(resource, path, "pattern", shape)
    elif shape.type_name in ("integer", "long"):
        if "min" in meta:
            yield Site(resource, path, "ge", shape)
        if "max" in meta:
            yield Site(resource, path, "le", shape)


# Characters that break patterns in ways people meet: layout, controls, lookalikes.
ODD = ["\n", "\x00", " ", "\u202e", "\u200b", "\u0430", "\uff10", "\U0001f4a5", "/", "%", "\t"]


def _text(low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(min_size=low, max_size=high)


def _longer_than(limit: int) -> st.SearchStrategy[str]:
    # Hypothesis draws at most a few KB per example: repeat a short draw past the limit.
    return st.tuples(_text(1, 12), st.integers(1, 40)).map(
        lambda drawn: (drawn[0] * (limit // len(drawn[0]) + 2))[: limit + drawn[1]]
    )


def invalid(site: Site) -> st.SearchStrategy[Any]:
    """Values that break exactly the site's rule (other rules of the value may hold)."""
    meta, shape = site.shape.metadata, site.shape
    if site.rule == "required":
        return st.sampled_from([None, _MISSING])
    if isinstance(shape, ListShape | MapShape):
        if isinstance(shape, ListShape):
            item = _valid_item(site)
            count = meta["max"] + 1 if site.rule == "max" else meta["min"] - 1
            return st.integers(count, count + 3 if site.rule == "max" else count).map(
                lambda n: [copy.deepcopy(item) for _ in range(n)]
            )
        size = meta["max"] + 1 if site.rule == "max" else meta["min"] - 1
        return st.dictionaries(
            st.text("abcdefghijklmnop", min_size=1, max_size=10), st.just("v"), min_size=size
        ).filter(lambda found: len(found) >= size if site.rule == "max" else len(found) <= size)
    if site.rule == "enum":
        members = set(shape.enum)
        return _text(0, 30).filter(lambda value: value not in members)
    if site.rule == "min":
        return _text(0, meta["min"] - 1)
    if site.rule == "max":
        return _longer_than(meta["max"])
    if site.rule == "pattern":
        pattern = shapes.anchored(meta["pattern"])
        low, high = meta.get("min", 0), meta.get("max", 10_000)
        mutated = st.tuples(
            st.from_regex(pattern, fullmatch=True).filter(lambda s: len(s) < high),
            st.sampled_from(ODD),
            st.integers(0, 200),
        ).map(lambda drawn: drawn[0][: drawn[2]] + drawn[1] + drawn[0][drawn[2] :])
        return st.one_of(_text(low, min(high, 80)), mutated).filter(
            lambda value: low <= len(value) <= high and not re.fullmatch(pattern, value)
        )
    if site.rule == "ge":
        return st.integers(min_value=-(2**63), max_value=meta["min"] - 1)
    if site.rule == "le":
        return st.integers(min_value=meta["max"] + 1, max_value=2**63)
    raise AssertionError(f"no strategy for {site.id}")


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _valid_item(site: Site) -> Any:
    found: Any = site.base()
    for token in site.path:
        found = found[token]
    return found[0]


def with_value(site: Site, value: Any) -> dict[str, Any]:
    """The site's base with ``value`` at the site's path (or the member removed)."""
    inputs = site.base()
    *parents, last = site.path
    holder: Any = inputs
    for token in parents:
        if token == VALUE:
            token = MAP_KEY
        if isinstance(holder, dict) and token not in holder:
            holder[token] = {}
        holder = holder[token]
    if last == KEY:
        holder[value] = "v"
    elif last == VALUE:
        holder[MAP_KEY] = value
    elif value is _MISSING:
        holder.pop(last, None)
    else:
        holder[last] = value
    return inputs


def value_at(inputs: Any, path: tuple[str | int, ...]) -> Any:
    for token in path:
        if token == VALUE:
            token = MAP_KEY
        if isinstance(inputs, dict):
            inputs = inputs.get(token)
        elif isinstance(inputs, list) and isinstance(token, int) and len(inputs) > token:
            inputs = inputs[token]
        else:
            return None
    return inputs
