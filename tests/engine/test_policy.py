"""The policy pack under the engine: pulumi preview --policy-pack, advisory and mandatory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.engine.conftest import REPO, Project

pytestmark = pytest.mark.engine

GUARDRAILS = REPO / "examples" / "guardrails"
VIOLATING = Path(__file__).parent / "policy" / "__main__.py"
# The analyzer the package installs: the CLI starts a binary policy pack directly.
ANALYZER = Path(sys.prefix) / "bin" / "pulumi-braket-policy"


def preview(p: Project, config: Path | None) -> subprocess.CompletedProcess[str]:
    args = ["preview", "--policy-pack", str(ANALYZER)]
    if config is not None:
        args += ["--policy-pack-config", str(config)]
    return p.run(*args, "--color", "never", check=False)


def test_preview_policy_pack_guardrails_example_compliant(
    project: Callable[..., Project],
) -> None:
    p = project(program=GUARDRAILS / "__main__.py")
    result = preview(p, GUARDRAILS / "policy-config.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"✅ pulumi-braket@v0.0.1 (local: {ANALYZER})" in result.stdout
    assert "[mandatory]" not in result.stdout
    assert "[advisory]" not in result.stdout
    # As its README says: 1000 shots are over the per-task cap (and the stack's).
    p.configure("engine-test:shots", "1000")
    over = preview(p, GUARDRAILS / "policy-config.json")
    assert over.returncode != 0
    assert [rule for rule, _, _ in violations(over.stdout, "mandatory")] == [
        "braket-max-stack-cost",
        "braket-max-task-cost",
    ]
    assert (
        'QuantumTask "bell-on-forte": estimated_cost 80.30 USD is over the 10.00 USD allowed a task'
    ) in over.stdout


# What the violating program breaks, each once: (rule, resource, its one-line message).
JOB = "pulumi-python:dynamic/braket:Job"
TASK = "pulumi-python:dynamic/braket:QuantumTask"
ENTERPRISE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
VIOLATIONS = [
    (
        "braket-allowed-devices",
        f"{TASK}: enterprise-task",
        f'QuantumTask "enterprise-task": device_arn {ENTERPRISE} is not an allowed device '
        "(allowed: sv1, dm1, ionq/forte-1)",
    ),
    (
        "braket-allowed-instance-types",
        f"{JOB}: big-job",
        'Job "big-job": instance_config.instance_type ml.p4d.24xlarge is not one of the '
        "allowed ml.m5.large, ml.m5.xlarge",
    ),
    (
        "braket-max-job-runtime",
        f"{JOB}: big-job",
        'Job "big-job": stopping_condition.max_runtime_in_seconds 432000 is over the 3600 '
        "seconds allowed",
    ),
    (
        "braket-max-stack-cost",
        "pulumi:pulumi:Stack: engine-test-test",
        "the stack's QuantumTasks are estimated at 88.60 USD in all, over the 50.00 USD allowed "
        "a stack (forte-task 80.30, enterprise-task 8.30)",
    ),
    (
        "braket-max-task-cost",
        f"{TASK}: forte-task",
        'QuantumTask "forte-task": estimated_cost 80.30 USD is over the 10.00 USD allowed a task',
    ),
    (
        "braket-qpu-spending-limit",
        f"{TASK}: enterprise-task",
        f'QuantumTask "enterprise-task": device_arn {ENTERPRISE} is a QPU with no '
        "SpendingLimit on it in the stack",
    ),
    (
        "braket-required-tags",
        f"{JOB}: big-job",
        'Job "big-job": tags_all lacks the required tag key(s) team',
    ),
]


def violations(output: str, level: str) -> list[tuple[str, str, str]]:
    """(rule, resource, message) for each violation the CLI lists at ``level``."""
    lines = output.splitlines()
    found = []
    for i, line in enumerate(lines):
        head = line.strip()
        if head.startswith(f"- [{level}]"):
            rule, _, resource = head.removeprefix(f"- [{level}]").strip().partition("  ")
            found.append((rule, resource.strip().strip("()"), lines[i + 2].strip()))
    return found


def test_preview_policy_pack_mandatory_violations_fail_naming_rule_and_resource(
    project: Callable[..., Project],
) -> None:
    p = project(program=VIOLATING)
    result = preview(p, GUARDRAILS / "policy-config.json")
    assert result.returncode != 0
    # Exactly these: big-job names its QPU by short name, and the limit on that ARN covers it.
    assert violations(result.stdout, "mandatory") == VIOLATIONS
    assert "error: preview failed" in result.stdout
    assert "to create" not in result.stdout


def test_preview_policy_pack_advisory_violations_warn_and_pass(
    project: Callable[..., Project], tmp_path: Path
) -> None:
    # The same rules without enforcementLevel: the pack's default, advisory, applies.
    config = json.loads((GUARDRAILS / "policy-config.json").read_text())
    for rule, value in config.items():
        if isinstance(value, dict):
            value.pop("enforcementLevel")
        else:
            config[rule] = {}
    advisory = tmp_path / "advisory.json"
    advisory.write_text(json.dumps(config))
    p = project(program=VIOLATING)
    result = preview(p, advisory)
    assert result.returncode == 0, result.stdout + result.stderr
    assert violations(result.stdout, "advisory") == VIOLATIONS
    assert violations(result.stdout, "mandatory") == []
    assert "+ 5 to create" in result.stdout


def test_preview_policy_pack_unconfigured_checks_only_qpu_limits(
    project: Callable[..., Project],
) -> None:
    # With no config file, a rule with no value has nothing to compare against.
    result = preview(project(program=VIOLATING), None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert violations(result.stdout, "advisory") == [
        v for v in VIOLATIONS if v[0] == "braket-qpu-spending-limit"
    ]


def test_preview_policy_pack_config_not_an_amount_refused(
    project: Callable[..., Project], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"braket-max-task-cost": {"maxUsd": "10.999"}}))
    result = preview(project(program=VIOLATING), bad)
    assert result.returncode != 0
    # The CLI checks the config against the pack's schema (the model's amount pattern).
    assert (
        "error: validating policy config: pulumi-braket 0.0.1  braket-max-task-cost: maxUsd: "
        "Does not match pattern '^(?:\\d+(\\.\\d{1,2})?)$'"
    ) in result.stdout


def test_serve_directory_pack_offers_the_same_policies() -> None:
    """The PulumiPolicy.yaml form serves the same pack (a newer Python host runs it)."""
    import grpc
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import analyzer_pb2_grpc

    from pulumi_braket.policy import policies

    pack = GUARDRAILS / "policy" / "__main__.py"
    server = subprocess.Popen(
        [sys.executable, str(pack), "127.0.0.1:0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            info = analyzer_pb2_grpc.AnalyzerStub(channel).GetAnalyzerInfo(empty_pb2.Empty())
    finally:
        server.kill()
        server.wait()
    assert info.name == "pulumi-braket"
    assert [policy.name for policy in info.policies] == [policy.name for policy in policies()]
    assert shutil.which("pulumi-braket-policy", path=str(ANALYZER.parent)) == str(ANALYZER)


def test_preview_policy_pack_plugin_resources_by_their_tokens(
    project: Callable[..., Project], tmp_path: Path
) -> None:
    # A YAML stack on the native plugin: camelCase properties, braket:index:* tokens.
    program = tmp_path / "yaml" / "Pulumi.yaml"
    program.parent.mkdir()
    program.write_text(
        "name: yaml-policy\n"
        "runtime: yaml\n"
        "resources:\n"
        "  bell:\n"
        "    type: braket:index:QuantumTask\n"
        "    properties:\n"
        "      deviceArn: arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1\n"
        "      shots: 1000\n"
        '      action: "OPENQASM 3; qubit[1] q; bit[1] c; h q[0]; c = measure q;"\n'
        "      outputS3Bucket: amazon-braket-us-east-1-123456789012\n"
        "      outputS3KeyPrefix: tasks/policy\n"
    )
    p = project(program=program)
    result = preview(p, GUARDRAILS / "policy-config.json")
    assert result.returncode != 0
    task = "braket:index:QuantumTask: bell"
    assert violations(result.stdout, "mandatory") == [
        (
            "braket-max-stack-cost",
            "pulumi:pulumi:Stack: yaml-policy-test",
            "the stack's QuantumTasks are estimated at 80.30 USD in all, over the 50.00 USD "
            "allowed a stack (bell 80.30)",
        ),
        (
            "braket-max-task-cost",
            task,
            'QuantumTask "bell": estimated_cost 80.30 USD is over the 10.00 USD allowed a task',
        ),
        (
            "braket-qpu-spending-limit",
            task,
            'QuantumTask "bell": device_arn arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1 is a '
            "QPU with no SpendingLimit on it in the stack",
        ),
        (
            "braket-required-tags",
            task,
            'QuantumTask "bell": tags_all lacks the required tag key(s) team',
        ),
    ]
