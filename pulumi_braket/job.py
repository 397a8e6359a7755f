"""The Job resource: a Braket hybrid job, created once, tagged in place, cancelled on delete."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypedDict

import pulumi
from botocore.exceptions import BotoCoreError, ClientError
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult

from pulumi_braket import shapes
from pulumi_braket.errors import BraketError
from pulumi_braket.lifecycle import (
    SCOPE,
    TAGS_ALL,
    RunProvider,
    computed_members,
)
from pulumi_braket.provider import check_shape, has_unknowns, normalized, string_map

KIND = "Job"
REQUEST = "CreateJobRequest"
RESPONSE = "GetJobResponse"

# Every create_job member but the client token, as the model names them, in snake_case.
INPUTS: tuple[str, ...] = tuple(
    shapes.snake(name) for name in shapes.members(REQUEST) if name != "clientToken"
)
# What get_job reports beyond the request: status, times, events, failure reason, ...
COMPUTED = computed_members(RESPONSE, INPUTS, "jobArn")
# The ARN of an existing job to take under management instead of creating one. This is the
# adopt path: `ResourceOptions(import_=...)` fails for every Python dynamic resource in the
# engine's Read before our code runs (pulumi/pulumi#16175: KeyError '__provider').
ADOPT = "adopt_arn"
# Values Braket fills in when the request leaves them out (the model documents
# instanceCount's default as 1); an old value equal to these is not drift.
SERVICE_DEFAULTS: dict[str, dict[str, Any]] = {"instance_config": {"instance_count": 1}}


def _without_service_defaults(member: str, old: Any, new: Any) -> Any:
    defaults = SERVICE_DEFAULTS.get(member)
    if not defaults or not isinstance(old, Mapping):
        return old
    new_map = new if isinstance(new, Mapping) else {}
    return {
        key: value
        for key, value in old.items()
        if not (key in defaults and key not in new_map and normalized(value) == defaults[key])
    }


def replacements(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """The create-only inputs whose change forces a new job (all but tags)."""
    changed = []
    for member in INPUTS:
        if member == "tags":
            continue
        old, new = olds.get(member), news.get(member)
        if has_unknowns(new):
            changed.append(member)
            continue
        old = _without_service_defaults(member, old, new)
        if normalized(old) != normalized(new):
            changed.append(member)
    return changed


class JobProvider(RunProvider):
    """CRUD for Job through create_job, get_job, tag_resource, untag_resource and cancel_job."""

    kind = KIND
    response_shape = RESPONSE
    arn_member = "jobArn"
    inputs = INPUTS
    computed = COMPUTED
    cancellable = frozenset({"QUEUED", "RUNNING"})
    operations: ClassVar[dict[str, str]] = {
        "create": "CreateJob",
        "get": "GetJob",
        "cancel": "CancelJob",
        "tag": "TagResource",
    }

    def _call_create(self, request: dict[str, Any]) -> str:
        return str(self.braket().create_job(**request)["jobArn"])

    def _call_get(self, arn: str) -> dict[str, Any]:
        found: dict[str, Any] = self.braket().get_job(jobArn=arn)
        return found

    def _call_cancel(self, arn: str) -> None:
        self.braket().cancel_job(jobArn=arn)

    def _name(self, props: Mapping[str, Any]) -> str:
        return str(props.get("job_name") or "?")

    def _replacements(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
        return replacements(olds, news)

    def _extra_inputs(self) -> tuple[str, ...]:
        return (SCOPE, ADOPT)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {key: value for key, value in news.items() if not key.startswith("__")}
        extras = (SCOPE, TAGS_ALL, ADOPT)
        request = {key: value for key, value in inputs.items() if key not in extras}
        failures = check_shape(REQUEST, {**request, "client_token": "check"})
        adopt = inputs.get(ADOPT)
        if isinstance(adopt, str):
            failures += [
                CheckFailure(ADOPT, problem.rule)
                for problem in shapes.validate_value("JobArn", adopt)
            ]
        failures += self._check_tags(inputs)
        return CheckResult(inputs, failures)

    def _request(self, props: Mapping[str, Any]) -> dict[str, Any]:
        snake = {key: props[key] for key in INPUTS if props.get(key) is not None}
        snake["tags"] = self._desired_tags(props)
        if not snake["tags"]:
            del snake["tags"]
        snake["client_token"] = "pending"
        problems = shapes.validate(REQUEST, snake, strict=False, snake_case=True)
        if problems:
            detail = "; ".join(str(problem) for problem in problems)
            raise BraketError(
                f"create Braket {KIND} ({self._name(props)}): invalid inputs: {detail}"
            )
        return shapes.to_wire(REQUEST, snake)

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props.get(ADOPT):
            return self._adopt(str(props[ADOPT]), props)
        return super().create(props)

    def _adopt(self, arn: str, props: Mapping[str, Any]) -> CreateResult:
        """Take an existing job under management: its request must be what the program says."""
        try:
            job = self._call_get(arn)
        except (ClientError, BotoCoreError) as error:
            raise self._error("adopt", arn, error, "get") from None
        actual = shapes.from_wire(RESPONSE, job)
        differing = replacements(actual, {key: props.get(key) for key in INPUTS})
        if differing:
            raise BraketError(
                f"adopt Braket {KIND} ({arn}): the program differs from the job in "
                f"{', '.join(differing)}; make them match (aws braket get-job --job-arn {arn})"
            )
        wanted = self._desired_tags(props)
        current = string_map(job.get("tags"))
        try:
            # Only add or correct the program's keys: tags set outside stay.
            self._apply_tags(arn, {k: v for k, v in current.items() if k in wanted}, wanted)
            job = self._call_get(arn)
        except (ClientError, BotoCoreError) as error:
            raise self._error("adopt", arn, error, "tag") from None
        return CreateResult(arn, self._outputs({**props, TAGS_ALL: wanted}, job))


# -- typed inputs ---------------------------------------------------------------------------
# Names and nesting mirror botocore's shapes (a test compares them); constraints are not
# repeated here, they come from the model at check time.


class _ScriptModeConfigRequired(TypedDict):
    entry_point: pulumi.Input[str]
    s3_uri: pulumi.Input[str]


class ScriptModeConfigArgs(_ScriptModeConfigRequired, total=False):
    """Where the algorithm script is and how it is packed."""

    compression_type: pulumi.Input[str]


class ContainerImageArgs(TypedDict):
    """A container image in Amazon ECR."""

    uri: pulumi.Input[str]


class AlgorithmSpecificationArgs(TypedDict, total=False):
    """The script mode configuration, or a container image, that runs the job."""

    script_mode_config: pulumi.Input[ScriptModeConfigArgs]
    container_image: pulumi.Input[ContainerImageArgs]


class S3DataSourceArgs(TypedDict):
    """An S3 location of input data."""

    s3_uri: pulumi.Input[str]


class DataSourceArgs(TypedDict):
    """Where a channel's data comes from."""

    s3_data_source: pulumi.Input[S3DataSourceArgs]


