"""Program sets: every program once per input set, each executable succeeding or failing alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pulumi_braket.local.execution import emulated_runs, gate_runs
from pulumi_braket.local.execution.task_results import SetFailed, TaskFailed, encode, now, reason

if TYPE_CHECKING:
    from pulumi_braket.local.execution.simulation import Worker


def run(
    worker: Worker, action: dict[str, Any], simulator: str, shots: int, request: Mapping[str, Any]
) -> dict[str, Any]:
    """Every program of the set, shots split evenly among the executables, in the
    program-set result schema; a program the device cannot run fails its executables,
    and the others still run, as each executable of a set succeeds or fails alone."""
    from braket.ir.openqasm import ProgramSet
    from braket.task_result import ProgramSetTaskMetadata, ProgramSetTaskResult
    from braket.task_result.program_set_task_metadata_v1 import ProgramMetadata

    sim = worker.gate[simulator]
    try:
        program_set = ProgramSet.parse_obj(action)
    except Exception as error:
        raise TaskFailed(f"the program set does not parse: {reason(error)}") from None
    per_executable = shots // int(program_set.num_executables)
    created = now()
    results: list[Any] = []
    metadata: list[Any] = []
    failures: list[str] = []
    for index, program in enumerate(program_set.programs):
        executables = _executables(program)
        problem = _program_problem(sim, program, request, simulator)
        if problem is None and request.get("emulate"):
            try:
                result, meta = emulated_runs.program_of_set(
                    worker, program, executables, per_executable, request
                )
                results.append(result)
                metadata.append(meta)
                continue
            except TaskFailed as error:
                problem = str(error)
        if problem is None:
            try:
                ran = sim.run_program_set(
                    ProgramSet(programs=[program]), shots=per_executable * executables
                )
                results.append(ran.programResults[0])
                metadata.append(ran.taskMetadata.programMetadata[0])
                continue
            except Exception as error:
                problem = reason(error)
        failures.extend([f"program {index}: {problem}"] * executables)
        result, meta = _failed_program(program, executables, f"program {index}: {problem}")
        results.append(result)
        metadata.append(ProgramMetadata(executables=meta))
    total = int(program_set.num_executables)
    document = ProgramSetTaskResult.construct(
        programResults=results,
        taskMetadata=ProgramSetTaskMetadata.construct(
            id=request["taskArn"],
            deviceId=request["deviceArn"],
            requestedShots=shots,
            successfulShots=per_executable * (total - len(failures)),
            programMetadata=metadata,
            createdAt=created,
            endedAt=now(),
            status="FAILED" if failures else "COMPLETED",
            totalFailedExecutables=len(failures),
        ),
    )
    encoded: dict[str, Any] = encode(document.dict(exclude_none=True))
    encoded["taskMetadata"]["localEmulation"] = {
        "simulator": simulator,
        "note": request["note"],
    }
    if failures:
        raise SetFailed(
            f"{len(failures)} of {total} executables failed; the first: {failures[0]}",
            encoded,
        )
    return encoded


def _executables(program: Any) -> int:
    """How many executables a program of a set makes: one per input set, else one."""
    inputs = program.inputs or {}
    lengths = {len(value) for value in inputs.values() if isinstance(value, list)}
    return max(lengths) if lengths else 1


def _program_problem(
    sim: Any, program: Any, request: Mapping[str, Any], simulator: str
) -> str | None:
    """Why the device cannot run a program of a set (its first executable), or None."""
    inputs = {k: v[0] if isinstance(v, list) else v for k, v in (program.inputs or {}).items()}
    try:
        qubits, operations = gate_runs.inspect(sim, program.copy(update={"inputs": inputs}))
    except Exception as error:
        return f"the program does not parse: {reason(error)}"
    try:
        # An emulated program's budget is checked on the qubits it compiles to, where the
        # trajectory method can still take it.
        memory = not request.get("emulate")
        gate_runs.check_program(request, qubits, operations, simulator, memory=memory)
    except TaskFailed as error:
        return str(error)
    return None


def _failed_program(program: Any, executables: int, reason: str) -> tuple[Any, list[Any]]:
    """A program of a set whose every executable failed: its result and their metadata."""
    from braket.task_result import AdditionalMetadata, ProgramResult
    from braket.task_result.program_set_executable_failure_v1 import (
        FailureCategory,
        ProgramSetExecutableFailure,
        ProgramSetExecutableFailureMetadata,
    )

    failure = ProgramSetExecutableFailureMetadata(
        failureReason=reason, retryable=False, category=FailureCategory.COMPILATION
    )
    result = ProgramResult.construct(
        executableResults=[
            ProgramSetExecutableFailure(inputsIndex=index, failureMetadata=failure)
            for index in range(executables)
        ],
        source=program,
        additionalMetadata=AdditionalMetadata(),
    )
    return result, [failure] * executables
