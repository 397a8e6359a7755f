"""A simulation worker: runs quantum task programs on the Braket simulators, one JSON line each."""

from __future__ import annotations

import enum
import functools
import json
import math
import sys
import time
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from pulumi_braket.local.execution import gradients

# Which local simulator stands in for which device, and why. Read by the service (for the
# result metadata and the README) and by the worker.
SIMULATORS = {
    # SV1 is a state-vector simulator: the same algorithm, exactly.
    "sv1": "braket_sv",
    # DM1 is a density-matrix simulator: noise channels and noise pragmas apply.
    "dm1": "braket_dm",
    # TN1 contracts tensor networks; its results are the state-vector answer for the same circuit.
    "tn1": "braket_sv",
    # Gate-model QPUs are emulated from their calibration (execution.emulation): a density
    # matrix with braket.emulation's noise model.
    "qpu": "braket_dm",
    # QuEra Aquila runs analog Hamiltonian programs: the local Rydberg-atom simulator.
    "ahs": "braket_ahs",
}

OPENQASM = "braket.ir.openqasm.program"
PROGRAM_SET = "braket.ir.openqasm.program_set"
JAQCD = "braket.ir.jaqcd.program"
AHS = "braket.ir.ahs.program"

BYTES_PER_AMPLITUDE = 16  # one complex128


def state_bytes(simulator: str, qubits: int) -> int:
    """Memory the simulator's state needs: 16·2ⁿ bytes for a vector, 16·4ⁿ for a density matrix."""
    exponent = 2 * qubits if simulator == "braket_dm" else qubits
    return int(BYTES_PER_AMPLITUDE * 2**exponent)