class _InputFileConfigRequired(TypedDict):
    channel_name: pulumi.Input[str]
    data_source: pulumi.Input[DataSourceArgs]


class InputFileConfigArgs(_InputFileConfigRequired, total=False):
    """One input data channel."""

    content_type: pulumi.Input[str]


class _JobOutputDataConfigRequired(TypedDict):
    s3_path: pulumi.Input[str]


class JobOutputDataConfigArgs(_JobOutputDataConfigRequired, total=False):
    """Where the job writes its results."""

    kms_key_id: pulumi.Input[str]


class _JobCheckpointConfigRequired(TypedDict):
    s3_uri: pulumi.Input[str]


class JobCheckpointConfigArgs(_JobCheckpointConfigRequired, total=False):
    """Where checkpoints are kept."""

    local_path: pulumi.Input[str]


class JobStoppingConditionArgs(TypedDict, total=False):
    """When the job is stopped."""

    max_runtime_in_seconds: pulumi.Input[int]


class _InstanceConfigRequired(TypedDict):
    instance_type: pulumi.Input[str]
    volume_size_in_gb: pulumi.Input[int]


class InstanceConfigArgs(_InstanceConfigRequired, total=False):
    """The classical instances that run the job."""

    instance_count: pulumi.Input[int]


class DeviceConfigArgs(TypedDict):
    """The quantum device the job uses."""

    device: pulumi.Input[str]


class AssociationArgs(TypedDict):
    """A Braket resource associated with the job, such as a reservation."""

    arn: pulumi.Input[str]
    type: pulumi.Input[str]


@dataclass
class JobArgs:
    """The inputs of a Job: every create_job member except clientToken, in snake_case."""

    job_name: pulumi.Input[str]
    role_arn: pulumi.Input[str]
    algorithm_specification: pulumi.Input[AlgorithmSpecificationArgs]
    output_data_config: pulumi.Input[JobOutputDataConfigArgs]
    instance_config: pulumi.Input[InstanceConfigArgs]
    device_config: pulumi.Input[DeviceConfigArgs]
    input_data_config: pulumi.Input[list[pulumi.Input[InputFileConfigArgs]]] | None = None
    checkpoint_config: pulumi.Input[JobCheckpointConfigArgs] | None = None
    stopping_condition: pulumi.Input[JobStoppingConditionArgs] | None = None
    hyper_parameters: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    associations: pulumi.Input[list[pulumi.Input[AssociationArgs]]] | None = None

    def props(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class Job(pulumi.dynamic.Resource, module="braket", name="Job"):
    """An Amazon Braket hybrid job.

    Every input but ``tags`` is create-only: changing one replaces the job (the old one is
    cancelled first). Tags update in place. Deleting cancels a QUEUED or RUNNING job and
    waits for it to end; a job that already ended is left as history.
    """

    arn: pulumi.Output[str]
    status: pulumi.Output[str]
    failure_reason: pulumi.Output[str | None]
    created_at: pulumi.Output[str]
    started_at: pulumi.Output[str | None]
    ended_at: pulumi.Output[str | None]
    billable_duration: pulumi.Output[int | None]
    events: pulumi.Output[list[dict[str, Any]]]
    tags_all: pulumi.Output[dict[str, str]]
    job_name: pulumi.Output[str]
    hyper_parameters: pulumi.Output[dict[str, str] | None]
    tags: pulumi.Output[dict[str, str] | None]

    def __init__(
        self,
        resource_name: str,
        args: JobArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        adopt_arn: pulumi.Input[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """Declare a job; ``adopt_arn`` takes an existing job under management instead."""
        props = args.props() if args is not None else dict(kwargs)
        unknown = sorted(set(props) - set(INPUTS))
        if unknown:
            raise TypeError(f"Job {resource_name}: unknown input(s) {', '.join(unknown)}")
        props.update(
            {key: None for key in (*COMPUTED, "arn", TAGS_ALL)},
        )
        props[SCOPE] = f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
        props[ADOPT] = adopt_arn
        defaults = pulumi.ResourceOptions(delete_before_replace=True)
        super().__init__(
            JobProvider(), resource_name, props, pulumi.ResourceOptions.merge(defaults, opts)
        )
