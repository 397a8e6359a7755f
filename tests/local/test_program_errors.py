"""Programs refused at create as Braket refuses them: the developer guide's eleven cases."""

# Each case is the program of the guide's "Troubleshooting OpenQASM" page, on a device where
# the guide says it applies, and the message the guide gives for it (README, Programs
# refused).

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import Service
from tests.local.test_tasks_devices import task_request

SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
ANKAA = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"

# (case, device, program, the guide's message)
CASES = [
    (
        "include",
        SV1,
        # Indented as in the guide's original, whose message names column 17.
        'OPENQASM 3;\n        include "standardlib.inc";',
        "No terminal matches '\"' in the current parser context, at line 2 col 17.",
    ),
    (
        "non-contiguous-simulator",
        SV1,
        "OPENQASM 3;\n\nqubit[4] q;\n\nh q[0];\ncnot q[0], q[2];\ncnot q[0], q[3];",
        "Device requires contiguous qubits. Qubit register q has unused qubits q[1].",
    ),
    (
        "non-contiguous-ionq",
        FORTE,
        "OPENQASM 3;\n\nqubit[4] q;\n\nh q[0];\ncnot q[0], q[2];\ncnot q[0], q[3];",
        "Device requires contiguous qubits. Qubit register q has unused qubits q[1].",
    ),
    (
        "mixed-qubits",
        FORTE,
        "OPENQASM 3;\n\nqubit[2] q;\ncnot q[0], $1;",
        "[line 4] mixes physical qubits and qubits registers.",
    ),
    (
        "result-types-and-measure",
        SV1,
        "OPENQASM 3;\n\nqubit[2] q;\n\nh q[0];\ncnot q[0], q[1];\nmeasure q;\n\n"
        "#pragma braket result expectation x(q[0]) @ z(q[1])",
        "Qubits should not be explicitly measured when result types are requested.",
    ),
    (
        "two-registers",
        SV1,
        "OPENQASM 3;\n\nqubit[2] q0;\nqubit[2] q1;",
        "[line 4] cannot declare a qubit register. Only 1 qubit register is supported.",
    ),
    (
        "box-without-pragma",
        FORTE,
        "box{\nrx(0.5) $0;\n}",
        "In verbatim boxes, native gates are required. rx is not a device native gate.",
    ),
    (
        "verbatim-non-native",
        FORTE,
        "#pragma braket verbatim\nbox{\nx $0;\n}",
        "In verbatim boxes, native gates are required. x is not a device native gate.",
    ),
    (
        "verbatim-virtual-qubits",
        FORTE,
        "qubit[2] q;\n\n#pragma braket verbatim\nbox{\nrx(0.1) q[0];\n}",
        "Physical qubits are required in verbatim box.",
    ),
    (
        "pragma-without-braket",
        FORTE,
        "#pragma verbatim\nbox{\ngpi(0.1) $0;\n}",
        "You must include “braket” in the verbatim pragma",
    ),
    (
        "single-qubit-indexed",
        SV1,
        "OPENQASM 3;\n\nqubit q;\nh q[0];",
        "[line 4] single qubit cannot be indexed.",
    ),
    (
        "disconnected-qubits",
        ANKAA,
        "OPENQASM 3;\n\ncnot $0, $14;",
        "[line 3] has disconnected qubits 0 and 14",
    ),
]


def action(source: str) -> str:
    return json.dumps(
        {
            "braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"},
            "source": source,
        }
    )


def refusal(service: Service, device: str, source: str) -> str:
    region = device.split(":")[3] or "us-east-1"
    braket = service.client(region=region)
    bucket = f"amazon-braket-{region}-123456789012"
    with pytest.raises(ClientError) as caught:
        braket.create_quantum_task(
            **task_request(deviceArn=device, action=action(source), outputS3Bucket=bucket)
        )
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    return str(caught.value.response["Error"]["Message"])


@pytest.mark.parametrize(
    ("device", "source", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_create_guide_program_error_refused_with_its_message(
    shared_service: Service, device: str, source: str, message: str
) -> None:
    assert refusal(shared_service, device, source) == message


@pytest.mark.parametrize(
    ("device", "source"),
    [
        (SV1, "OPENQASM 3;\nqubit[4] q;\nh q[0];\ncnot q[0], q[1];\nbit[4] c;\nc = measure q;"),
        (
            FORTE,
            "OPENQASM 3;\n#pragma braket verbatim\nbox{\ngpi(0.1) $0;\nzz(0.25) $0, $1;\n}",
        ),
        (ANKAA, "OPENQASM 3;\n#pragma braket verbatim\nbox{\nrx(0.5) $0;\niswap $0, $1;\n}"),
        (SV1, "OPENQASM 3;\nqubit[2] q;\nh q[0];\n#pragma braket result probability"),
    ],
    ids=["sv1-prefix-used", "ionq-verbatim-native", "ankaa-verbatim-connected", "result-types"],
)
def test_create_valid_programs_accepted(shared_service: Service, device: str, source: str) -> None:
    region = device.split(":")[3] or "us-east-1"
    bucket = f"amazon-braket-{region}-123456789012"
    request = task_request(deviceArn=device, action=action(source), outputS3Bucket=bucket)
    answer: dict[str, Any] = shared_service.client(region=region).create_quantum_task(**request)
    assert answer["quantumTaskArn"].startswith(f"arn:aws:braket:{region}:")


def test_create_program_set_refused_programs_listed_per_index(shared_service: Service) -> None:
    programs = [
        {"braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"}, "source": s}
        for s in ("OPENQASM 3;\nqubit[1] q;\nh q[0];", "OPENQASM 3;\n\nqubit q;\nh q[0];")
    ]
    document = {
        "braketSchemaHeader": {"name": "braket.ir.openqasm.program_set", "version": "1"},
        "programs": programs,
    }
    braket = shared_service.client()
    with pytest.raises(ClientError) as caught:
        braket.create_quantum_task(**task_request(action=json.dumps(document), shots=10))
    response = caught.value.response
    assert response["Error"]["Message"] == (
        "action: 1 program(s) of the set are refused; the first, programs[1]: [line 4] single "
        "qubit cannot be indexed."
    )
    assert response["programSetValidationFailures"] == [
        {
            "programIndex": 1,
            "inputsIndex": 0,
            "errors": ["[line 4] single qubit cannot be indexed."],
        }
    ]