def human_bytes(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if count < 1024 or unit == "PiB":
            return f"{count:.1f} {unit}" if unit != "B" else f"{int(count)} B"
        count /= 1024
    return f"{count:.1f} PiB"  # pragma: no cover


class TaskFailed(Exception):
    """The program cannot run as given: the task ends FAILED with this reason."""


class SetFailed(TaskFailed):
    """Some executables of a program set failed: FAILED, with the results of the set."""

    def __init__(self, reason: str, document: dict[str, Any]) -> None:
        super().__init__(reason)
        self.document = document


def encode(value: Any) -> Any:
    """A result value as Braket writes it: complex numbers as [re, im], arrays as lists."""
    if isinstance(value, enum.Enum):
        return encode(value.value)
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()
    if isinstance(value, complex):
        return [value.real, value.imag]
    if isinstance(value, Mapping):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _document(model: Any) -> dict[str, Any]:
    # The simulators build their results with .construct(): nothing was validated or
    # converted, so arrays, complex numbers, enums and measurement strings are still in there.
    raw: dict[str, Any] = encode(model.dict(exclude_none=True))
    types = raw.get("resultTypes")
    if isinstance(types, list) and any("value" not in item for item in types):
        # With shots the simulator lists the requested types without values, and leaves
        # them to LocalSimulator; Braket's results.json carries the values, computed from the
        # measurements. The SDK's own result class computes them the same way.
        from braket.tasks import GateModelQuantumTaskResult

        computed = GateModelQuantumTaskResult.from_object(model).result_types
        raw["resultTypes"] = encode([value.dict() for value in computed])
    if "measurements" in raw:
        if raw["measurements"]:
            raw["measurements"] = [[int(bit) for bit in shot] for shot in raw["measurements"]]
        else:
            del raw["measurements"]
    return raw


class Worker:
    """Warm simulators in one process: importing them costs over a second, so it is done once."""

    def __init__(self) -> None:
        from braket.default_simulator import DensityMatrixSimulator, StateVectorSimulator

        self.gate = {
            "braket_sv": _seedable(StateVectorSimulator)(),
            "braket_dm": _seedable(DensityMatrixSimulator)(),
        }
        self._ahs: Any = None
        self._emulations: dict[tuple[str, str | None, float], Any] = {}

    def seed(self, seed: int | None) -> None:
        """Draw every shot of the next task from ``seed``, or from fresh entropy if None."""
        import numpy

        generator = numpy.random.default_rng(seed)
        for simulator in self.gate.values():
            simulator.generator = generator
        # The Rydberg-atom simulator samples from numpy's global generator.
        numpy.random.seed(None if seed is None else seed % 2**32)

    def ahs(self) -> Any:
        if self._ahs is None:
            from braket.analog_hamiltonian_simulator.rydberg.rydberg_simulator import (
                RydbergAtomSimulator,
            )

            self._ahs = RydbergAtomSimulator()
        return self._ahs

    def run(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """The results.json document of one task, or TaskFailed."""
        action = json.loads(request["action"])
        name = action.get("braketSchemaHeader", {}).get("name")
        simulator = request["simulator"]
        shots = int(request["shots"])
        seed = request.get("seed")
        self.seed(seed)
        started = time.perf_counter()
        if name == AHS:
            document = self._run_ahs(action, shots, request)
        elif name == OPENQASM and request.get("emulate"):
            document = self._run_emulated(action, shots, request)
        elif name in (OPENQASM, JAQCD):
            document = self._run_gate(action, name, simulator, shots, request)
        elif name == PROGRAM_SET:
            return _reproducible(self._run_program_set(action, simulator, shots, request), seed)
        else:
            raise TaskFailed(f"the local service cannot run {name!r} programs")
        if request.get("simulatorDevice"):
            # What SV1, DM1 and TN1 report, and the SDK's Tracker bills by (per millisecond).
            document.setdefault("additionalMetadata", {})["simulatorMetadata"] = {
                "braketSchemaHeader": {
                    "name": "braket.task_result.simulator_metadata",
                    "version": "1",
                },
                "executionDuration": max(1, round((time.perf_counter() - started) * 1000)),
            }
        metadata = document.setdefault("taskMetadata", {})
        metadata.update(
            {
                "braketSchemaHeader": {"name": "braket.task_result.task_metadata", "version": "1"},
                "id": request["taskArn"],
                "deviceId": request["deviceArn"],
                "shots": shots,
            }
        )
        # Extra members are ignored by the SDK's parser, and tell a reader what really ran.
        metadata["localEmulation"] = {
            "simulator": simulator,
            "note": request["note"],
            **document.pop("emulation", {}),
        }
        return _reproducible(document, seed)

    def emulation(self, request: Mapping[str, Any]) -> Any:
        """The device's emulation, built once per device and properties file."""
        from pulumi_braket.local.catalogue import devices
        from pulumi_braket.local.execution.emulation import DeviceEmulation

        arn = str(request["deviceArn"])
        path = request.get("propertiesFile")
        key = (arn, path, devices.file_mtime(path) if path else 0.0)
        if key not in self._emulations:
            device = devices.find(arn, properties={arn: path} if path else None)
            if device is None:
                raise TaskFailed(f"no device {arn}")
            self._emulations[key] = DeviceEmulation(device.capabilities_json())
        return self._emulations[key]

    def _run_emulated(
        self, action: dict[str, Any], shots: int, request: Mapping[str, Any]
    ) -> dict[str, Any]:
        """A gate-model QPU's task: compiled unless verbatim, validated and given noise as
        braket.emulation does for the device, and run on the qubits it uses."""
        from pulumi_braket.local.execution.emulation import provider_metadata, result_metadata

        result, prepared, method = self._emulate(
            action["source"], action.get("inputs"), shots, request
        )
        document = _document(result)
        # The program as the task was given it, as Braket's results carry it.
        additional = document.setdefault("additionalMetadata", {})
        additional["action"] = action
        header = self.emulation(request).properties.braketSchemaHeader.name
        additional.update(provider_metadata(header, prepared))
        document["emulation"] = result_metadata(prepared, method)
        return document

    def _emulate(
        self, source: str, inputs: Any, shots: int, request: Mapping[str, Any]
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
            qubits, operations = _inspect(self.gate["braket_dm"], program)
        except Exception as error:
            raise TaskFailed(f"the program does not parse: {reason(error)}") from None
        checked: Mapping[str, Any] = request
        if is_verbatim(source):
            # A verbatim box holds native gates, which a device need not list among the
            # operations it compiles (Forte Enterprise 1 lists no gpi): they are allowed here,
            # and braket.emulation's passes check the box.
            native = list(self.emulation(request).properties.paradigm.nativeGateSet)
            supported = [*(request.get("supportedOperations") or []), *native]
            checked = {**request, "supportedOperations": supported}
        _check_program(checked, qubits, operations, "braket_dm", memory=False)
        try:
            prepared = self.emulation(request).prepare(
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
                result = self.gate["braket_dm"].run(noisy, shots=shots)
            else:
                result = run_trajectories(prepared, shots, request.get("seed"))
        except EmulationError as error:
            raise TaskFailed(str(error)) from None
        except Exception as error:
            raise TaskFailed(reason(error)) from None
        relabel(result, prepared)
        return result, prepared, method

    def _emulated_program(
        self, program: Any, executables: int, shots: int, request: Mapping[str, Any]
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
            result, _, _ = self._emulate(program.source, inputs, shots, request)
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

    def _run_gate(
        self,
        action: dict[str, Any],
        name: str,
        simulator: str,
        shots: int,
        request: Mapping[str, Any],
    ) -> dict[str, Any]:
        from braket.ir.jaqcd import Program as JaqcdProgram
        from braket.ir.openqasm import Program as OpenQasmProgram

        sim = self.gate[simulator]
        try:
            if name == OPENQASM:
                program: Any = OpenQasmProgram.parse_obj(action)
                qubits, operations = _inspect(sim, program)
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
        _check_program(request, qubits, operations, simulator)
        wanted = gradients.find(program.source, program.inputs or {}) if name == OPENQASM else None
        if wanted is not None:
            return self._adjoint_gradient(sim, program, wanted, shots)
        try:
            if name == OPENQASM:
                result = sim.run(program, shots=shots)
            else:
                result = sim.run(program, qubits, shots=shots)
        except Exception as error:
            raise TaskFailed(reason(error)) from None
        return _document(result)

    def _adjoint_gradient(self, sim: Any, program: Any, wanted: Any, shots: int) -> dict[str, Any]:
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
        document = _document(runs[0])
        document["resultTypes"][wanted.index] = answered
        # The program as it was given, with its adjoint-gradient pragma.
        document.setdefault("additionalMetadata", {})["action"] = json.loads(program.json())
        return document

    def _run_program_set(
        self, action: dict[str, Any], simulator: str, shots: int, request: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Every program of the set, shots split evenly among the executables, in the
        program-set result schema; a program the device cannot run fails its executables,
        and the others still run, as each executable of a set succeeds or fails alone."""
        from braket.ir.openqasm import ProgramSet
        from braket.task_result import ProgramSetTaskMetadata, ProgramSetTaskResult
        from braket.task_result.program_set_task_metadata_v1 import ProgramMetadata

        sim = self.gate[simulator]
        try:
            program_set = ProgramSet.parse_obj(action)
        except Exception as error:
            raise TaskFailed(f"the program set does not parse: {reason(error)}") from None
        per_executable = shots // int(program_set.num_executables)
        created = _now()
        results: list[Any] = []
        metadata: list[Any] = []
        failures: list[str] = []
        for index, program in enumerate(program_set.programs):
            executables = _executables(program)
            problem = _program_problem(sim, program, request, simulator)
            if problem is None and request.get("emulate"):
                try:
                    result, meta = self._emulated_program(
                        program, executables, per_executable, request
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
                endedAt=_now(),
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

    def _run_ahs(
        self, action: dict[str, Any], shots: int, request: Mapping[str, Any]
    ) -> dict[str, Any]:
        """An analog program on the Rydberg-atom simulator, within the memory budget: atoms
        in independent clusters are simulated cluster by cluster, and a cluster that still
        does not fit fails the task, naming its atoms and the memory."""
        import numpy
        from braket.ir.ahs import Program as AhsProgram

        from pulumi_braket.local.execution.analog import (
            SEPARATION,
            STEPS,
            combine,
            plan,
            sub_program,
        )

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
                document = json.loads(self.ahs().run(program, shots=shots, steps=STEPS).json())
            else:
                results = [
                    self.ahs().run(sub_program(program, cluster), shots=shots, steps=STEPS)
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


def _seedable(base: type) -> Any:
    """A simulator class whose simulations draw shots from a generator the worker sets."""

    class Seedable(base):  # type: ignore[misc]
        generator: Any = None

        def initialize_simulation(self, **kwargs: Any) -> Any:
            simulation = super().initialize_simulation(**kwargs)
            if self.generator is not None:
                # The simulators offer no seed: each simulation makes its own unseeded
                # generator (state_vector_simulation.py, density_matrix_simulation.py), which
                # is the one thing replaced here.
                simulation._rng_generator = self.generator
            return simulation

    return Seedable


def _reproducible(document: dict[str, Any], seed: int | None) -> dict[str, Any]:
    """Seeded, a results.json without the wall-clock members no two runs share (the schema
    makes them optional; GetQuantumTask still gives the times), and with its seed."""
    if seed is None:
        return document
    metadata = document["taskMetadata"]
    for member in ("createdAt", "endedAt"):
        metadata.pop(member, None)
    (document.get("additionalMetadata") or {}).pop("simulatorMetadata", None)
    metadata["localEmulation"]["seed"] = seed
    return document


def _now() -> str:
    """A result timestamp as the simulators write them (ISO 8601, milliseconds, Z)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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
        qubits, operations = _inspect(sim, program.copy(update={"inputs": inputs}))
    except Exception as error:
        return f"the program does not parse: {reason(error)}"
    try:
        # An emulated program's budget is checked on the qubits it compiles to, where the
        # trajectory method can still take it.
        memory = not request.get("emulate")
        _check_program(request, qubits, operations, simulator, memory=memory)
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


def _inspect(sim: Any, program: Any) -> tuple[int, list[str]]:
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


def reason(error: BaseException, *, plain: bool = False) -> str:
    """An error's first line, after its type unless ``plain`` (a message meant for users)."""
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    if plain and first:
        return first
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


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


def _check_program(
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


def main() -> int:
    """Serve requests on stdin, one JSON object a line; answer each on stdout."""
    out = sys.stdout
    # Anything a simulator prints would corrupt the protocol: send it to stderr instead.
    sys.stdout = sys.stderr
    worker = Worker()
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            answer: dict[str, Any] = {"status": "COMPLETED", "result": worker.run(request)}
        except SetFailed as error:
            # The SDK reads a failed program set's results, to see which executables failed.
            answer = {"status": "FAILED", "reason": str(error), "result": error.document}
        except TaskFailed as error:
            answer = {"status": "FAILED", "reason": str(error)}
        except MemoryError:
            answer = {"status": "FAILED", "reason": "the simulation ran out of memory"}
        except Exception as error:
            traceback.print_exc()
            answer = {"status": "FAILED", "reason": f"local simulator error: {reason(error)}"}
        out.write(json.dumps(answer) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
