"""A simulation worker: runs quantum task programs on the Braket simulators, one JSON line each."""

# The worker dispatches by kind of program: gate_runs, emulated_runs, program_set_runs and
# analog each run one kind; task_results is what they answer.

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Mapping
from typing import Any

from pulumi_braket.local.execution import analog, emulated_runs, gate_runs, program_set_runs
from pulumi_braket.local.execution.task_results import (
    AHS,
    JAQCD,
    OPENQASM,
    PROGRAM_SET,
    SetFailed,
    TaskFailed,
    reason,
    reproducible,
)

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
            document = analog.run(self.ahs(), action, shots, request)
        elif name == OPENQASM and request.get("emulate"):
            document = emulated_runs.run(self, action, shots, request)
        elif name in (OPENQASM, JAQCD):
            document = gate_runs.run(self.gate[simulator], action, name, simulator, shots, request)
        elif name == PROGRAM_SET:
            return reproducible(program_set_runs.run(self, action, simulator, shots, request), seed)
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
        return reproducible(document, seed)

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
