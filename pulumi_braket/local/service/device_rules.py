"""OpenQASM programs held at create to the rules a device's capabilities state."""

# Which rule comes from where:
# - the qubit count, operations, modifiers, partial measurement and shots messages are the
#   service's own, as users have reported them (amazon-braket-sdk-python issues 616, 683 and
#   1317, its integration test test_measure.py::test_unsupported_devices, and metriq-gym
#   issues 781 and 794);
# - an unsupported result type or observable takes the words of the SDK's own emulator
#   (braket.emulation's ResultTypeValidator), Braket's being unpublished;
# - a forbidden pragma is the capability's own definition ("pragmas that will raise an error
#   when sent to the device"); no text of Braket's is published, so the words are ours.
# Pragmas a device neither supports nor forbids are ignored, as the schema describes them.

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi_braket.local.service import program_tree as tree
from pulumi_braket.local.service.program_tree import OPENQASM, ProgramRefused

# The result types as OpenQASM names them, and as device capabilities do.
RESULT_TYPES = {
    "adjoint_gradient": "AdjointGradient",
    "amplitude": "Amplitude",
    "density_matrix": "DensityMatrix",
    "expectation": "Expectation",
    "probability": "Probability",
    "sample": "Sample",
    "state_vector": "StateVector",
    "variance": "Variance",
}
# "Managed simulators and QPUs are limited to 15 qubits maximum" (the guide's "List of result
# types"); the message is the service's, as openqaoa issue 324 shows it.
PROBABILITY_MOST = 15
QUBIT = re.compile(r"\$\d+|\b[A-Za-z_]\w*\s*\[\s*\d+\s*\]")
OBSERVABLE = re.compile(r"(?<![\w$])(x|y|z|h|i|hermitian)\s*\(")


def check(statements: list[Any], capabilities: Mapping[str, Any]) -> None:
    """Refuse the first rule of the device's capabilities that the program breaks."""
    action = (capabilities.get("action") or {}).get(OPENQASM)
    if not action:
        return
    qubits = (capabilities.get("paradigm") or {}).get("qubitCount")
    nodes = [node for statement in statements for node in tree.walk(statement)]
    used = _qubits_used(statements, nodes)
    if qubits is not None and used > int(qubits):
        raise ProgramRefused(
            f"Used {used} qubits, which is more than the device qubit count of {qubits}"
        )
    _pragmas(nodes, action, used)
    _operations(statements, action)
    if action.get("requiresAllQubitsMeasurement"):
        _all_measured(statements, nodes)


def pragma_name(command: str) -> str | None:
    """The capability name of a Braket pragma: braket_noise_bit_flip, braket_unitary_matrix,
    braket_result_type_expectation, verbatim; None for a pragma of no such form."""
    words = command.replace("(", " ").split()
    if words[:1] != ["braket"] or len(words) < 2:
        return None
    if words[1] == "verbatim":
        return "verbatim"
    if words[1] == "unitary":
        return "braket_unitary_matrix"
    if words[1] == "noise" and len(words) > 2:
        return f"braket_noise_{words[2]}"
    if words[1] == "result" and len(words) > 2:
        return f"braket_result_type_{words[2]}"
    return None


# -- the rules ---------------------------------------------------------------------------------


def _qubits_used(statements: list[Any], nodes: list[Any]) -> int:
    """The qubits a program declares, or the physical qubits it names."""
    declared = sum(tree.registers(statements).values())
    physical = {tree.physical_index(node) for node in nodes if tree.is_physical(node)}
    return declared + len(physical)


