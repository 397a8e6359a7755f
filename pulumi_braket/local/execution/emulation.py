"""QPU emulation: a program compiled for a device and given the noise its calibration states."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy

from pulumi_braket.local.execution.task_results import reason

# What a result's metadata names as the way it was computed, so noise is never dropped
# silently: every emulated result says which of these it went through.
DENSITY_MATRIX = "density matrix"
TRAJECTORIES = "noisy trajectories"

_VERBATIM = re.compile(r"^\s*#pragma\s+braket\s+verbatim\b", re.MULTILINE)


class EmulationError(Exception):
    """The device would refuse the program: the task ends FAILED with this reason."""


@dataclass(frozen=True)
class Prepared:
    """A program ready for the density-matrix simulator, and what the result must say of it."""

    noisy: Any  # braket.circuits.Circuit with the device's noise as noise instructions
    qubits: list[int]  # the physical qubits it acts on, the only ones simulated
    compiled: str | None  # the compiled (verbatim) program, when the service compiled it
    # Physical qubit -> the program's qubit, for a compiled program's measurements.
    logical_of: dict[int, int] | None
    result_types: list[Any]  # the program's result types, on the program's qubits


def is_verbatim(source: str) -> bool:
    """Whether an OpenQASM program holds a verbatim box, so runs exactly as written."""
    return bool(_VERBATIM.search(source))


class DeviceEmulation:
    """One device's emulation: braket.emulation's validation passes and noise model, built
    from the deviceCapabilities document GetDevice serves, as ``AwsDevice(arn).emulator()``
    builds them; and a compiler to the device's native gates and connectivity."""

    def __init__(self, capabilities_json: str) -> None:
        from braket.emulation.local_emulator import LocalEmulator
        from braket.schema_common import BraketSchemaBase

        self.properties = BraketSchemaBase.parse_raw_schema(capabilities_json)
        self.emulator = LocalEmulator.from_device_properties(self.properties)
        connectivity = self.properties.paradigm.connectivity
        graph: Mapping[str, list[str]] = connectivity.connectivityGraph
        if connectivity.fullyConnected or not graph:
            self.labels = list(range(self.properties.paradigm.qubitCount))
            self.edges: set[tuple[int, int]] | None = None
        else:
            self.edges = {(int(a), int(b)) for a, ends in graph.items() for b in ends}
            self.labels = sorted({q for edge in self.edges for q in edge})

    def prepare(
        self,
        source: str,
        inputs: Mapping[str, Any] | None,
        *,
        rewire: bool = True,
        seed: int | None = None,
    ) -> Prepared:
        """The noisy circuit for one program; EmulationError if the device would refuse it."""
        from braket.circuits import Circuit

        try:
            circuit = Circuit.from_ir(source, dict(inputs or {}))
        except Exception as error:
            raise EmulationError(f"the program does not parse: {reason(error)}") from None
        result_types = list(circuit.result_types)
        compiled: str | None = None
        logical_of: dict[int, int] | None = None
        if is_verbatim(source):
            runnable = circuit
        else:
            runnable, logical_of = self._compile(circuit, rewire=rewire, seed=seed)
            compiled = runnable.to_ir().source
        try:
            if _has_gates(runnable):
                self.emulator.validate(runnable)
                noisy = self.emulator.transform(runnable, apply_noise_model=True)
            else:
                # Compiled to nothing (H then H): no box to validate, only readout to noise.
                noisy = self.emulator.noise_model.apply(runnable)
        except Exception as error:
            raise EmulationError(reason(error, plain=True)) from None
        from braket.emulation.passes.circuit_passes import RemoveVerbatimTransformation

        noisy = RemoveVerbatimTransformation().run(noisy)
        qubits = sorted(int(q) for q in noisy.qubits)
        return Prepared(noisy, qubits, compiled, logical_of, result_types)

    def _compile(
        self, circuit: Any, *, rewire: bool, seed: int | None
    ) -> tuple[Any, dict[int, int]]:
        """The program as the device runs it: placed on the connectivity graph (unless
        rewiring is off), decomposed into native gates by the Qiskit transpiler through
        qiskit-braket-provider, in a verbatim box; and which program qubit each measured
        physical qubit stands for."""
        from braket.circuits import Circuit
        from braket.circuits.measure import Measure
        from qiskit_braket_provider import to_braket
        from qiskit_braket_provider.providers.target import (
            native_angle_restrictions,
            native_gate_set,
        )

        gates = Circuit([i for i in circuit.instructions if not isinstance(i.operator, Measure)])
        measures = [i for i in circuit.instructions if isinstance(i.operator, Measure)]
        measured = [int(q) for i in measures for q in i.target]
        # Result types are read from measurements in their observables' eigenbases, as the
        # hardware returns them: rotate before measuring.
        for rotation in circuit.basis_rotation_instructions:
            gates.add_instruction(rotation)
        program_qubits = sorted(int(q) for q in circuit.qubits)
        logical = measured or program_qubits
        source = Circuit(gates.instructions)
        for qubit in logical:
            source.measure(qubit)
        options: dict[str, Any] = {
            "basis_gates": native_gate_set(self.properties),
            "angle_restrictions": native_angle_restrictions(self.properties) or None,
            "optimization_level": 1,
            "seed_transpiler": seed % 2**31 if seed is not None else None,
        }
        if rewire and self.edges is not None:
            index = {label: i for i, label in enumerate(self.labels)}
            options["coupling_map"] = sorted([index[a], index[b]] for a, b in self.edges)
            options["qubit_labels"] = self.labels
        else:
            # The program's qubits are the device's: no placement, no routing.
            options["qubit_labels"] = program_qubits
        with warnings.catch_warnings():
            # "global phase will not be included": a global phase changes no measurement.
            warnings.simplefilter("ignore")
            try:
                out = to_braket(source, **options)
            except Exception as error:
                raise EmulationError(f"the program does not compile: {reason(error)}") from None
        body = Circuit(
            [self._oriented(i) for i in out.instructions if not isinstance(i.operator, Measure)]
        )
        boxed = Circuit().add_verbatim_box(body) if body.instructions else Circuit()
        logical_of: dict[int, int] = {}
        measures = [i for i in out.instructions if isinstance(i.operator, Measure)]
        for position, instruction in enumerate(measures):
            boxed.add_instruction(instruction)
            logical_of[int(instruction.target[0])] = logical[position]
        return boxed, logical_of

    def _oriented(self, instruction: Any) -> Any:
        """A symmetric two-qubit gate turned to the direction the device lists its coupler
        in: the transpiler treats CZ on (a, b) and (b, a) as one, the device's validation
        does not."""
        if self.edges is None or len(instruction.target) != 2:
            return instruction
        a, b = (int(q) for q in instruction.target)
        if (a, b) in self.edges or (b, a) not in self.edges:
            return instruction
        matrix = instruction.operator.to_matrix()
        swap = numpy.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]])
        if not numpy.allclose(swap @ matrix @ swap, matrix):
            return instruction
        from braket.circuits import Instruction

        return Instruction(instruction.operator, [b, a])


