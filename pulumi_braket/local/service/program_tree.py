"""Reading the default simulator's OpenQASM syntax tree: nodes, physical qubits, indices."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

OPENQASM = "braket.ir.openqasm.program"


class ProgramRefused(Exception):
    """The program breaks a rule Braket checks at create; the message is Braket's."""


def walk(node: Any, prune: type | tuple[type, ...] = ()) -> Iterator[Any]:
    """Every syntax-tree node under ``node``, itself included, in order; a node of a
    ``prune`` type is left out with all under it."""
    if prune and isinstance(node, prune):
        return
    yield node
    if dataclasses.is_dataclass(node):
        for field in dataclasses.fields(node):
            if field.name in ("span", "annotations"):
                continue
            yield from _walk_value(getattr(node, field.name), prune)


def _walk_value(value: Any, prune: type | tuple[type, ...]) -> Iterator[Any]:
    if isinstance(value, list):
        for item in value:
            yield from _walk_value(item, prune)
    elif dataclasses.is_dataclass(value):
        yield from walk(value, prune)


def is_physical(qubit: Any) -> bool:
    return physical_index(qubit) is not None


def physical_index(qubit: Any) -> int | None:
    name = getattr(qubit, "name", None)
    if isinstance(name, str) and name.startswith("$") and name[1:].isdigit():
        return int(name[1:])
    return None


def indices(node: Any) -> list[int]:
    """The integer indices of an indexed identifier (q[0], q[1, 2]); ranges are left out."""
    found = []
    for group in node.indices:
        for item in group if isinstance(group, list) else [group]:
            value = _integer(item)
            if value is not None:
                found.append(value)
    return found


def every_index(node: Any) -> list[int] | None:
    """Every index an indexed identifier names, ranges (inclusive, as OpenQASM has them)
    expanded; None if any is not a literal the program states."""
    from braket.default_simulator.openqasm.parser import openqasm_ast as ast

    found: list[int] = []
    for group in node.indices:
        for item in group if isinstance(group, list) else [group]:
            if isinstance(item, ast.RangeDefinition):
                start, end = _integer(item.start), _integer(item.end)
                step = 1 if item.step is None else _integer(item.step)
                if start is None or end is None or not step:
                    return None
                found.extend(range(start, end + (1 if step > 0 else -1), step))
                continue
            value = _integer(item)
            if value is None:
                return None
            found.append(value)
    return found


def registers(statements: list[Any]) -> dict[str, int]:
    """Each qubit register a program declares, by name, with its size (one for ``qubit q``)."""
    from braket.default_simulator.openqasm.parser import openqasm_ast as ast

    found: dict[str, int] = {}
    for statement in statements:
        if isinstance(statement, ast.QubitDeclaration):
            size = getattr(statement.size, "value", None)
            found[statement.qubit.name] = size if isinstance(size, int) else 1
    return found


def line_of(node: Any) -> int:
    span = getattr(node, "span", None)
    return span.start_line if span else 0


def _integer(node: Any) -> int | None:
    value = getattr(node, "value", None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
