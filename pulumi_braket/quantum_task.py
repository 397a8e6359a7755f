"""The QuantumTask resource as a Python program declares it: arguments, dynamic resource."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

import pulumi

from pulumi_braket import cost
from pulumi_braket.cores.quantum_task import (
    COMPUTED,
    COUNTS,
    INPUTS,
    RESULT_URI,
    QuantumTaskCore,
)
from pulumi_braket.declarations import (
    ESTIMATE,
    QUANTUM_TASK,
    TAGS_ALL,
    WAIT,
)
from pulumi_braket.hosts.dynamic import BraketProvider, BraketResource
from pulumi_braket.job import AssociationArgs


class QuantumTaskProvider(BraketProvider):
    """The dynamic host's QuantumTaskCore; state names this class, so it stays here."""

    core = QuantumTaskCore


# -- typed inputs ---------------------------------------------------------------------------
# Names and nesting mirror botocore's shapes (a test compares them); constraints are not
# repeated here, they come from the model at check time.


class ExperimentalCapabilitiesArgs(TypedDict, total=False):
    """Experimental capabilities to enable for the quantum task."""

    enabled: pulumi.Input[str]


@dataclass
class QuantumTaskArgs:
    """The inputs of a QuantumTask: every create_quantum_task member except clientToken.

    ``action`` is OpenQASM 3 source (wrapped in the ``braket.ir.openqasm.program`` envelope),
    or a Braket IR document with a ``braketSchemaHeader``, as JSON text or a dict.
    ``device_parameters`` is a device-parameters document, as JSON text or a dict.
    """

    device_arn: pulumi.Input[str]
    shots: pulumi.Input[int]
    output_s3_bucket: pulumi.Input[str]
    output_s3_key_prefix: pulumi.Input[str]
    action: pulumi.Input[str | Mapping[str, Any]]
    device_parameters: pulumi.Input[str | Mapping[str, Any]] | None = None
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None
    job_token: pulumi.Input[str] | None = None
    associations: pulumi.Input[list[pulumi.Input[AssociationArgs]]] | None = None
    experimental_capabilities: pulumi.Input[ExperimentalCapabilitiesArgs] | None = None
    # True, or seconds: create returns once the task ended, with its measurement counts;
    # a FAILED task fails the update with its failure reason.
    wait_for_completion: pulumi.Input[bool | float] | None = None

    def props(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class QuantumTask(BraketResource, module="braket", name="QuantumTask"):
    """An Amazon Braket quantum task.

    Every input but ``tags`` is create-only: changing one replaces the task (the old one is
    cancelled first if it has not ended). Tags update in place. Deleting cancels a task
    that is CREATED, QUEUED or RUNNING and waits for it to end; a task that already ended
    is left as history. Adopting a task by ARN cannot recover its action or job token
    (Braket does not report them): the program's values are taken, as long as the action's
    type matches the task's.
    """

    # For type checkers only: at run time the SDK resolves these annotations again for
    # every resource it registers (typing.get_type_hints, about 0.5 ms a Job), and the
    # outputs need no types of theirs; the attributes are set from the props either way.
    if TYPE_CHECKING:
        arn: pulumi.Output[str]
        status: pulumi.Output[str]
        failure_reason: pulumi.Output[str | None]
        output_s3_bucket: pulumi.Output[str]
        output_s3_key_prefix: pulumi.Output[str]
        output_s3_directory: pulumi.Output[str]
        created_at: pulumi.Output[str]
        ended_at: pulumi.Output[str | None]
        num_successful_shots: pulumi.Output[int | None]
        job_arn: pulumi.Output[str | None]
        action_metadata: pulumi.Output[dict[str, Any]]
        tags_all: pulumi.Output[dict[str, str]]
        device_arn: pulumi.Output[str]
        shots: pulumi.Output[int]
        action: pulumi.Output[str]
        device_parameters: pulumi.Output[str | None]
        tags: pulumi.Output[dict[str, str] | None]
        result_uri: pulumi.Output[str | None]
        measurement_counts: pulumi.Output[dict[str, int] | None]
        estimated_cost: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        args: QuantumTaskArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        props = args.props() if args is not None else dict(kwargs)
        unknown = sorted(set(props) - set(INPUTS) - {WAIT})
        if unknown:
            raise TypeError(f"QuantumTask {resource_name}: unknown input(s) {', '.join(unknown)}")
        props.update(
            {key: None for key in (*COMPUTED, "arn", TAGS_ALL, RESULT_URI, COUNTS, ESTIMATE)}
        )
        defaults = pulumi.ResourceOptions(delete_before_replace=True)
        super().__init__(
            QuantumTaskProvider,
            resource_name,
            props,
            pulumi.ResourceOptions.merge(defaults, opts),
            carried=QUANTUM_TASK.carried,
        )


def total_estimated_cost(*tasks: QuantumTask) -> pulumi.Output[str]:
    """The stack's estimated QPU spend: the tasks' ``estimated_cost`` summed, in USD."""
    estimates = [task.estimated_cost for task in tasks]
    return pulumi.Output.all(*estimates).apply(
        lambda found: cost.usd(sum((Decimal(value) for value in found if value), Decimal(0)))
    )
