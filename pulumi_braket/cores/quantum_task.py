"""The QuantumTask core: a Braket quantum task, created once, cancelled on delete."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi_braket import cost, shapes
from pulumi_braket.client import client
from pulumi_braket.context import INFO
from pulumi_braket.core import (
    check_shape,
    has_unknowns,
    normalized,
    resource_or_device,
)
from pulumi_braket.declarations import (
    COST_BASIS,
    ESTIMATE,
    QUANTUM_TASK,
    SCOPE,
    TAGS_ALL,
    URN,
)
from pulumi_braket.devices import device_arn_problem, find_device
from pulumi_braket.errors import BraketError
from pulumi_braket.lifecycle import Run, RunCore, client_token, computed_members
from pulumi_braket.outcomes import (
    CheckFailure,
    CheckResult,
)
from pulumi_braket.results import task_counts
from pulumi_braket.source import s3_uri
from pulumi_braket.wording import at

KIND = "QuantumTask"
REQUEST = "CreateQuantumTaskRequest"
RESPONSE = "GetQuantumTaskResponse"

# Every create_quantum_task member but the client token, as the model names them, in snake_case.
INPUTS: tuple[str, ...] = QUANTUM_TASK.request_members
# What get_quantum_task reports beyond the request: status, times, output directory, ...
COMPUTED = computed_members(RESPONSE, INPUTS, "quantumTaskArn")
# Inputs holding a JSON document (the model's JsonValue strings).
JSON_INPUTS = ("action", "device_parameters")
# The envelope of an OpenQASM 3 program, as the Braket SDK sends it.
OPENQASM_PROGRAM = {"name": "braket.ir.openqasm.program", "version": "1"}
# get_quantum_task reports deviceParameters as "{}" when none were sent.
NO_DEVICE_PARAMETERS = "{}"
# ESTIMATE is what the task will cost (a USD string), estimated at check from the device's
# price; None for devices billed by time (simulators). COST_BASIS remembers what it was
# estimated for, so that an unchanged task is not priced (and its device not looked up) again.
# Inputs beyond the request (declarations): never sent, and changing them replaces nothing.
TASK_EXTRAS = QUANTUM_TASK.extras
# Where a COMPLETED task's results are: the SDK's AwsQuantumTask.result() reads
# f"s3://{outputS3Bucket}/{outputS3Directory}/results.json" (braket/aws/aws_quantum_task.py).
RESULT_URI = "result_uri"
# Counts by bitstring from those results, when they fit (see results.MAX_OUTPUT_BYTES).
COUNTS = "measurement_counts"


def action_json(value: Any) -> str:
    """The action as sent: OpenQASM 3 source wrapped in the program envelope, else JSON as is."""
    if isinstance(value, str) and not value.lstrip().startswith("{"):
        return canonical_json({"braketSchemaHeader": dict(OPENQASM_PROGRAM), "source": value})
    return json_text(value)


def json_text(value: Any) -> str:
    """A JSON document given as text or as a dict, in the one spelling this provider sends."""
    parsed = json.loads(value) if isinstance(value, str) else value
    return canonical_json(parsed)


def canonical_json(value: Any) -> str:
    # Sorted keys: maps arrive from the engine in no fixed order, and the text is part of
    # the request that the deterministic client token is derived from.
    return json.dumps(normalized(value), sort_keys=True, separators=(",", ":"))


def document_text(member: str, value: Any) -> tuple[str | None, list[str]]:
    """The JSON text that would be sent for ``action`` or ``device_parameters``, or why not."""
    if not isinstance(value, str | Mapping):
        return None, [f"must be a string or a map, got {type(value).__name__}"]
    try:
        return (action_json(value) if member == "action" else json_text(value)), []
    except ValueError as error:
        return None, [f"not valid JSON ({error})"]
    except TypeError as error:
        return None, [f"cannot be written as JSON ({error})"]


def document_problems(member: str, text: str) -> list[str]:
    """What is wrong with a Braket IR or device-parameters document, as reasons for check."""
    try:
        document = json.loads(text)
    except ValueError as error:
        return [f"not valid JSON ({error})"]
    if not isinstance(document, dict):
        return [f"must be a JSON object with a braketSchemaHeader, got {type(document).__name__}"]
    header = document.get("braketSchemaHeader")
    if not isinstance(header, dict):
        hint = "; give OpenQASM 3 source as a plain string" if member == "action" else ""
        return [f"braketSchemaHeader is required (an object with name and version){hint}"]
    found = [
        f"braketSchemaHeader.{key} must be a non-empty string"
        for key in ("name", "version")
        if not isinstance(header.get(key), str) or not header[key]
    ]
    if found:
        return found
    if header["name"] == OPENQASM_PROGRAM["name"]:
        source = document.get("source")
        if not isinstance(source, str) or not source.strip():
            return ["source must be a non-empty string of OpenQASM 3"]
    return _schema_problems(header["name"], header["version"], text)


def _schema_problems(name: str, version: str, text: str) -> list[str]:
    """Problems the amazon-braket-schemas models find, when they are installed and know the schema.

    Only names under ``braket.`` with a numeric version are parsed: the schema package
    imports the module the header names, and a document should not choose what the
    provider host imports.
    """
    if not name.startswith("braket.") or not version.isdigit():
        return []
    try:
        from braket.schema_common import BraketSchemaBase
    except ImportError:
        return []
    try:
        BraketSchemaBase.parse_raw_schema(text)
    except (ImportError, AttributeError):
        # A schema newer than the installed package: the service is the judge.
        return []
    except ValueError as error:
        details = getattr(error, "errors", None)
        if callable(details):
            return [
                f"{name} v{version}: {'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
                for item in details()
            ]
        return [f"{name} v{version}: {error}"]
    return []


def _parsed(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return normalized(json.loads(value))
        except ValueError:
            return value
    return normalized(value)


def _header_name(value: Any) -> str | None:
    document = _parsed(value)
    header = document.get("braketSchemaHeader") if isinstance(document, dict) else None
    return str(header.get("name")) if isinstance(header, dict) else None


def _same(member: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    old, new = olds.get(member), news.get(member)
    if member == "action" and old is None:
        # get_quantum_task never returns the action: an adopted task knows only its type.
        adopted = (olds.get("action_metadata") or {}).get("action_type")
        return adopted is None or adopted == _header_name(new)
    if member == "job_token" and old is None and olds.get("job_arn"):
        # Nor the job token: a task that reports a job was created with one.
        return new is not None
    if member == "device_parameters":
        old = None if old == NO_DEVICE_PARAMETERS else old
    if member in JSON_INPUTS:
        return bool(_parsed(old) == _parsed(new))
    return bool(normalized(old) == normalized(new))


def _as_sent(snake: dict[str, Any]) -> dict[str, Any]:
    """The JSON documents as sent: the action in its program envelope, sorted keys."""
    if "action" in snake:
        snake["action"] = action_json(snake["action"])
    if "device_parameters" in snake:
        snake["device_parameters"] = json_text(snake["device_parameters"])
    return snake


def _cancel(braket: Any, arn: str) -> None:
    token = client_token("cancel", {"quantumTaskArn": arn})
    braket.cancel_quantum_task(quantumTaskArn=arn, clientToken=token)


RUN = Run(
    QUANTUM_TASK,
    create=lambda braket, request: str(braket.create_quantum_task(**request)["quantumTaskArn"]),
    get=lambda braket, arn: dict(braket.get_quantum_task(quantumTaskArn=arn)),
    cancel=_cancel,
    operations={
        "create": "CreateQuantumTask",
        "get": "GetQuantumTask",
        "cancel": "CancelQuantumTask",
        "tag": "TagResource",
    },
    computed=COMPUTED,
    cancellable=frozenset({"CREATED", "QUEUED", "RUNNING"}),
    name=resource_or_device,
    noun="task",
    cancel_command="aws braket cancel-quantum-task --quantum-task-arn",
    rerun_hint="shots",
    same=_same,
    as_sent=_as_sent,
)
# The create-only inputs whose change forces a new task (all but tags).
replacements = RUN.replacements


def output_prefix(arn: str, directory: str) -> str:
    """outputS3KeyPrefix from outputS3Directory, which Braket builds as ``<prefix>/<task id>``."""
    task_id = arn.rsplit("/", 1)[-1]
    suffix = "/" + task_id
    return directory[: -len(suffix)] if directory.endswith(suffix) else directory


class QuantumTaskCore(RunCore):
    """CRUD for QuantumTask: create_quantum_task, get_quantum_task, cancel_quantum_task, tags."""

    run = RUN
    input_only: ClassVar[tuple[str, ...]] = (SCOPE, URN)

    def _adopted_inputs(self, found: Mapping[str, Any]) -> dict[str, Any]:
        return adopted_inputs(found)

    def _finish_outputs(self, outs: dict[str, Any], old: Mapping[str, Any]) -> None:
        """``result_uri`` and ``measurement_counts``: read once the task is COMPLETED."""
        directory = outs.get("output_s3_directory")
        if outs.get("status") != "COMPLETED" or not directory:
            outs[RESULT_URI] = outs[COUNTS] = None
            return
        uri = s3_uri(str(outs.get("output_s3_bucket")), f"{directory}/results.json")
        outs[RESULT_URI] = uri
        if old.get(RESULT_URI) == uri:
            # Read when first seen COMPLETED; a refresh keeps it, even None (too large).
            outs[COUNTS] = old.get(COUNTS)
        else:
            outs[COUNTS] = task_counts(client(self.settings, "s3"), uri)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {key: value for key, value in news.items() if not key.startswith("__")}
        failures: list[CheckFailure] = self._check_wait(inputs)
        for member in JSON_INPUTS:
            value = inputs.get(member)
            if value is None or has_unknowns(value):
                continue
            if member == "device_parameters" and value in ({}, NO_DEVICE_PARAMETERS):
                # What get_quantum_task reports when none were sent: the same as none.
                del inputs[member]
                continue
            text, found = document_text(member, value)
            if text is not None:
                found = document_problems(member, text)
            failures += [CheckFailure(member, reason) for reason in found]
            if text is not None and not found:
                inputs[member] = text
        outputs = (TAGS_ALL, RESULT_URI, COUNTS, *TASK_EXTRAS)
        request = {key: value for key, value in inputs.items() if key not in outputs}
        # A document refused above, or still partly unknown, is not also "not a string".
        handled = tuple(m for m in JSON_INPUTS if not isinstance(inputs.get(m), str | None))
        failures += check_shape(REQUEST, {**request, "client_token": "check"}, exclude=handled)
        device = inputs.get("device_arn")
        problem = device_arn_problem(device) if isinstance(device, str) else None
        if problem and not any(f.property == "device_arn" for f in failures):
            failures.append(CheckFailure("device_arn", at("device_arn", problem)))
        failures += self._check_tags(inputs)
        if not failures:
            self._estimate(_olds, inputs)
        return CheckResult(inputs, failures)

    def _estimate(self, olds: Mapping[str, Any], inputs: dict[str, Any]) -> None:
        """``estimated_cost`` from the device's deviceCost, shown under the resource."""
        # The engine sends integers as floats (100.0).
        device, shots = inputs.get("device_arn"), normalized(inputs.get("shots"))
        if not isinstance(device, str) or isinstance(shots, bool) or not isinstance(shots, int):
            inputs.pop(ESTIMATE, None)
            return
        basis = {"device_arn": device, "shots": shots}
        if olds.get(COST_BASIS) == basis:
            # Unchanged: no lookup, so a preview of an unchanged stack makes no API call.
            inputs[COST_BASIS], inputs[ESTIMATE] = basis, olds.get(ESTIMATE)
            return
        try:
            found = find_device(self.settings, device)
        except BraketError:
            return  # the service judges the device at create; there is nothing to price
        estimate, line = cost.describe(found.capabilities, shots)
        inputs[COST_BASIS], inputs[ESTIMATE] = basis, estimate
        self.host.progress(self.call.urn, INFO, f"{self._name(inputs)}: {line}")


def adopted_inputs(task: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs of a task found by ARN, as far as get_quantum_task reports them.

    The response carries neither the action nor the job token, and has outputS3Directory
    (``<prefix>/<task id>``) instead of outputS3KeyPrefix.
    """
    reported = shapes.from_wire(RESPONSE, task)
    inputs = {key: reported[key] for key in INPUTS if key in reported and key != "tags"}
    if inputs.get("device_parameters") == NO_DEVICE_PARAMETERS:
        del inputs["device_parameters"]
    elif "device_parameters" in inputs:
        inputs["device_parameters"] = _text_or_raw(inputs["device_parameters"])
    directory = reported.get("output_s3_directory")
    if isinstance(directory, str):
        inputs["output_s3_key_prefix"] = output_prefix(task["quantumTaskArn"], directory)
    return inputs


def _text_or_raw(value: Any) -> Any:
    try:
        return json_text(value)
    except (TypeError, ValueError):
        return value
