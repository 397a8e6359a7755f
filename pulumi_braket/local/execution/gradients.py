"""Adjoint-gradient result types answered as SV1 answers them: an expectation and its gradient."""

# The default simulator does not read `#pragma braket result adjoint_gradient ...`: it skips
# the pragma and answers without it. So the pragma is taken apart here, only as far as its
# parts (the expectation's observable, the parameters), and the observable goes back to the
# simulator's own parser as an expectation pragma. The gradient is the central difference of
# that expectation in each parameter, run on the same exact state-vector simulation; step
# 1e-4, so its error is about 1e-9, well under what the SDK's users compare against.

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

STEP = 1e-4
_PRAGMA = re.compile(r"^\s*#pragma\s+braket\s+result\s+adjoint_gradient\s+", re.MULTILINE)


@dataclass(frozen=True)
class Request:
    """One adjoint-gradient result type of a program."""

    source: str  # the program with an expectation pragma in its place
    parameters: list[str]  # the inputs to differentiate by, in the order given
    index: int  # its position among the program's result types


def find(source: str, inputs: Mapping[str, Any]) -> Request | None:
    """The program's adjoint-gradient request, or None if it has none."""
    match = _PRAGMA.search(source)
    if match is None:
        return None
    rest = source[match.end() :]
    line_end = rest.find("\n")
    line = rest if line_end < 0 else rest[:line_end]
    if not line.startswith("expectation(") or line.count("(") != line.count(")"):
        return None
    depth, close = 0, -1
    for position, char in enumerate(line):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and char == ")":
            close = position
            break
    observable = line[len("expectation(") : close]
    named = [name.strip() for name in line[close + 1 :].split(",") if name.strip()]
    parameters = list(inputs) if named in ([], ["all"]) else named
    start = match.start()
    index = len(re.findall(r"^\s*#pragma\s+braket\s+result\s", source[:start], re.MULTILINE))
    replaced = f"#pragma braket result expectation {observable}"
    end = match.end() + (len(line) if line_end < 0 else line_end)
    return Request(source[:start] + replaced + source[end:], parameters, index)


def answer(
    request: Request,
    inputs: Mapping[str, Any],
    expectation: Callable[[str, Mapping[str, Any]], tuple[float, dict[str, Any]]],
) -> dict[str, Any]:
    """The result type as SV1 writes it: its type, and a value of the expectation and the
    gradient by each parameter. ``expectation`` runs a program at some inputs and gives the
    expectation and the expectation result type's own type."""
    value, kind = expectation(request.source, inputs)
    gradient = {}
    for name in request.parameters:
        if name not in inputs:
            raise ValueError(f"adjoint_gradient: parameter {name} is not an input of the program")
        up = {**inputs, name: float(inputs[name]) + STEP}
        down = {**inputs, name: float(inputs[name]) - STEP}
        rise = expectation(request.source, up)[0] - expectation(request.source, down)[0]
        gradient[name] = rise / (2 * STEP)
    return {
        "type": _jaqcd(kind, request.parameters),
        "value": {"expectation": value, "gradient": gradient},
    }


def _jaqcd(expectation: Mapping[str, Any], parameters: list[str]) -> dict[str, Any]:
    """The adjoint-gradient result type in Braket's IR model, from the expectation's: the
    same observable, its targets as one group of the model's nested targets."""
    from braket.ir.gate_model_shared.results import AdjointGradient

    targets = expectation.get("targets")
    model = AdjointGradient(
        observable=expectation["observable"],
        targets=[list(targets)] if targets is not None else None,
        parameters=parameters,
    )
    document: dict[str, Any] = model.dict(exclude_none=True)
    document["type"] = "adjoint_gradient"
    return document
