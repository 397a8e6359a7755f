"""Analog programs within the memory budget: independent atom clusters simulated apart."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_braket.local.execution.task_results import TaskFailed, human_bytes, reason, state_bytes

# Braket's "Parallel tasks on Aquila" example places copies of a program 3 x d apart, d the
# nearest-neighbour distance within a copy, so that the Rydberg interaction between copies
# (C6/r^6) is at most 1/3^6 of the strongest within one: independent. The same bound splits
# a register here.
SEPARATION = 3.0
STEPS = 100


@dataclass(frozen=True)
class Plan:
    """How an analog program is simulated: its filled atoms in clusters (site indices)."""

    clusters: list[list[int]]
    bytes_needed: int  # the largest cluster's, the one that must fit

    @property
    def largest(self) -> list[int]:
        return max(self.clusters, key=len)


def memory_bytes(atoms: int, steps: int = STEPS) -> int:
    """What the Rydberg-atom simulator holds for ``atoms`` atoms: the state (2ⁿ amplitudes) at
    each of its ``steps`` time points, and a sparse Hamiltonian with about n entries a row."""
    states = state_bytes("braket_sv", atoms) * (steps + 2)
    hamiltonian: int = 2**atoms * 24 * max(atoms, 1)
    return states + hamiltonian


def plan(sites: Sequence[Sequence[float]], filling: Sequence[int], steps: int = STEPS) -> Plan:
    """The filled atoms grouped into clusters whose members are closer than SEPARATION times
    the register's nearest-neighbour distance to one of their own; none across clusters."""
    filled = [index for index, full in enumerate(filling) if full]
    if len(filled) < 2:
        return Plan([filled], memory_bytes(len(filled), steps))
    points = {index: (float(sites[index][0]), float(sites[index][1])) for index in filled}
    nearest = min(
        math.dist(points[a], points[b]) for i, a in enumerate(filled) for b in filled[i + 1 :]
    )
    reach = SEPARATION * nearest
    parent = {index: index for index in filled}

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for i, a in enumerate(filled):
        for b in filled[i + 1 :]:
            if math.dist(points[a], points[b]) < reach:
                parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for index in filled:
        groups.setdefault(root(index), []).append(index)
    clusters = sorted(groups.values(), key=lambda group: group[0])
    return Plan(clusters, max(memory_bytes(len(group), steps) for group in clusters))


def sub_program(program: Any, cluster: list[int]) -> Any:
    """The program on one cluster's atoms alone: the same driving fields, and each local
    detuning pattern cut to those sites."""
    register = program.setup.ahs_register
    setup = program.setup.copy(
        update={
            "ahs_register": register.copy(
                update={
                    "sites": [register.sites[index] for index in cluster],
                    "filling": [1] * len(cluster),
                }
            )
        }
    )
    local = [
        detuning.copy(
            update={
                "magnitude": detuning.magnitude.copy(
                    update={"pattern": [detuning.magnitude.pattern[index] for index in cluster]}
                )
            }
        )
        for detuning in program.hamiltonian.localDetuning
    ]
    hamiltonian = program.hamiltonian.copy(update={"localDetuning": local})
    return program.copy(update={"setup": setup, "hamiltonian": hamiltonian})


def combine(
    results: list[Any], clusters: list[list[int]], filling: Sequence[int], generator: Any
) -> list[dict[str, Any]]:
    """Shots of the whole register from each cluster's shots. The simulator lists a result's
    shots grouped by outcome, so each cluster's are shuffled before they are paired: the
    clusters are independent, and their shots must be too."""
    orders = [generator.permutation(len(result.measurements)) for result in results]
    shots = len(results[0].measurements)
    measurements = []
    for shot in range(shots):
        pre = [int(full) for full in filling]
        post = [0] * len(filling)
        for result, cluster, order in zip(results, clusters, orders, strict=True):
            outcome = result.measurements[int(order[shot])].shotResult
            for position, site in enumerate(cluster):
                pre[site] = int(outcome.preSequence[position])
                post[site] = int(outcome.postSequence[position])
        measurements.append(
            {
                "shotMetadata": {"shotStatus": "Success"},
                "shotResult": {"preSequence": pre, "postSequence": post},
            }
        )
    return measurements


def run(
    simulator: Any, action: dict[str, Any], shots: int, request: Mapping[str, Any]
) -> dict[str, Any]:
    """An analog program on the Rydberg-atom simulator, within the memory budget: atoms
    in independent clusters are simulated cluster by cluster, and a cluster that still
    does not fit fails the task, naming its atoms and the memory."""
    import numpy
    from braket.ir.ahs import Program as AhsProgram

    try:
        program = AhsProgram.parse_obj(action)
    except Exception as error:
        raise TaskFailed(reason(error)) from None
    register = program.setup.ahs_register
    layout = plan(register.sites, register.filling)
    budget = int(request["memoryBudget"])
    if layout.bytes_needed > budget:
        atoms = layout.largest
        raise TaskFailed(
            f"{len(atoms)} interacting atoms (sites {', '.join(map(str, atoms))}) need "
            f"{human_bytes(layout.bytes_needed)} to simulate, over the local service's "
            f"memory budget of {human_bytes(budget)} (setting memory_budget_bytes); atoms "
            f"{SEPARATION:g} times the nearest-neighbour distance apart are simulated apart"
        )
    document: dict[str, Any]
    try:
        if len(layout.clusters) == 1:
            document = json.loads(simulator.run(program, shots=shots, steps=STEPS).json())
        else:
            results = [
                simulator.run(sub_program(program, cluster), shots=shots, steps=STEPS)
                for cluster in layout.clusters
            ]
            document = json.loads(results[0].json())
            # numpy's global generator: the one the worker seeds for each task.
            document["measurements"] = combine(
                results, layout.clusters, register.filling, numpy.random
            )
    except Exception as error:
        raise TaskFailed(reason(error)) from None
    sizes = sorted({len(cluster) for cluster in layout.clusters})
    document["emulation"] = {
        "method": "cluster by cluster" if len(layout.clusters) > 1 else "whole register",
        "clusters": len(layout.clusters),
        "clusterSizes": sizes,
        "memoryBytes": layout.bytes_needed,
    }
    return document
