"""OpenQASM programs refused at create as Braket refuses them, read by the simulator's parser."""

# The rules and their messages are the developer guide's "Troubleshooting OpenQASM"
# (docs.aws.amazon.com/braket/latest/developerguide/braket-troubleshooting-openqasm.html);
# which of them applies comes from the device's capabilities: its native gates, its
# connectivity, and whether it requires contiguous qubit indices. The program is parsed once,
# by the default simulator's own OpenQASM parser, and only its syntax tree is read here.

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from pulumi_braket.local.service import device_rules
from pulumi_braket.local.service import program_tree as tree
from pulumi_braket.local.service.program_tree import OPENQASM, ProgramRefused

__all__ = ["OPENQASM", "ProgramRefused", "check", "warm"]


_loading: list[threading.Thread] = []


def warm() -> None:
    """Import the parser in the background: it brings the simulator package, over a second,
    which the first create_quantum_task would otherwise wait for."""

    def load() -> None:
        from braket.default_simulator.openqasm.parser.openqasm_parser import parse

        # The parser's first use builds its tables: pay for it here, not in a request.
        parse("OPENQASM 3;\nqubit[1] q;\nh q[0];")

    thread = threading.Thread(target=load, name="braket-local-parser", daemon=True)
    _loading.append(thread)
    thread.start()


def check(source: str, capabilities: Mapping[str, Any]) -> None:
    """Refuse ``source`` as Braket would on a device with ``capabilities``; else return.

    A program the parser cannot read is left to the run, which reports the parser's error.
    """
    # Two threads importing the simulator package at once can see it half made (KeyError
    # 'braket.default_simulator'): wait for the warm-up's import instead of racing it.
    for thread in _loading:
        thread.join()
    from braket.default_simulator.openqasm.parser.openqasm_parser import parse

    try:
        program = parse(source)
    except Exception:
        return
    Rules(source, capabilities).check(program.statements)
    device_rules.check(program.statements, capabilities)


class Rules:
    """One pass over a program's statements, refusing at the first rule it breaks."""

    def __init__(self, source: str, capabilities: Mapping[str, Any]) -> None:
        self.lines = source.splitlines()
        paradigm = capabilities.get("paradigm") or {}
        action = (capabilities.get("action") or {}).get(OPENQASM) or {}
        native = paradigm.get("nativeGateSet")
        self.native = {gate.lower() for gate in native} if native else None
        connectivity = paradigm.get("connectivity") or {}
        graph = connectivity.get("connectivityGraph") or {}
        self.edges: set[frozenset[int]] | None = (
            None
            if connectivity.get("fullyConnected", True) or not graph
            else {frozenset((int(a), int(b))) for a, ends in graph.items() for b in ends}
        )
        self.contiguous = bool(action.get("requiresContiguousQubitIndices"))
        self.registers: dict[str, int | None] = {}
        self.physical = False

    def check(self, statements: list[Any]) -> None:
        from braket.default_simulator.openqasm.parser import openqasm_ast as ast

        for statement in statements:
            line = statement.span.start_line if statement.span else 0
            if isinstance(statement, ast.Include):
                raise ProgramRefused(self._include(statement))
            if isinstance(statement, ast.Pragma):
                command = statement.command.strip()
                if command == "verbatim":
                    raise ProgramRefused("You must include “braket” in the verbatim pragma")
                continue
            if isinstance(statement, ast.QubitDeclaration):
                if self.registers:
                    raise ProgramRefused(
                        f"[line {line}] cannot declare a qubit register. Only 1 qubit register "
                        "is supported."
                    )
                size = statement.size.value if statement.size is not None else None
                self.registers[statement.qubit.name] = size
            if isinstance(statement, ast.Box):
                # Every box is held to the verbatim rules, the pragma or not.
                self._verbatim_box(statement)
            self._qubits(statement, line)
        self._whole(statements)

    # -- the rules --------------------------------------------------------------------------

    def _include(self, statement: Any) -> str:
        """The parser Braket uses has no include: it stops at the file name's quote."""
        line = statement.span.start_line
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        start = statement.span.start_column
        quotes = [i for i in (text.find('"', start), text.find("'", start)) if i >= 0]
        column = min(quotes) if quotes else start + len("include ")
        quote = text[column] if column < len(text) else '"'
        return (
            f"No terminal matches '{quote}' in the current parser context, at line {line} col "
            f"{column + 1}."
        )

    def _verbatim_box(self, box: Any) -> None:
        from braket.default_simulator.openqasm.parser import openqasm_ast as ast

        for node in box.body:
            if not isinstance(node, ast.QuantumGate):
                continue
            if any(not tree.is_physical(qubit) for qubit in node.qubits):
                raise ProgramRefused("Physical qubits are required in verbatim box.")
            name = node.name.name
            if self.native is not None and name.lower() not in self.native:
                raise ProgramRefused(
                    f"In verbatim boxes, native gates are required. {name} is not a device "
                    "native gate."
                )

    def _qubits(self, statement: Any, line: int) -> None:
        """Physical and virtual qubits not mixed, single qubits not indexed, edges present."""
        from braket.default_simulator.openqasm.parser import openqasm_ast as ast

        for node in tree.walk(statement):
            if isinstance(node, ast.Identifier) and node.name.startswith("$"):
                self.physical = True
            if isinstance(node, ast.IndexedIdentifier):
                name = node.name.name
                if name in self.registers and self.registers[name] is None:
                    raise ProgramRefused(f"[line {line}] single qubit cannot be indexed.")
            if isinstance(node, ast.QuantumGate) and self.edges is not None:
                physical = [tree.physical_index(qubit) for qubit in node.qubits]
                if len(physical) == 2 and None not in physical:
                    a, b = physical
                    if frozenset((a, b)) not in self.edges:
                        raise ProgramRefused(f"[line {line}] has disconnected qubits {a} and {b}")
        if self.physical and self.registers:
            raise ProgramRefused(f"[line {line}] mixes physical qubits and qubits registers.")

    def _whole(self, statements: list[Any]) -> None:
        """What only the whole program shows: result types beside measure, contiguity."""
        from braket.default_simulator.openqasm.parser import openqasm_ast as ast

        nodes = [node for statement in statements for node in tree.walk(statement)]
        results = any(
            isinstance(node, ast.Pragma) and node.command.strip().startswith("braket result")
            for node in nodes
        )
        if results and any(isinstance(node, ast.QuantumMeasurement) for node in nodes):
            raise ProgramRefused(
                "Qubits should not be explicitly measured when result types are requested."
            )
        if not self.contiguous:
            return
        uses = [
            node
            for statement in statements
            if not isinstance(statement, ast.QubitDeclaration)
            for node in tree.walk(statement)
        ]
        for name, size in self.registers.items():
            indexed = [n for n in uses if isinstance(n, ast.IndexedIdentifier)]
            inner = {id(n.name) for n in indexed}  # the q of q[0] is no use of all q
            whole = any(
                isinstance(n, ast.Identifier) and n.name == name and id(n) not in inner
                for n in uses
            )
            used = {index for n in indexed if n.name.name == name for index in tree.indices(n)}
            # The register named whole (measure q, h q) uses every qubit of it.
            if whole or not used or size is None:
                continue
            gaps = [index for index in range(max(used)) if index not in used]
            if gaps:
                listed = ", ".join(f"{name}[{index}]" for index in gaps)
                raise ProgramRefused(
                    f"Device requires contiguous qubits. Qubit register {name} has unused "
                    f"qubits {listed}."
                )