# Where each provider's results carry the program the device compiled (the
# braket.task_result schemas); IonQ's results carry none.
_COMPILED_MEMBERS = {
    "iqm": "iqmMetadata",
    "rigetti": "rigettiMetadata",
    "oqc": "oqcMetadata",
    "aqt": "aqtMetadata",
}


def run_trajectories(prepared: Prepared, shots: int, seed: int | None) -> Any:
    """The noisy circuit sampled shot by shot as state-vector trajectories (qiskit-aer), for
    programs whose density matrix is over the memory budget: the same noise channels, as Kraus
    operators, in 16·2ⁿ bytes instead of 16·4ⁿ. A GateModelTaskResult like the simulator's."""
    from braket.circuits import Circuit
    from braket.circuits.measure import Measure
    from braket.task_result import AdditionalMetadata, GateModelTaskResult, TaskMetadata
    from qiskit_aer import AerSimulator
    from qiskit_braket_provider import to_qiskit

    if prepared.logical_of is None and prepared.result_types:
        # Readout noise on a result type's observable is applied by the density-matrix
        # simulator in the observable's basis; a trajectory has no such hook.
        raise EmulationError(
            "result types on a verbatim program need the density-matrix method; measure the "
            "qubits instead, or raise the memory budget"
        )
    circuit = prepared.noisy
    measured = [
        int(q) for i in circuit.instructions if isinstance(i.operator, Measure) for q in i.target
    ]
    if not measured:
        measured = prepared.qubits
        circuit = Circuit(circuit.instructions)
        for qubit in measured:
            circuit.measure(qubit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = to_qiskit(circuit)
    simulator = AerSimulator(
        method="statevector", seed_simulator=None if seed is None else seed % 2**63
    )
    memory = simulator.run(program, shots=shots, memory=True).result().get_memory()
    # Qiskit writes classical bit 0 rightmost.
    measurements = [[int(bit) for bit in reversed(shot)] for shot in memory]
    return GateModelTaskResult.construct(
        braketSchemaHeader={"name": "braket.task_result.gate_model_task_result", "version": "1"},
        measurements=measurements,
        measuredQubits=measured,
        resultTypes=None,
        # Filled in by the worker, as for every result.
        taskMetadata=TaskMetadata.construct(id="", shots=shots, deviceId=""),
        additionalMetadata=AdditionalMetadata.construct(action=None),
    )


def provider_metadata(capabilities_name: str, prepared: Prepared) -> dict[str, Any]:
    """The additionalMetadata member that holds a compiled program for this provider."""
    provider = capabilities_name.split(".")[2] if capabilities_name.count(".") > 2 else ""
    member = _COMPILED_MEMBERS.get(provider)
    if member is None or prepared.compiled is None:
        return {}
    body: dict[str, Any] = {
        "braketSchemaHeader": {"name": f"braket.task_result.{provider}_metadata", "version": "1"},
        "compiledProgram": prepared.compiled,
    }
    if provider == "rigetti":
        body["nativeQuilMetadata"] = None
    return {member: body}


def result_metadata(prepared: Prepared, method: str) -> dict[str, Any]:
    """What the result's localEmulation metadata says of an emulated run."""
    described: dict[str, Any] = {
        "method": method,
        "noise": "braket.emulation: depolarizing from 1-qubit RB, two-qubit depolarizing from "
        "2-qubit gate fidelities, bit flips from readout fidelity",
        "physicalQubits": prepared.qubits,
    }
    if prepared.compiled is not None:
        described["compiledProgram"] = prepared.compiled
    return described


def relabel(result: Any, prepared: Prepared) -> None:
    """A compiled program's result, put back on the program's qubits, with its result types
    to be computed from the measurements, as Braket reports a compiled task."""
    if prepared.logical_of is None:
        return
    result.measuredQubits = [prepared.logical_of[int(q)] for q in result.measuredQubits]
    if prepared.result_types:
        from braket.circuits.serialization import IRType

        # Unvalued, as the simulators give them with shots: the values are computed from
        # the measurements, in the program's qubits.
        result.resultTypes = [rt.to_ir(IRType.JAQCD) for rt in prepared.result_types]
    else:
        result.resultTypes = None


def _has_gates(circuit: Any) -> bool:
    from braket.circuits.measure import Measure

    return any(not isinstance(i.operator, Measure) for i in circuit.instructions)
