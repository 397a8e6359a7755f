"""Amazon Braket hybrid jobs, quantum tasks and tags as declarative Pulumi resources."""

from pulumi_braket.errors import BraketError
from pulumi_braket.job import (
    AlgorithmSpecificationArgs,
    AssociationArgs,
    ContainerImageArgs,
    DataSourceArgs,
    DeviceConfigArgs,
    InputFileConfigArgs,
    InstanceConfigArgs,
    Job,
    JobArgs,
    JobCheckpointConfigArgs,
    JobOutputDataConfigArgs,
    JobProvider,
    JobStoppingConditionArgs,
    S3DataSourceArgs,
    ScriptModeConfigArgs,
)
from pulumi_braket.resource_tags import ResourceTags, ResourceTagsProvider
from pulumi_braket.settings import ProviderSettings

__all__ = [
    "AlgorithmSpecificationArgs",
    "AssociationArgs",
    "BraketError",
    "ContainerImageArgs",
    "DataSourceArgs",
    "DeviceConfigArgs",
    "InputFileConfigArgs",
    "InstanceConfigArgs",
    "Job",
    "JobArgs",
    "JobCheckpointConfigArgs",
    "JobOutputDataConfigArgs",
    "JobProvider",
    "JobStoppingConditionArgs",
    "ProviderSettings",
    "ResourceTags",
    "ResourceTagsProvider",
    "S3DataSourceArgs",
    "ScriptModeConfigArgs",
]
