"""The policy pack's rules on the properties either host sends: snake_case or camelCase."""

from __future__ import annotations

from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from pulumi_braket.policy import policies

FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
CONFIG: dict[str, dict[str, Any]] = {
    "braket-required-tags": {"keys": ["team"]},
    "braket-allowed-devices": {"devices": ["sv1"]},
    "braket-max-task-cost": {"maxUsd": "10"},
}


def violations(resource_type: str, props: dict[str, Any]) -> list[str]:
    found: list[str] = []
    timeouts = PolicyCustomTimeouts(0, 0, 0)
    opts = PolicyResourceOptions(False, [], None, [], timeouts, [])
    for policy in policies():
        if not isinstance(policy, ResourceValidationPolicy):
            continue
        args = ResourceValidationArgs(
            resource_type, props, "urn:x", "bell", opts, None, CONFIG.get(policy.name, {})
        )
        policy.validate(args, lambda message, _urn: found.append(message))
    return found


def test_validate_plugin_task_camel_case_properties() -> None:
    props = {"deviceArn": FORTE, "estimatedCost": "80.30", "tagsAll": {"owner": "x"}}
    assert violations("braket:index:QuantumTask", props) == [
        'QuantumTask "bell": tags_all lacks the required tag key(s) team',
        f'QuantumTask "bell": device_arn {FORTE} is not an allowed device (allowed: sv1)',
        'QuantumTask "bell": estimated_cost 80.30 USD is over the 10.00 USD allowed a task',
    ]


def test_validate_dynamic_task_snake_case_properties() -> None:
    props = {"device_arn": FORTE, "estimated_cost": "80.30", "tags_all": {"team": "qa"}}
    assert len(violations("pulumi-python:dynamic/braket:QuantumTask", props)) == 2


def test_validate_other_resource_types_ignored() -> None:
    props = {"device_arn": FORTE, "estimated_cost": "80.30", "tags_all": {}}
    assert violations("aws:s3/bucket:Bucket", props) == []
    assert violations("pulumi-python:dynamic:Resource", props) == []
