"""The Job resource as a Python program declares it: typed arguments, the dynamic resource."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypedDict

import pulumi

from pulumi_braket import source
from pulumi_braket.cores.job import COMPUTED, INPUTS, RESULT, RESULTS, USER_EXTRAS, JobCore
from pulumi_braket.declarations import (
    ADOPT,
    JOB,
    TAGS_ALL,
)
from pulumi_braket.defaults import (
    INPUT_DATA,
    SOURCE,
)
from pulumi_braket.hosts.dynamic import BraketProvider, BraketResource


class JobProvider(BraketProvider):
    """The dynamic host's JobCore; state names this class, so it stays here."""

    core = JobCore


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
    """The inputs of a Job: every create_job member except clientToken, in snake_case, plus
    the Braket SDK's conveniences (``source``, ``entry_point``, ``device``, ...).

    Left out, a member is filled with the Braket SDK's default, shown in `pulumi preview`:
    ``job_name`` from the resource name, ``role_arn`` from BRAKET_JOBS_ROLE_ARN or IAM, the
    image, the default bucket's S3 locations, the instance and the maximum runtime.
    """

    job_name: pulumi.Input[str] | None = None
    role_arn: pulumi.Input[str] | None = None
    algorithm_specification: pulumi.Input[AlgorithmSpecificationArgs] | None = None
    output_data_config: pulumi.Input[JobOutputDataConfigArgs] | None = None
    instance_config: pulumi.Input[InstanceConfigArgs] | None = None
    device_config: pulumi.Input[DeviceConfigArgs] | None = None
    input_data_config: pulumi.Input[list[pulumi.Input[InputFileConfigArgs]]] | None = None
    checkpoint_config: pulumi.Input[JobCheckpointConfigArgs] | None = None
    stopping_condition: pulumi.Input[JobStoppingConditionArgs] | None = None
    hyper_parameters: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    associations: pulumi.Input[list[pulumi.Input[AssociationArgs]]] | None = None
    # A local directory or file (path, FileArchive or FileAsset), packed deterministically
    # and stored in S3 by content; it becomes algorithm_specification.script_mode_config.
    source: pulumi.Input[Any] | None = None
    # The SDK's `module.path:function` form; default: the source's name.
    entry_point: pulumi.Input[str] | None = None
    # An S3 prefix for the packed source instead of the default bucket's jobs/{name}/script.
    code_location: pulumi.Input[str] | None = None
    # Channel name -> S3 URI, or local path stored by content; becomes input_data_config.
    input_data: pulumi.Input[Mapping[str, pulumi.Input[Any]]] | None = None
    # A device ARN or short name (sv1, dm1, tn1, ionq/forte-1, ...); becomes device_config.
    device: pulumi.Input[str] | None = None
    # The Braket image for the default container: base, pytorch, tensorflow or cudaq.
    framework: pulumi.Input[str] | None = None
    # Pin the Braket image by its sha256 digest instead of :latest.
    image_digest: pulumi.Input[str] | None = None
    # True, or seconds: create returns once the job ended, streaming its progress; a FAILED
    # job fails the update with its failure reason.
    wait_for_completion: pulumi.Input[bool | float] | None = None

    def props(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# Go's time.ParseDuration units, as Pulumi's custom timeouts are written ("10m", "1h30m").
def source_path(value: Any) -> Any:
    """A source as the path text the provider packs: assets and archives are local files."""
    if value is None:
        return None
    if isinstance(value, pulumi.Output):
        return value.apply(source.local_path)
    return source.local_path(value)


class Job(BraketResource, module="braket", name="Job"):
    """An Amazon Braket hybrid job.

    Every input but ``tags`` is create-only: changing one replaces the job (the old one is
    cancelled first). Tags update in place. Deleting cancels a QUEUED or RUNNING job and
    waits for it to end; a job that already ended is left as history.

    ``source`` packs a local directory or file as the Braket SDK does, reproducibly, and
    stores it in S3 under its content digest: changed code replaces the job, an untouched
    tree changes nothing. Members left out get the SDK's defaults, shown in the preview.
    Pulumi's ``custom_timeouts`` bound ``wait_for_completion`` (create) and the wait for a
    cancel (delete).
    """

    # For type checkers only: at run time the SDK resolves these annotations again for
    # every resource it registers (typing.get_type_hints, about 0.5 ms a Job), and the
    # outputs need no types of theirs; the attributes are set from the props either way.
    if TYPE_CHECKING:
        arn: pulumi.Output[str]
        status: pulumi.Output[str]
        failure_reason: pulumi.Output[str | None]
        created_at: pulumi.Output[str]
        started_at: pulumi.Output[str | None]
        ended_at: pulumi.Output[str | None]
        billable_duration: pulumi.Output[int | None]
        tags_all: pulumi.Output[dict[str, str]]
        job_name: pulumi.Output[str]
        role_arn: pulumi.Output[str]
        algorithm_specification: pulumi.Output[dict[str, Any]]
        output_data_config: pulumi.Output[dict[str, Any]]
        checkpoint_config: pulumi.Output[dict[str, Any] | None]
        instance_config: pulumi.Output[dict[str, Any]]
        device_config: pulumi.Output[dict[str, str]]
        input_data_config: pulumi.Output[list[dict[str, Any]] | None]
        hyper_parameters: pulumi.Output[dict[str, str] | None]
        tags: pulumi.Output[dict[str, str] | None]
        results_uri: pulumi.Output[str | None]
        result: pulumi.Output[Any]

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
        unknown = sorted(set(props) - set(INPUTS) - set(USER_EXTRAS))
        if unknown:
            raise TypeError(f"Job {resource_name}: unknown input(s) {', '.join(unknown)}")
        for key in INPUTS:
            # Every request member becomes an output attribute, defaults filled by check
            # included. Only these: each declared output costs the SDK's event loop work
            # per resource, which shows in `pulumi up` of hundreds of jobs.
            props.setdefault(key, None)
        props[SOURCE] = source_path(props.get(SOURCE))
        if isinstance(props.get(INPUT_DATA), Mapping):
            props[INPUT_DATA] = {
                channel: location
                if isinstance(location, str | pulumi.Output)
                else source_path(location)
                for channel, location in props[INPUT_DATA].items()
            }
        props.update({key: None for key in (*COMPUTED, "arn", TAGS_ALL, RESULTS, RESULT)})
        if adopt_arn is not None:
            props[ADOPT] = adopt_arn
        defaults = pulumi.ResourceOptions(delete_before_replace=True)
        super().__init__(
            JobProvider,
            resource_name,
            props,
            pulumi.ResourceOptions.merge(defaults, opts),
            carried=JOB.carried,
        )
