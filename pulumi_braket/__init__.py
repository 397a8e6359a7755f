"""Amazon Braket hybrid jobs, quantum tasks and tags as declarative Pulumi resources."""

# A program imports the resources from here; the native plugin and the resource cores import
# their own modules, which would otherwise run this file and bring the dynamic resources (and
# pulumi.dynamic) into every process that touches the package. So the names below are
# imported when first used.

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from pulumi_braket.lookups import (
        DeviceResult,
        DeviceSummary,
        JobSummary,
        QuantumTaskSummary,
        SearchDevicesFilterArgs,
        SearchJobsFilterArgs,
        SearchQuantumTasksFilterArgs,
        SearchSpendingLimitsFilterArgs,
        SpendingLimitSummary,
        get_device,
        get_device_output,
        search_devices,
        search_devices_output,
        search_jobs,
        search_jobs_output,
        search_quantum_tasks,
        search_quantum_tasks_output,
        search_spending_limits,
        search_spending_limits_output,
    )
    from pulumi_braket.quantum_task import (
        ExperimentalCapabilitiesArgs,
        QuantumTask,
        QuantumTaskArgs,
        QuantumTaskProvider,
        total_estimated_cost,
    )
    from pulumi_braket.resource_tags import ResourceTags, ResourceTagsProvider
    from pulumi_braket.settings import ProviderSettings
    from pulumi_braket.spending_limit import SpendingLimit, SpendingLimitProvider, TimePeriodArgs

_HOMES = {
    "AlgorithmSpecificationArgs": "pulumi_braket.job",
    "AssociationArgs": "pulumi_braket.job",
    "BraketError": "pulumi_braket.errors",
    "ContainerImageArgs": "pulumi_braket.job",
    "DataSourceArgs": "pulumi_braket.job",
    "DeviceConfigArgs": "pulumi_braket.job",
    "DeviceResult": "pulumi_braket.lookups",
    "DeviceSummary": "pulumi_braket.lookups",
    "ExperimentalCapabilitiesArgs": "pulumi_braket.quantum_task",
    "InputFileConfigArgs": "pulumi_braket.job",
    "InstanceConfigArgs": "pulumi_braket.job",
    "Job": "pulumi_braket.job",
    "JobArgs": "pulumi_braket.job",
    "JobCheckpointConfigArgs": "pulumi_braket.job",
    "JobOutputDataConfigArgs": "pulumi_braket.job",
    "JobProvider": "pulumi_braket.job",
    "JobStoppingConditionArgs": "pulumi_braket.job",
    "JobSummary": "pulumi_braket.lookups",
    "ProviderSettings": "pulumi_braket.settings",
    "QuantumTask": "pulumi_braket.quantum_task",
    "QuantumTaskArgs": "pulumi_braket.quantum_task",
    "QuantumTaskProvider": "pulumi_braket.quantum_task",
    "QuantumTaskSummary": "pulumi_braket.lookups",
    "ResourceTags": "pulumi_braket.resource_tags",
    "ResourceTagsProvider": "pulumi_braket.resource_tags",
    "S3DataSourceArgs": "pulumi_braket.job",
    "ScriptModeConfigArgs": "pulumi_braket.job",
    "SearchDevicesFilterArgs": "pulumi_braket.lookups",
    "SearchJobsFilterArgs": "pulumi_braket.lookups",
    "SearchQuantumTasksFilterArgs": "pulumi_braket.lookups",
    "SearchSpendingLimitsFilterArgs": "pulumi_braket.lookups",
    "SpendingLimit": "pulumi_braket.spending_limit",
    "SpendingLimitProvider": "pulumi_braket.spending_limit",
    "SpendingLimitSummary": "pulumi_braket.lookups",
    "TimePeriodArgs": "pulumi_braket.spending_limit",
    "get_device": "pulumi_braket.lookups",
    "get_device_output": "pulumi_braket.lookups",
    "search_devices": "pulumi_braket.lookups",
    "search_devices_output": "pulumi_braket.lookups",
    "search_jobs": "pulumi_braket.lookups",
    "search_jobs_output": "pulumi_braket.lookups",
    "search_quantum_tasks": "pulumi_braket.lookups",
    "search_quantum_tasks_output": "pulumi_braket.lookups",
    "search_spending_limits": "pulumi_braket.lookups",
    "search_spending_limits_output": "pulumi_braket.lookups",
    "total_estimated_cost": "pulumi_braket.quantum_task",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pulumi_braket' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "AlgorithmSpecificationArgs",
    "AssociationArgs",
    "BraketError",
    "ContainerImageArgs",
    "DataSourceArgs",
    "DeviceConfigArgs",
    "DeviceResult",
    "DeviceSummary",
    "ExperimentalCapabilitiesArgs",
    "InputFileConfigArgs",
    "InstanceConfigArgs",
    "Job",
    "JobArgs",
    "JobCheckpointConfigArgs",
    "JobOutputDataConfigArgs",
    "JobProvider",
    "JobStoppingConditionArgs",
    "JobSummary",
    "ProviderSettings",
    "QuantumTask",
    "QuantumTaskArgs",
    "QuantumTaskProvider",
    "QuantumTaskSummary",
    "ResourceTags",
    "ResourceTagsProvider",
    "S3DataSourceArgs",
    "ScriptModeConfigArgs",
    "SearchDevicesFilterArgs",
    "SearchJobsFilterArgs",
    "SearchQuantumTasksFilterArgs",
    "SearchSpendingLimitsFilterArgs",
    "SpendingLimit",
    "SpendingLimitProvider",
    "SpendingLimitSummary",
    "TimePeriodArgs",
    "get_device",
    "get_device_output",
    "search_devices",
    "search_devices_output",
    "search_jobs",
    "search_jobs_output",
    "search_quantum_tasks",
    "search_quantum_tasks_output",
    "search_spending_limits",
    "search_spending_limits_output",
    "total_estimated_cost",
]
