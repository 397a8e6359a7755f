"""The Job resource: a Braket hybrid job, created once, tagged in place, cancelled on delete."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypedDict

import pulumi
from botocore.exceptions import BotoCoreError, ClientError
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from pulumi_braket import shapes
from pulumi_braket.errors import BraketError, describe, error_code
from pulumi_braket.provider import (
    BraketProvider,
    check_shape,
    has_unknowns,
    normalized,
    string_map,
)
from pulumi_braket.tagging import tag_changes, tag_problems

KIND = "Job"
REQUEST = "CreateJobRequest"
RESPONSE = "GetJobResponse"

# Every create_job member but the client token, as the model names them, in snake_case.
INPUTS: tuple[str, ...] = tuple(
    shapes.snake(name) for name in shapes.members(REQUEST) if name != "clientToken"
)
# What get_job reports beyond the request: status, times, events, failure reason, ...
COMPUTED: tuple[str, ...] = tuple(
    shapes.snake(name)
    for name in shapes.members(RESPONSE)
    if shapes.snake(name) not in INPUTS and name not in ("jobArn", "queueInfo")
)
TERMINAL = frozenset({"COMPLETED", "FAILED", "CANCELLED"})
ACTIVE = frozenset({"QUEUED", "RUNNING"})

# Scope of the deterministic client token: project/stack/resource name, set by Job.
SCOPE = "client_token_scope"
# The ARN of an existing job to take under management instead of creating one. This is the
# adopt path: `ResourceOptions(import_=...)` fails for every Python dynamic resource in the
# engine's Read before our code runs (pulumi/pulumi#16175: KeyError '__provider').
ADOPT = "adopt_arn"
# Desired tags after provider default tags are merged in; what is sent and managed.
TAGS_ALL = "tags_all"
# Set on a job when its resource is deleted, so a later create with the same inputs and
# therefore the same client token starts a new job instead of returning this one.
RELEASED_TAG = "pulumi-braket:released"
MAX_GENERATIONS = 50
# Values Braket fills in when the request leaves them out (the model documents
# instanceCount's default as 1); an old value equal to these is not drift.
SERVICE_DEFAULTS: dict[str, dict[str, Any]] = {"instance_config": {"instance_count": 1}}
# How long delete waits for a cancelled job to reach CANCELLED.
CANCEL_TIMEOUT_SECONDS = 600.0


def client_token(scope: str, request: Mapping[str, Any], generation: int = 0) -> str:
    """A 64-character token from the resource's identity and its create request."""
    body = {key: value for key, value in request.items() if key != "clientToken"}
    material = json.dumps([scope, body, generation], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(material.encode()).hexdigest()


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


class JobProvider(BraketProvider):
    """CRUD for Job through create_job, get_job, tag_resource, untag_resource and cancel_job."""

    def _merged_tags(self, tags: Any) -> dict[str, str]:
        return {**self.settings.tags, **string_map(tags)}

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {key: value for key, value in news.items() if not key.startswith("__")}
        extras = (SCOPE, TAGS_ALL, ADOPT)
        request = {key: value for key, value in inputs.items() if key not in extras}
        failures = check_shape(REQUEST, {**request, "client_token": "check"}, exclude=())
        adopt = inputs.get(ADOPT)
        if isinstance(adopt, str):
            failures += [
                pulumi.dynamic.CheckFailure(ADOPT, problem.rule)
                for problem in shapes.validate_value("JobArn", adopt)
            ]
        tags = inputs.get("tags")
        if not has_unknowns(tags):
            merged = self._merged_tags(tags)
            failures += [
                pulumi.dynamic.CheckFailure(path, rule) for path, rule in tag_problems(merged)
            ]
            inputs[TAGS_ALL] = merged
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        replaces = replacements(olds, news)
        new_tags = news.get(TAGS_ALL)
        tags_changed = has_unknowns(news.get("tags")) or string_map(olds.get(TAGS_ALL)) != (
            string_map(new_tags) if new_tags is not None else self._merged_tags(news.get("tags"))
        )
        return DiffResult(
            changes=bool(replaces) or tags_changed,
            replaces=replaces,
            # A job is a run, not a service: the old one is cancelled before its successor
            # starts, which also keeps replacements inside concurrent-job quotas.
            delete_before_replace=True,
        )

    def _request(self, props: Mapping[str, Any]) -> dict[str, Any]:
        snake = {key: props[key] for key in INPUTS if props.get(key) is not None}
        snake["tags"] = props.get(TAGS_ALL) or self._merged_tags(props.get("tags"))
        if not snake["tags"]:
            del snake["tags"]
        snake["client_token"] = "pending"
        problems = shapes.validate(REQUEST, snake, strict=False, snake_case=True)
        if problems:
            name = props.get("job_name", "?")
            detail = "; ".join(str(problem) for problem in problems)
            raise BraketError(f"create Braket {KIND} ({name}): invalid inputs: {detail}")
        return shapes.to_wire(REQUEST, snake)

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props.get(ADOPT):
            return self._adopt(str(props[ADOPT]), props)
        request = self._request(props)
        name = request["jobName"]
        scope = str(props.get(SCOPE, ""))
        braket = self.braket()
        for generation in range(MAX_GENERATIONS):
            request["clientToken"] = client_token(scope, request, generation)
            try:
                arn = braket.create_job(**request)["jobArn"]
                job = braket.get_job(jobArn=arn)
            except (ClientError, BotoCoreError) as error:
                raise describe(
                    "create",
                    KIND,
                    name,
                    error,
                    operation="CreateJob",
                    role_arn=request.get("roleArn"),
                ) from None
            # A released job belongs to a deleted resource: take the next token.
            if RELEASED_TAG not in (job.get("tags") or {}):
                return CreateResult(arn, self._outputs(props, job))
        raise BraketError(
            f"create Braket {KIND} ({name}): {MAX_GENERATIONS} earlier jobs with these exact "
            "inputs were created and deleted by this stack; change an input to start another"
        )

    def _adopt(self, arn: str, props: Mapping[str, Any]) -> CreateResult:
        """Take an existing job under management: its request must be what the program says."""
        braket = self.braket()
        try:
            job = braket.get_job(jobArn=arn)
        except (ClientError, BotoCoreError) as error:
            raise describe("adopt", KIND, arn, error, operation="GetJob") from None
        actual = shapes.from_wire(RESPONSE, job)
        differing = replacements(actual, {key: props.get(key) for key in INPUTS})
        if differing:
            raise BraketError(
                f"adopt Braket {KIND} ({arn}): the program differs from the job in "
                f"{', '.join(differing)}; make them match (aws braket get-job --job-arn {arn})"
            )
        wanted = string_map(props.get(TAGS_ALL)) or self._merged_tags(props.get("tags"))
        to_set, _ = tag_changes(string_map(job.get("tags")), wanted)
        try:
            if to_set:
                braket.tag_resource(resourceArn=arn, tags=to_set)
                job = braket.get_job(jobArn=arn)
        except (ClientError, BotoCoreError) as error:
            raise describe("adopt", KIND, arn, error, operation="TagResource") from None
        return CreateResult(arn, self._outputs({**props, TAGS_ALL: wanted}, job))

    def _outputs(self, inputs: Mapping[str, Any], job: Mapping[str, Any]) -> dict[str, Any]:
        """Complete outputs: the inputs as given, what the service computed, managed tags."""
        reported = shapes.from_wire(RESPONSE, job)
        outs: dict[str, Any] = {
            key: inputs[key] for key in (*INPUTS, SCOPE, ADOPT) if inputs.get(key) is not None
        }
        outs.update({key: reported[key] for key in COMPUTED if key in reported})
        outs["arn"] = job["jobArn"]
        service_tags = string_map(job.get("tags"))
        managed = inputs.get(TAGS_ALL)
        keys = string_map(managed) if managed is not None else service_tags
        outs[TAGS_ALL] = {key: service_tags[key] for key in keys if key in service_tags}
        return outs

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            job = self.braket().get_job(jobArn=id_)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return ReadResult("", {})
            raise describe("read", KIND, id_, error, operation="GetJob") from None
        except BotoCoreError as error:
            raise describe("read", KIND, id_, error, operation="GetJob") from None
        service_tags = string_map(job.get("tags"))
        service_tags.pop(RELEASED_TAG, None)
        if any(key in props for key in INPUTS):
            inputs = {key: props[key] for key in (*INPUTS, SCOPE, ADOPT) if key in props}
            own = string_map(props.get("tags"))
            if own:
                inputs["tags"] = {key: service_tags[key] for key in own if key in service_tags}
            managed = string_map(props.get(TAGS_ALL)) or own
            inputs[TAGS_ALL] = {key: service_tags[key] for key in managed if key in service_tags}
        else:
            # Adopting a job by ARN: its request is its inputs, and all its tags are ours.
            request = shapes.from_wire(RESPONSE, job)
            inputs = {key: request[key] for key in INPUTS if key in request}
            inputs["tags"] = service_tags
            inputs[TAGS_ALL] = dict(service_tags)
        return ReadResult(id_, self._outputs(inputs, job), inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        new_tags = string_map(news.get(TAGS_ALL)) or self._merged_tags(news.get("tags"))
        to_set, to_remove = tag_changes(string_map(olds.get(TAGS_ALL)), new_tags)
        braket = self.braket()
        try:
            if to_set:
                braket.tag_resource(resourceArn=id_, tags=to_set)
            if to_remove:
                braket.untag_resource(resourceArn=id_, tagKeys=to_remove)
            job = braket.get_job(jobArn=id_)
        except (ClientError, BotoCoreError) as error:
            raise describe("update tags of", KIND, id_, error, operation="TagResource") from None
        return UpdateResult(self._outputs({**news, TAGS_ALL: new_tags}, job))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        braket = self.braket()
        try:
            status = braket.get_job(jobArn=id_)["status"]
            if status in ACTIVE:
                try:
                    braket.cancel_job(jobArn=id_)
                except ClientError as error:
                    # It ended between the read and the cancel: it is history now.
                    if error_code(error) != "ConflictException":
                        raise
            if status not in TERMINAL:
                self._wait_terminal(id_)
            braket.tag_resource(resourceArn=id_, tags={RELEASED_TAG: "true"})
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return
            raise describe("delete", KIND, id_, error, operation="CancelJob") from None
        except BotoCoreError as error:
            raise describe("delete", KIND, id_, error, operation="CancelJob") from None

    def _wait_terminal(self, arn: str) -> str:
        """Poll until the job is terminal; bounded so one job cannot hold a host thread forever."""
        deadline = time.monotonic() + CANCEL_TIMEOUT_SECONDS
        pause = 0.2
        while True:
            status = str(self.braket().get_job(jobArn=arn)["status"])
            if status in TERMINAL:
                return status
            if time.monotonic() + pause > deadline:
                raise BraketError(
                    f"delete Braket {KIND} ({arn}): still {status} after "
                    f"{CANCEL_TIMEOUT_SECONDS:.0f} s of waiting for the cancel to finish; "
                    "run `pulumi destroy` again to keep waiting"
                )
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


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
