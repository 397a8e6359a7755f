"""Gate-model programs (OpenQASM and JAQCD) on the Braket simulators, adjoint gradients included."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from pulumi_braket.local.execution import gradients
from pulumi_braket.local.execution.task_results import (
    OPENQASM,
    TaskFailed,
    encode,
    human_bytes,
    reason,
    result_document,
    state_bytes,
)


def run(
    sim: Any,
    action: dict[str, Any],
    name: str,
    simulator: str,
    shots: int,
    request: Mapping[str, Any],
) -> dict[str, Any]:
    """The results.json document of an OpenQASM or JAQCD program on ``sim``, held to the
    device's limits and the memory budget first."""
    from braket.ir.jaqcd import Program as JaqcdProgram
    from braket.ir.openqasm import Program as OpenQasmProgram

    try:
        if name == OPENQASM:
            program: Any = OpenQasmProgram.parse_obj(action)
            qubits, operations = inspect(sim, program)
        else:
            program = JaqcdProgram.parse_obj(action)
            qubits = _jaqcd_qubits(program)
            operations = [
                str(getattr(op, "type", type(op).__name__)) for op in program.instructions
            ]
    except TaskFailed:
        raise
    except Exception as error:
        raise TaskFailed(f"the program does not parse: {reason(error)}") from None
    check_program(request, qubits, operations, simulator)
    wanted = gradients.find(program.source, program.inputs or {}) if name == OPENQASM else None
    if wanted is not None:
        return _adjoint_gradient(sim, program, wanted, shots)
    try:
        if name == OPENQASM:
            result = sim.run(program, shots=shots)
        else:
            result = sim.run(program, qubits, shots=shots)
    except Exception as error:
        raise TaskFailed(reason(error)) from None
    return result_document(result)


def _adjoint_gradient(sim: Any, program: Any, wanted: Any, shots: int) -> dict[str, Any]:
    """A program with an adjoint-gradient result type, answered as SV1 answers it."""
    from braket.ir.openqasm import Program as OpenQasmProgram

    if shots:
        raise TaskFailed("adjoint_gradient result types need shots=0 (an exact result)")
    runs: list[Any] = []

    def expectation(source: str, inputs: Mapping[str, Any]) -> tuple[float, dict[str, Any]]:
        ran = sim.run(OpenQasmProgram(source=source, inputs=dict(inputs)), shots=0)
        runs.append(ran)
        kind = encode(ran.resultTypes[wanted.index].type.dict(exclude_none=True))
        return float(ran.resultTypes[wanted.index].value), kind

    inputs = dict(program.inputs or {})
    try:
        answered = gradients.answer(wanted, inputs, expectation)
    except Exception as error:
        raise TaskFailed(reason(error)) from None
    document = result_document(runs[0])
    document["resultTypes"][wanted.index] = answered
    # The program as it was given, with its adjoint-gradient pragma.
    document.setdefault("additionalMetadata", {})["action"] = json.loads(program.json())
    return document


def inspect(sim: Any, program: Any) -> tuple[int, list[str]]:
    """(qubits, operation names) of an OpenQASM program, from the simulator's own parser."""
    circuit = sim.parse_program(program).circuit
    qubits = len(circuit.qubit_set) if circuit.qubit_set else circuit.num_qubits
    # Noise comes as pragmas, which devices govern separately from their gates.
    operations = [
        _operation_name(op)
        for op in circuit.instructions
        if not type(op).__module__.endswith("noise_operations")
    ]
    return qubits, operations


@functools.cache
def _gate_names() -> dict[type, str]:
    from braket.default_simulator.gate_operations import BRAKET_GATES

    return {cls: name for name, cls in BRAKET_GATES.items()}


def _operation_name(operation: Any) -> str:
    """The Braket name of a simulator operation (CX is cnot), as devices list them."""
    return str(_gate_names().get(type(operation), type(operation).__name__))


def _jaqcd_qubits(program: Any) -> int:
    seen: set[int] = set()
    for instruction in program.instructions:
        for member in ("target", "control"):
            value = getattr(instruction, member, None)
            if isinstance(value, int):
                seen.add(value)
        for member in ("targets", "controls"):
            seen.update(getattr(instruction, member, None) or [])
    return len(seen)


def check_program(
    request: Mapping[str, Any],
    qubits: int,
    operations: list[str],
    simulator: str,
    *,
    memory: bool = True,
) -> None:
    """The device's limits and the service's memory budget, before any state is allocated
    (an emulated program's budget is checked on the qubits it compiles to instead)."""
    device_qubits = request.get("deviceQubits")
    if device_qubits is not None and qubits > int(device_qubits):
        raise TaskFailed(
            f"the program uses {qubits} qubits; {request['deviceArn']} has {device_qubits}"
        )
    supported = request.get("supportedOperations")
    if supported is not None:
        allowed = {op.lower().replace("_", "") for op in supported}
        unsupported = sorted(
            {op for op in operations if op.lower().replace("_", "") not in allowed}
        )
        if unsupported:
            raise TaskFailed(
                f"{request['deviceArn']} does not support the operation(s) {', '.join(unsupported)}"
            )
    need = state_bytes(simulator, qubits)
    budget = int(request["memoryBudget"])
    if memory and need > budget:
        kind = "density matrix" if simulator == "braket_dm" else "state vector"
        raise TaskFailed(
            f"a {qubits}-qubit {kind} needs {human_bytes(need)}, over the local service's memory "
            f"budget of {human_bytes(budget)} (setting memory_budget_bytes)"
        )
