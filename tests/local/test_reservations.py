"""Braket Direct reservations: only those the account holds, only on their QPU."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from pulumi_braket.local import ServiceSettings
from tests.conftest import Service

SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
AQUILA = "arn:aws:braket:us-east-1::device/qpu/quera/Aquila"
RESERVATION = "arn:aws:braket:us-east-1:123456789012:reservation/r-2026-12-07"
BELL = "OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncnot q[0], q[1];\nc = measure q;\n"
ACTION = json.dumps(
    {"braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "1"}, "source": BELL}
)


def create(service: Service, device: str, reservation: str) -> str:
    braket = service.client()
    arn: str = braket.create_quantum_task(
        clientToken=str(uuid.uuid4()),
        deviceArn=device,
        action=ACTION,
        shots=10,
        outputS3Bucket="reserved",
        outputS3KeyPrefix="tasks",
        associations=[{"arn": reservation, "type": "RESERVATION_TIME_WINDOW_ARN"}],
    )["quantumTaskArn"]
    return arn


def refusal(service: Service, device: str, reservation: str) -> str:
    with pytest.raises(ClientError) as caught:
        create(service, device, reservation)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    return str(caught.value.response["Error"]["Message"])


def test_create_reservation_on_simulator_refused(shared_service: Service) -> None:
    assert refusal(shared_service, SV1, RESERVATION) == (
        f"associations[0].arn: {SV1} is a simulator; reservations are for QPUs"
    )


def test_create_unknown_reservation_refused(shared_service: Service) -> None:
    assert refusal(shared_service, FORTE, RESERVATION) == (
        f"associations[0].arn: reservation {RESERVATION} does not exist in this account (the "
        "local service knows the reservations its reservations setting declares)"
    )


def test_create_reservation_of_the_device_accepted_another_refused(new_service: Any) -> None:
    service = new_service(reservations=f"{RESERVATION}=ionq/forte-1")
    service.client("s3").create_bucket(Bucket="reserved")
    arn = create(service, FORTE, RESERVATION)
    task = service.client().get_quantum_task(quantumTaskArn=arn)
    assert task["associations"] == [{"arn": RESERVATION, "type": "RESERVATION_TIME_WINDOW_ARN"}]
    assert refusal(service, AQUILA, RESERVATION) == (
        f"associations[0].arn: reservation {RESERVATION} is for {FORTE}, not {AQUILA}"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ionq/forte-1", "reservations: 'ionq/forte-1' is not RESERVATION_ARN=DEVICE"),
        (
            "arn:aws:braket:us-east-1:123456789012:job/j=ionq/forte-1",
            "reservations: 'arn:aws:braket:us-east-1:123456789012:job/j' is not a Braket "
            "reservation ARN (arn:aws:braket:REGION:ACCOUNT:reservation/ID)",
        ),
        (f"{RESERVATION}=sv1", "reservations: sv1 is a simulator; reservations are for QPUs"),
    ],
)
def test_settings_reservations_bad_values_refused(value: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        ServiceSettings().updated({"reservations": value})
    assert str(caught.value) == message