def _pragmas(nodes: list[Any], action: Mapping[str, Any], used: int) -> None:
    from braket.default_simulator.openqasm.parser import openqasm_ast as ast

    forbidden = set(action.get("forbiddenPragmas") or [])
    supported = {
        entry["name"]: [o.lower() for o in entry.get("observables") or []]
        for entry in action.get("supportedResultTypes") or []
    }
    for node in nodes:
        if not isinstance(node, ast.Pragma):
            continue
        line = tree.line_of(node)
        name = pragma_name(node.command.strip())
        if name is None or not name.startswith("braket_result_type_"):
            if name in forbidden:
                raise ProgramRefused(
                    f"[line {line}] uses the pragma '{node.command.strip()}', which the device "
                    f"forbids ({name})"
                )
            continue
        kind = RESULT_TYPES.get(name.removeprefix("braket_result_type_"))
        if kind is None or kind not in supported:
            shown = kind or name.removeprefix("braket_result_type_")
            raise ProgramRefused(
                f"The result type {shown} is not a supported result type for this device. "
                "Check the device documentation for a list of supported result types."
            )
        if kind == "Probability" and _probability_qubits(node.command, used) > PROBABILITY_MOST:
            raise ProgramRefused(
                f"Probability result type must be used with {PROBABILITY_MOST} or fewer qubits."
            )
        allowed = supported[kind]
        if not allowed:
            continue
        for observable in OBSERVABLE.findall(node.command):
            if observable.lower() not in allowed:
                raise ProgramRefused(
                    f"Observable {observable.lower()} is not supported for result type {kind} "
                    f"on this device. Supported observables are: {allowed}."
                )


def _probability_qubits(command: str, used: int) -> int:
    """The qubits a probability result names, or all of the program's."""
    targets = command.split("probability", 1)[1]
    named = QUBIT.findall(targets)
    return len(named) if named and "all" not in targets.split() else used


def _operations(statements: list[Any], action: Mapping[str, Any]) -> None:
    """Gates, modifiers, barrier and reset against what the device lists. A verbatim box is
    held to the native gates instead (the guide's rules), and a gate the program defines is
    held to what its body uses."""
    from braket.default_simulator.openqasm.parser import openqasm_ast as ast

    supported = {op.lower() for op in action.get("supportedOperations") or []}
    modifiers = {m["name"] for m in action.get("supportedModifiers") or [] if "name" in m}
    defined = {
        node.name.name
        for statement in statements
        for node in tree.walk(statement)
        if isinstance(node, ast.QuantumGateDefinition | ast.CalibrationDefinition)
    }
    for statement in statements:
        for node in tree.walk(statement, prune=ast.Box):
            _operation(node, supported, modifiers, defined)


def _operation(node: Any, supported: set[str], modifiers: set[str], defined: set[str]) -> None:
    from braket.default_simulator.openqasm.parser import openqasm_ast as ast

    line = tree.line_of(node)
    if isinstance(node, ast.QuantumGate | ast.QuantumPhase):
        name = node.name.name if isinstance(node, ast.QuantumGate) else "gphase"
        for modifier in node.modifiers:
            word = modifier.modifier.name
            if word not in modifiers:
                raise ProgramRefused(f"[line {line}] uses an unsupported GateModifer: '{word}'")
        if name not in defined and name.lower() not in supported:
            raise ProgramRefused(
                f"[line {line}] uses a gate: {name} which is not supported by the device or "
                "defined via a defcal"
            )
    for kind, word in ((ast.QuantumBarrier, "barrier"), (ast.QuantumReset, "reset")):
        if isinstance(node, kind) and word not in supported:
            raise ProgramRefused(f"[line {line}] Uses '{word}' which is not supported on device")


def _all_measured(statements: list[Any], nodes: list[Any]) -> None:
    """A device that requires every qubit measured refuses a program that measures some."""
    from braket.default_simulator.openqasm.parser import openqasm_ast as ast

    measures = [node.qubit for node in nodes if isinstance(node, ast.QuantumMeasurement)]
    if not measures:
        return  # Braket measures every qubit of a program that measures none
    qubits = {
        (name, index) for name, size in tree.registers(statements).items() for index in range(size)
    }
    qubits.update(("$", tree.physical_index(n) or 0) for n in nodes if tree.is_physical(n))
    measured: set[tuple[str, int]] = set()
    for target in measures:
        if isinstance(target, ast.IndexedIdentifier):
            named = tree.every_index(target)
            if named is None:
                return  # an index the program computes: leave it to the run
            measured.update((target.name.name, index) for index in named)
        elif tree.is_physical(target):
            measured.add(("$", tree.physical_index(target) or 0))
        else:
            measured.update(q for q in qubits if q[0] == target.name)
    if qubits - measured:
        raise ProgramRefused(
            "Device requires all qubits in the program to be measured. This may be caused by "
            "declaring non-contiguous qubits or measuring partial qubits"
        )
