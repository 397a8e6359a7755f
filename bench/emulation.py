"""Emulation rows of `make bench`: what emulating a QPU costs through the local service."""

# (j) An emulated verbatim task on Garnet (a chain of twelve CZ gates, 1000 shots) through the
#     service (create, poll, read results.json), against the same circuit on the SDK's
#     LocalEmulator in this process, built from the properties GetDevice served.
# (k) A compiled task (a 3-qubit GHZ circuit that is not verbatim) against its verbatim twin
#     (the program the service compiled it to, sent verbatim), both through the service: what
#     compiling with the Qiskit transpiler adds.

from __future__ import annotations

import json
import math
import statistics
import sys
import time
import uuid
from typing import Any

from pulumi_braket.local.process import ServiceProcess

ROUNDS = 20
SHOTS = 1000
REGION = "eu-north-1"
BUCKET = "bench-emulation"
GARNET = "arn:aws:braket:eu-north-1::device/qpu/iqm/Garnet"


def _chain() -> Any:
    from braket.circuits import Circuit

    body = Circuit().prx(1, math.pi, 0)
    for _ in range(12):
        body.cz(1, 2)
    return Circuit().add_verbatim_box(body)


def _roundtrip(braket: Any, s3: Any, source: str) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    action = json.dumps(
        {
            "braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"},
            "source": source,
        }
    )
    arn = braket.create_quantum_task(
        clientToken=str(uuid.uuid4()),
        deviceArn=GARNET,
        shots=SHOTS,
        outputS3Bucket=BUCKET,
        outputS3KeyPrefix="bench",
        action=action,
    )["quantumTaskArn"]
    while (task := braket.get_quantum_task(quantumTaskArn=arn))["status"] != "COMPLETED":
        assert task["status"] not in ("FAILED", "CANCELLED"), task.get("failureReason")
        time.sleep(0.002)
    key = f"{task['outputS3Directory']}/results.json"
    document = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    return time.perf_counter() - started, document


def _median(values: list[float]) -> float:
    return 1000 * statistics.median(values)


def rows() -> list[str]:
    from braket.circuits import Circuit
    from braket.circuits.serialization import IRType
    from braket.emulation.local_emulator import LocalEmulator
    from braket.schema_common import BraketSchemaBase

    lines = ["", "(j) emulated verbatim QPU task (Garnet, 12 CZ, 1000 shots) vs LocalEmulator"]
    service = ServiceProcess(execute="on", task_workers="1")
    try:
        braket, s3 = service.client("braket", REGION), service.client("s3", REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        properties = braket.get_device(deviceArn=GARNET)["deviceCapabilities"]
        emulator = LocalEmulator.from_device_properties(
            BraketSchemaBase.parse_raw_schema(properties)
        )
        chain = _chain()
        verbatim = chain.to_ir(IRType.OPENQASM).source
        _roundtrip(braket, s3, verbatim)  # the worker builds Garnet's emulation once
        emulator.run(chain, shots=SHOTS).result()
        served = [_roundtrip(braket, s3, verbatim)[0] for _ in range(ROUNDS)]
        local = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            counts = emulator.run(chain, shots=SHOTS).result().measurement_counts
            assert sum(counts.values()) == SHOTS
            local.append(time.perf_counter() - started)
        ratio = statistics.median(served) / statistics.median(local)
        lines.append(
            f"    service {_median(served):.1f} ms a task vs LocalEmulator "
            f"{_median(local):.1f} ms: ratio {ratio:.2f}"
        )

        lines += ["", "(k) compiled task (GHZ on 3 qubits) vs its verbatim twin, both served"]
        ghz = Circuit().h(0).cnot(0, 1).cnot(1, 2).to_ir(IRType.OPENQASM).source
        _, document = _roundtrip(braket, s3, ghz)  # imports the transpiler once
        twin = document["additionalMetadata"]["iqmMetadata"]["compiledProgram"]
        compiled = [_roundtrip(braket, s3, ghz)[0] for _ in range(ROUNDS)]
        verbatim_twin = [_roundtrip(braket, s3, twin)[0] for _ in range(ROUNDS)]
        lines.append(
            f"    compiled {_median(compiled):.1f} ms a task vs verbatim twin "
            f"{_median(verbatim_twin):.1f} ms: ratio "
            f"{statistics.median(compiled) / statistics.median(verbatim_twin):.2f}"
        )
    finally:
        service.stop()
    return lines


def main() -> int:
    print("\n".join(rows()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
