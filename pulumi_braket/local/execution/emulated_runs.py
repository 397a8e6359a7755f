"""Gate-model QPU programs emulated from the device's calibration, alone or in a program set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi_braket.local.execution import gate_runs
from pulumi_braket.local.execution.task_results import (
    TaskFailed,
    human_bytes,
    reason,
    result_document,
    state_bytes,
)

if TYPE_CHECKING:
    from pulumi_braket.local.execution.simulation import Worker


def run(
    worker: Worker, action: dict[str, Any], shots: int, request: Mapping[str, Any]
) -> dict[str, Any]:
    """A gate-model QPU's task: compiled unless verbatim, validated and given noise as
    braket.emulation does for the device, and run on the qubits it uses."""
    from pulumi_braket.local.execution.emulation import provider_metadata, result_metadata

    result, prepared, method = emulate(
        worker, action["source"], action.get("inputs"), shots, request
    )
    document = result_document(result)
    # The program as the task was given it, as Braket's results carry it.
    additional = document.setdefault("additionalMetadata", {})
    additional["action"] = action
    header = worker.emulation(request).properties.braketSchemaHeader.name
    additional.update(provider_metadata(header, prepared))
    document["emulation"] = result_metadata(prepared, method)
    return document


def emulate(
    worker: Worker, source: str, inputs: Any, shots: int, request: Mapping[str, Any]
) -> tuple[Any, Any, str]:
    """(the simulator's result on the program's qubits, the prepared program, the method)."""
    from braket.circuits.serialization import IRType
    from braket.ir.openqasm import Program as OpenQasmProgram

    from pulumi_braket.local.execution.emulation import (
        DENSITY_MATRIX,
        TRAJECTORIES,
        EmulationError,
        is_verbatim,
        relabel,
        run_trajectories,
    )

    # The device's supported operations and qubit count, as for every device, before
    # anything is compiled: compiling would turn an operation it lacks into ones it has.
    program = OpenQasmProgram(source=source, inputs=inputs or {})
    try:
        qubits, operations = gate_runs.inspect(worker.gate["braket_dm"], program)
    except Exception as error:
        raise TaskFailed(f"the program does not parse: {reason(error)}") from None
    checked: Mapping[str, Any] = request
    if is_verbatim(source):
        # A verbatim box holds native gates, which a device need not list among the
        # operations it compiles (Forte Enterprise 1 lists no gpi): they are allowed here,
        # and braket.emulation's passes check the box.
        native = list(worker.emulation(request).properties.paradigm.nativeGateSet)
        supported = [*(request.get("supportedOperations") or []), *native]
        checked = {**request, "supportedOperations": supported}
    gate_runs.check_program(checked, qubits, operations, "braket_dm", memory=False)
    try:
        prepared = worker.emulation(request).prepare(
            source,
            inputs,
            rewire=not request.get("disableQubitRewiring"),
            seed=request.get("seed"),
        )
    except EmulationError as error:
        raise TaskFailed(str(error)) from None
    method = DENSITY_MATRIX
    count = len(prepared.qubits)
    budget = int(request["memoryBudget"])
    if state_bytes("braket_dm", count) > budget:
        # Over budget as a density matrix: sample noisy trajectories rather than drop
        # the noise; a program that does not fit even so fails, naming what it needs.
        method = TRAJECTORIES
        need = state_bytes("braket_sv", count)
        if need > budget:
            raise TaskFailed(
                f"emulating {request['deviceArn']} on qubits "
                f"{', '.join(map(str, prepared.qubits))} needs {human_bytes(need)} for "
                f"{count}-qubit noisy trajectories, over the local service's memory budget "
                f"of {human_bytes(budget)} (setting memory_budget_bytes); noise is never "
                "dropped to make a program fit"
            )
    try:
        if method == DENSITY_MATRIX:
            noisy = prepared.noisy.to_ir(IRType.OPENQASM)
            result = worker.gate["braket_dm"].run(noisy, shots=shots)
        else:
            result = run_trajectories(prepared, shots, request.get("seed"))
    except EmulationError as error:
        raise TaskFailed(str(error)) from None
    except Exception as error:
        raise TaskFailed(reason(error)) from None
    relabel(result, prepared)
    return result, prepared, method


def program_of_set(
    worker: Worker, program: Any, executables: int, shots: int, request: Mapping[str, Any]
) -> tuple[Any, Any]:
    """One program of a set on a QPU: each executable (input set) emulated, as a
    ProgramResult and its metadata; TaskFailed if any cannot run."""
    from braket.task_result import ProgramResult
    from braket.task_result.program_set_executable_result_v1 import (
        ProgramSetExecutableResult,
        ProgramSetExecutableResultMetadata,
    )
    from braket.task_result.program_set_task_metadata_v1 import ProgramMetadata

    results = []
    for index in range(executables):
        inputs = {
            key: value[index] if isinstance(value, list) else value
            for key, value in (program.inputs or {}).items()
        }
        result, _, _ = emulate(worker, program.source, inputs, shots, request)
        results.append(
            ProgramSetExecutableResult.construct(
                braketSchemaHeader={
                    "name": "braket.task_result.program_set_executable_result",
                    "version": "1",
                },
                inputsIndex=index,
                measurements=[[int(bit) for bit in shot] for shot in result.measurements],
                measuredQubits=list(result.measuredQubits),
            )
        )
    from braket.task_result import AdditionalMetadata

    program_result = ProgramResult.construct(
        braketSchemaHeader={"name": "braket.task_result.program_result", "version": "1"},
        executableResults=results,
        source=program,
        additionalMetadata=AdditionalMetadata.construct(),
    )
    meta = ProgramMetadata.construct(
        executables=[ProgramSetExecutableResultMetadata.construct() for _ in range(executables)]
    )
    return program_result, meta
