"""QuantumTaskProvider's methods against the local service, through real boto3 over HTTP."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import dill
import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown

from pulumi_braket import BraketError, shapes
from pulumi_braket.cores.quantum_task import INPUTS, output_prefix
from pulumi_braket.lifecycle import RELEASED_TAG
from pulumi_braket.quantum_task import (
    ExperimentalCapabilitiesArgs,
    QuantumTask,
    QuantumTaskArgs,
    QuantumTaskProvider,
)
from tests.conftest import Service

SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
DM1 = "arn:aws:braket:::device/quantum-simulator/amazon/dm1"
FORTE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"
OFFLINE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
RETIRED = "arn:aws:braket:us-east-1::device/qpu/ionq/Harmony"
BUCKET = "amazon-braket-us-east-1-123456789012"
BELL = "OPENQASM 3;\nqubit[2] q;\nbit[2] c;\nh q[0];\ncnot q[0], q[1];\nc = measure q;"
OPENQASM = {"name": "braket.ir.openqasm.program", "version": "1"}
JAQCD = {
    "braketSchemaHeader": {"name": "braket.ir.jaqcd.program", "version": "1"},
    "instructions": [{"type": "h", "target": 0}, {"type": "cnot", "control": 0, "target": 1}],
}
SIMULATOR_PARAMETERS = {
    "braketSchemaHeader": {
        "name": "braket.device_schema.simulators.gate_model_simulator_device_parameters",
        "version": "1",
    },
    "paradigmParameters": {"qubitCount": 2},
}


def canonical(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def configured(service: Service, **config: Any) -> QuantumTaskProvider:
    provider = QuantumTaskProvider()
    raw = {"braket:endpoint": service.endpoint, "aws:region": "us-east-1", **config}
    provider.configure(ConfigureRequest(Config(raw, "test")))
    return provider


@pytest.fixture
def provider(shared_service: Service, aws_env: None) -> QuantumTaskProvider:
    return configured(shared_service)


def inputs(**overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "device_arn": SV1,
        # The engine hands numbers to dynamic providers as floats.
        "shots": 100.0,
        "output_s3_bucket": BUCKET,
        "output_s3_key_prefix": "tasks/bell",
        "action": BELL,
        "tags": {"team": "qa"},
        "client_token_scope": f"proj/stack/bell-{uuid.uuid4().hex[:6]}",
    }
    props.update(overrides)
    return props


def created(provider: QuantumTaskProvider, **overrides: Any) -> tuple[str, dict[str, Any]]:
    checked = provider.check({}, inputs(**overrides))
    assert checked.failures == []
    result = provider.create(checked.inputs)
    assert result.outs is not None
    return result.id, {**checked.inputs, **result.outs}


def wait_status(service: Service, arn: str, wanted: set[str], timeout: float = 15) -> str:
    client = service.client()
    deadline = time.monotonic() + timeout
    while True:
        status: str = client.get_quantum_task(quantumTaskArn=arn)["status"]
        if status in wanted or time.monotonic() > deadline:
            return status
        time.sleep(0.02)


def failures_of(provider: QuantumTaskProvider, **overrides: Any) -> list[tuple[str, str]]:
    return [(f.property, f.reason) for f in provider.check({}, inputs(**overrides)).failures]


# -- check ------------------------------------------------------------------------------------


def test_check_openqasm_source_wrapped_in_program_envelope(provider: QuantumTaskProvider) -> None:
    result = provider.check({}, inputs())
    assert result.failures == []
    assert result.inputs["action"] == canonical({"braketSchemaHeader": OPENQASM, "source": BELL})
    assert result.inputs["tags_all"] == {"team": "qa"}


@pytest.mark.parametrize(
    "action",
    [
        json.dumps({"source": BELL, "braketSchemaHeader": OPENQASM}, indent=2),
        "\n  " + json.dumps({"braketSchemaHeader": OPENQASM, "source": BELL}),
        {"source": BELL, "braketSchemaHeader": OPENQASM},
    ],
    ids=["json-text", "json-text-leading-space", "dict"],
)
def test_check_ir_json_or_dict_normalized(provider: QuantumTaskProvider, action: Any) -> None:
    result = provider.check({}, inputs(action=action))
    assert result.failures == []
    assert result.inputs["action"] == canonical({"braketSchemaHeader": OPENQASM, "source": BELL})


def test_check_openqasm_program_with_inputs_accepted(provider: QuantumTaskProvider) -> None:
    program = {
        "braketSchemaHeader": OPENQASM,
        "source": "OPENQASM 3;\ninput float theta;\nqubit q;\nrx(theta) q;",
        "inputs": {"theta": 0.5},
    }
    result = provider.check({}, inputs(action=program))
    assert result.failures == []
    assert json.loads(result.inputs["action"]) == program


def test_check_jaqcd_and_device_parameters_normalized(provider: QuantumTaskProvider) -> None:
    parameters = {**SIMULATOR_PARAMETERS, "paradigmParameters": {"qubitCount": 2.0}}
    result = provider.check({}, inputs(action=JAQCD, device_parameters=parameters))
    assert result.failures == []
    assert result.inputs["action"] == canonical(JAQCD)
    assert result.inputs["device_parameters"] == canonical(SIMULATOR_PARAMETERS)


@pytest.mark.parametrize("empty", ["{}", {}])
def test_check_empty_device_parameters_means_none(
    provider: QuantumTaskProvider, empty: Any
) -> None:
    result = provider.check({}, inputs(device_parameters=empty))
    assert result.failures == []
    assert "device_parameters" not in result.inputs


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (
            "{not json",
            "not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 "
            "(char 1))",
        ),
        (
            json.dumps({"source": BELL}),
            "braketSchemaHeader is required (an object with name and version); give OpenQASM 3 "
            "source as a plain string",
        ),
        ("[1, 2]", None),
        (
            {"braketSchemaHeader": {"name": "braket.ir.openqasm.program"}, "source": BELL},
            "braketSchemaHeader.version must be a non-empty string",
        ),
        (
            {"braketSchemaHeader": {"version": "1"}},
            "braketSchemaHeader.name must be a non-empty string",
        ),
        ({"braketSchemaHeader": OPENQASM}, "source must be a non-empty string of OpenQASM 3"),
        ("", "source must be a non-empty string of OpenQASM 3"),
        ("  \n", "source must be a non-empty string of OpenQASM 3"),
        (
            {**JAQCD, "instructions": [{"type": "cnot", "target": 1}]},
            "braket.ir.jaqcd.program v1: instructions.0.control: field required",
        ),
        (42.0, "must be a string or a map, got float"),
    ],
    ids=[
        "not-json",
        "no-header",
        "json-array-is-openqasm-source",
        "no-version",
        "no-name",
        "no-source",
        "empty-source",
        "blank-source",
        "schema-rule",
        "number",
    ],
)
def test_check_invalid_action_exact_reason(
    provider: QuantumTaskProvider, action: Any, reason: str | None
) -> None:
    expected = [] if reason is None else [("action", reason)]
    assert failures_of(provider, action=action) == expected


@pytest.mark.parametrize(
    ("parameters", "reason"),
    [
        ("nope", "not valid JSON (Expecting value: line 1 column 1 (char 0))"),
        (
            {"paradigmParameters": {"qubitCount": 2}},
            "braketSchemaHeader is required (an object with name and version)",
        ),
        (
            {**SIMULATOR_PARAMETERS, "paradigmParameters": {"qubitCount": -2}},
            "braket.device_schema.simulators.gate_model_simulator_device_parameters v1: "
            "paradigmParameters.qubitCount: ensure this value is greater than or equal to 0",
        ),
        ("[]", "must be a JSON object with a braketSchemaHeader, got list"),
    ],
    ids=["not-json", "no-header", "schema-rule", "array"],
)
def test_check_invalid_device_parameters_exact_reason(
    provider: QuantumTaskProvider, parameters: Any, reason: str
) -> None:
    assert failures_of(provider, device_parameters=parameters) == [("device_parameters", reason)]


def test_check_unknown_schema_left_to_the_service(provider: QuantumTaskProvider) -> None:
    newer = {"braketSchemaHeader": {"name": "braket.ir.openqasm.program", "version": "99"}}
    other = {"braketSchemaHeader": {"name": "vendor.ir.program", "version": "1"}, "x": 1}
    assert failures_of(provider, action={**newer, "source": BELL}) == []
    assert failures_of(provider, action=other) == []


def test_check_bad_inputs_every_problem_at_once(provider: QuantumTaskProvider) -> None:
    bad = inputs(
        action="{oops",
        device_parameters="[]",
        shots=-1,
        output_s3_bucket="b",
        experimental_capabilities={"enabled": "SOME"},
        tags={"aws:reserved": "x"},
        shotz=5,
    )
    del bad["device_arn"]
    failures = {(f.property, f.reason) for f in provider.check({}, bad).failures}
    assert failures == {
        ("action", "not valid JSON (Expecting property name enclosed in double quotes: line 1 "
         "column 2 (char 1))"),
        ("device_parameters", "must be a JSON object with a braketSchemaHeader, got list"),
        ("device_arn", "is required"),
        ("shots", "Input should be greater than or equal to 0"),
        ("output_s3_bucket", "String should have at least 3 characters"),
        ("experimental_capabilities.enabled", "must be one of ALL, NONE"),
        ("shotz", "is not a member of this shape"),
        ("tags", "key 'aws:reserved' uses the reserved prefix aws:"),
    }  # fmt: skip


def test_check_unknown_values_do_not_fail(provider: QuantumTaskProvider) -> None:
    pending = inputs(
        action=Unknown(),
        device_parameters={**SIMULATOR_PARAMETERS, "paradigmParameters": Unknown()},
        device_arn=Unknown(),
        tags=Unknown(),
    )
    result = provider.check({}, pending)
    assert result.failures == []
    assert isinstance(result.inputs["action"], Unknown)
    assert "tags_all" not in result.inputs


def test_check_default_tags_merged_resource_wins(shared_service: Service, aws_env: None) -> None:
    provider = configured(
        shared_service, **{"braket:defaultTags": '{"team": "platform", "cost": "q1"}'}
    )
    result = provider.check({}, inputs(tags={"team": "qa"}))
    assert result.inputs["tags_all"] == {"team": "qa", "cost": "q1"}


# -- create -----------------------------------------------------------------------------------


def test_create_quantum_task_exactly_once_when_retried(new_service: Any, aws_env: None) -> None:
    service = new_service(task_created_seconds="30")
    provider = configured(service)
    props = provider.check({}, inputs()).inputs
    first = provider.create(props)
    second = provider.create(dict(props))
    assert first.id == second.id
    assert len(service.client().search_quantum_tasks(filters=[])["quantumTasks"]) == 1
    assert first.outs is not None
    assert first.outs["arn"] == first.id
    assert first.outs["status"] == "CREATED"
    assert first.outs["tags_all"] == {"team": "qa"}
    assert first.outs["action"] == props["action"]
    assert first.outs["output_s3_directory"] == f"tasks/bell/{first.id.rsplit('/', 1)[1]}"
    assert first.outs["action_metadata"]["action_type"] == "braket.ir.openqasm.program"
    sent = [c for c in service.calls() if c["operation"] == "CreateQuantumTask"]
    assert [c["status"] for c in sent] == [201, 201]


def test_create_after_delete_starts_new_task(
    provider: QuantumTaskProvider, shared_service: Service
) -> None:
    props = provider.check({}, inputs()).inputs
    first = provider.create(props)
    provider.delete(first.id, {**props, **(first.outs or {})})
    tags = shared_service.client().list_tags_for_resource(resourceArn=first.id)["tags"]
    assert tags[RELEASED_TAG] == "true"
    again = provider.create(props)
    assert again.id != first.id
    assert provider.create(props).id == again.id


def test_create_other_stack_same_inputs_other_task(provider: QuantumTaskProvider) -> None:
    props = inputs()
    first = provider.create(provider.check({}, props).inputs)
    other = {**props, "client_token_scope": "proj/other-stack/bell"}
    assert provider.create(provider.check({}, other).inputs).id != first.id


def test_create_device_parameters_sent(
    provider: QuantumTaskProvider, shared_service: Service
) -> None:
    arn, state = created(provider, device_parameters=SIMULATOR_PARAMETERS)
    task = shared_service.client().get_quantum_task(quantumTaskArn=arn)
    assert json.loads(task["deviceParameters"]) == SIMULATOR_PARAMETERS
    assert state["device_parameters"] == canonical(SIMULATOR_PARAMETERS)


@pytest.mark.parametrize(
    ("device", "message"),
    [
        (
            OFFLINE,
            f"create Braket QuantumTask (offline): DeviceOfflineException: Device {OFFLINE} is "
            "offline; the device is OFFLINE; wait until it is ONLINE or choose another",
        ),
        (
            RETIRED,
            f"create Braket QuantumTask (offline): DeviceRetiredException: Device {RETIRED} is "
            "retired; the device is RETIRED; choose another device",
        ),
    ],
    ids=["offline", "retired"],
)
def test_create_unavailable_device_one_line_message(
    provider: QuantumTaskProvider, device: str, message: str
) -> None:
    props = provider.check({}, inputs(device_arn=device, client_token_scope="p/s/offline"))
    with pytest.raises(BraketError) as caught:
        provider.create(props.inputs)
    assert str(caught.value) == message


def test_create_action_unsupported_by_device_message(provider: QuantumTaskProvider) -> None:
    props = provider.check({}, inputs(device_arn=FORTE, action=JAQCD, client_token_scope="p/s/j"))
    assert props.failures == []
    with pytest.raises(BraketError) as caught:
        provider.create(props.inputs)
    assert str(caught.value) == (
        "create Braket QuantumTask (j): ValidationException: action: braketSchemaHeader.name "
        f"'braket.ir.jaqcd.program' is not supported by {FORTE}; supported: "
        "braket.ir.openqasm.program, braket.ir.openqasm.program_set"
    )


def test_create_invalid_inputs_without_check_message(provider: QuantumTaskProvider) -> None:
    with pytest.raises(BraketError) as caught:
        provider.create(inputs(shots=-1, client_token_scope="p/s/neg"))
    assert str(caught.value) == (
        "create Braket QuantumTask (neg): invalid inputs: shots: Input should be greater than or "
        "equal to 0"
    )


# -- read -------------------------------------------------------------------------------------


def test_read_after_out_of_band_cancel(
    provider: QuantumTaskProvider, shared_service: Service
) -> None:
    arn, state = created(provider, tags={"braket.local.run_seconds": "60"})
    shared_service.client().cancel_quantum_task(quantumTaskArn=arn, clientToken="oob")
    wait_status(shared_service, arn, {"CANCELLED"})
    result = provider.read(arn, state)
    # The stored inputs stay; what the service reports is in the outputs.
    assert result.outs is not None and result.inputs is None
    assert result.outs["status"] == "CANCELLED"
    assert result.outs["ended_at"]
    assert result.outs["action"] == state["action"]
    diff = provider.diff(arn, result.outs, provider.check({}, state).inputs)
    assert diff.changes is False


def test_read_completed_task_reports_results(
    provider: QuantumTaskProvider, shared_service: Service
) -> None:
    arn, state = created(provider)
    wait_status(shared_service, arn, {"COMPLETED"})
    result = provider.read(arn, state)
    assert result.outs is not None
    assert result.outs["status"] == "COMPLETED"
    assert result.outs["num_successful_shots"] == 100
    assert result.outs["output_s3_bucket"] == BUCKET


def test_read_records_out_of_band_tag_edits(
    provider: QuantumTaskProvider, shared_service: Service
) -> None:
    arn, state = created(provider, tags={"team": "qa", "owner": "ana"})
    client = shared_service.client()
    client.untag_resource(resourceArn=arn, tagKeys=["owner"])
    client.tag_resource(resourceArn=arn, tags={"team": "ops", "someone-else": "x"})
    result = provider.read(arn, state)
    assert result.id == arn
    assert result.inputs is None and result.outs is not None
    assert result.outs["tags"] == {"team": "ops"}
    assert result.outs["tags_all"] == {"team": "ops"}
    diff = provider.diff(arn, result.outs, provider.check({}, state).inputs)
    assert diff.changes is True
    assert diff.replaces == []


def test_read_matching_program_diffs_clean(provider: QuantumTaskProvider) -> None:
    arn, state = created(provider, device_parameters=SIMULATOR_PARAMETERS)
    result = provider.read(arn, state)
    assert result.outs is not None
    diff = provider.diff(arn, result.outs, provider.check({}, state).inputs)
    assert diff.changes is False


def test_read_gone_task_empty_id(provider: QuantumTaskProvider) -> None:
    result = provider.read("arn:aws:braket:us-east-1:123456789012:quantum-task/gone", {})
    assert result.id == ""
    assert result.outs == {}


def test_read_adopt_by_arn_reconstructs_inputs(provider: QuantumTaskProvider) -> None:
    request = inputs(output_s3_key_prefix="experiments/bell/run-1")
    arn, _ = created(provider, **request)
    adopted = provider.read(arn, {})
    assert adopted.inputs is not None and adopted.outs is not None
    assert adopted.inputs == {
        "device_arn": SV1,
        "shots": 100,
        "output_s3_bucket": BUCKET,
        "output_s3_key_prefix": "experiments/bell/run-1",
        "tags": {"team": "qa"},
        "tags_all": {"team": "qa"},
    }
    program = provider.check({}, request).inputs
    diff = provider.diff(arn, {**adopted.outs, **adopted.inputs}, program)
    assert diff.replaces == []
    assert diff.changes is False


def test_read_adopt_with_device_parameters_diffs_clean(provider: QuantumTaskProvider) -> None:
    request = inputs(device_parameters=SIMULATOR_PARAMETERS, action=JAQCD)
    arn, _ = created(provider, **request)
    adopted = provider.read(arn, {})
    assert adopted.inputs is not None and adopted.outs is not None
    assert adopted.inputs["device_parameters"] == canonical(SIMULATOR_PARAMETERS)
    program = provider.check({}, request).inputs
    assert provider.diff(arn, adopted.outs, program).changes is False


def test_read_adopt_other_action_type_replaces(provider: QuantumTaskProvider) -> None:
    arn, _ = created(provider)
    adopted = provider.read(arn, {})
    assert adopted.outs is not None
    program = provider.check({}, inputs(action=JAQCD)).inputs
    assert provider.diff(arn, adopted.outs, program).replaces == ["action"]


def test_read_adopt_job_token_taken_from_program(
    provider: QuantumTaskProvider, shared_service: Service
) -> None:
    job = "arn:aws:braket:us-east-1:123456789012:job/some-job"
    arn, _ = created(provider, job_token=job)
    adopted = provider.read(arn, {})
    assert adopted.outs is not None
    assert adopted.outs["job_arn"] == job
    assert "job_token" not in adopted.outs
    with_token = provider.check({}, inputs(job_token=job)).inputs
    assert provider.diff(arn, adopted.outs, with_token).replaces == []
    without = provider.check({}, inputs()).inputs
    assert provider.diff(arn, adopted.outs, without).replaces == ["job_token"]


# -- diff -------------------------------------------------------------------------------------

REPLACING = [
    ("device_arn", DM1),
    ("shots", 200),
    ("action", "OPENQASM 3;\nqubit q;\nx q;"),
    ("device_parameters", SIMULATOR_PARAMETERS),
    ("output_s3_bucket", "other-bucket"),
    ("output_s3_key_prefix", "tasks/other"),
    ("job_token", "arn:aws:braket:us-east-1:123456789012:job/j"),
    (
        "associations",
        [
            {
                "arn": "arn:aws:braket:us-east-1:123456789012:reservation/r",
                "type": "RESERVATION_TIME_WINDOW_ARN",
            }
        ],
    ),
    ("experimental_capabilities", {"enabled": "ALL"}),
]


@pytest.mark.parametrize(("member", "value"), REPLACING, ids=[m for m, _ in REPLACING])
def test_diff_create_only_input_replaces(
    provider: QuantumTaskProvider, member: str, value: Any
) -> None:
    olds = provider.check({}, inputs()).inputs
    news = provider.check({}, {**olds, member: value})
    assert news.failures == []
    diff = provider.diff("arn", olds, news.inputs)
    assert diff.replaces == [member]
    assert diff.changes is True
    assert diff.delete_before_replace is True


def test_diff_cases_cover_every_input_but_tags() -> None:
    assert {member for member, _ in REPLACING} == set(INPUTS) - {"tags"}


def test_diff_tag_change_updates_in_place(provider: QuantumTaskProvider) -> None:
    olds = provider.check({}, inputs()).inputs
    news = provider.check({}, {**olds, "tags": {"team": "ops"}}).inputs
    diff = provider.diff("arn", olds, news)
    assert diff.changes is True
    assert diff.replaces == []


def test_diff_same_documents_other_spelling_no_change(provider: QuantumTaskProvider) -> None:
    olds = provider.check({}, inputs(device_parameters=SIMULATOR_PARAMETERS)).inputs
    spelled = {
        **olds,
        "action": {"source": BELL, "braketSchemaHeader": OPENQASM},
        "device_parameters": json.dumps(SIMULATOR_PARAMETERS, indent=4),
        "shots": 100,
    }
    news = provider.check({}, spelled).inputs
    assert provider.diff("arn", olds, news).changes is False
    # State written with other whitespace (say, by an older version) is no change either.
    old_spelling = {**olds, "action": json.dumps(json.loads(olds["action"]), indent=1)}
    assert provider.diff("arn", old_spelling, news).changes is False


def test_diff_unknown_input_replaces(provider: QuantumTaskProvider) -> None:
    olds = provider.check({}, inputs()).inputs
    news = {**olds, "action": Unknown()}
    assert provider.diff("arn", olds, news).replaces == ["action"]


# -- update -----------------------------------------------------------------------------------


def test_update_tags_adds_changes_and_removes_exactly(
    provider: QuantumTaskProvider, shared_service: Service
) -> None:
    arn, state = created(provider, tags={"keep": "1", "change": "a", "drop": "x"})
    client = shared_service.client()
    client.tag_resource(resourceArn=arn, tags={"foreign": "kept"})
    news = provider.check({}, {**state, "tags": {"keep": "1", "change": "b", "new": "n"}}).inputs
    result = provider.update(arn, state, news)
    assert result.outs is not None
    assert result.outs["tags_all"] == {"keep": "1", "change": "b", "new": "n"}
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {
        "keep": "1",
        "change": "b",
        "new": "n",
        "foreign": "kept",
    }
    assert result.outs["arn"] == arn
    assert result.outs["action"] == state["action"]
    assert result.outs["status"] in {"CREATED", "QUEUED", "RUNNING", "COMPLETED"}


# -- delete -----------------------------------------------------------------------------------


def test_delete_running_task_cancels_and_waits(
    provider: QuantumTaskProvider, shared_service: Service
) -> None:
    arn, state = created(provider, tags={"braket.local.run_seconds": "60"})
    assert wait_status(shared_service, arn, {"RUNNING"}) == "RUNNING"
    provider.delete(arn, state)
    task = shared_service.client().get_quantum_task(quantumTaskArn=arn)
    assert task["status"] == "CANCELLED"
    assert task["tags"][RELEASED_TAG] == "true"


def test_delete_created_task_cancels(new_service: Any, aws_env: None) -> None:
    service = new_service(task_created_seconds="60")
    provider = configured(service)
    arn, state = created(provider)
    assert state["status"] == "CREATED"
    provider.delete(arn, state)
    assert service.client().get_quantum_task(quantumTaskArn=arn)["status"] == "CANCELLED"


def test_delete_cancelling_task_waits_without_cancelling_again(
    new_service: Any, aws_env: None
) -> None:
    service = new_service(task_cancel_seconds="1")
    provider = configured(service)
    arn, state = created(provider, tags={"braket.local.run_seconds": "60"})
    service.client().cancel_quantum_task(quantumTaskArn=arn, clientToken="oob")
    provider.delete(arn, state)
    assert service.client().get_quantum_task(quantumTaskArn=arn)["status"] == "CANCELLED"
    cancels = [c for c in service.calls() if c["operation"] == "CancelQuantumTask"]
    assert len(cancels) == 1


def test_delete_cancel_not_finished_bounded_message(new_service: Any, aws_env: None) -> None:
    service = new_service(task_cancel_seconds="60")
    provider = configured(service)
    arn, state = created(provider, tags={"braket.local.run_seconds": "60"})
    with pytest.raises(BraketError) as caught:
        # The delete custom timeout, as either host passes it.
        provider.delete(arn, {**state, "custom_timeouts": {"delete": 0.3}})
    assert str(caught.value) == (
        f"delete Braket QuantumTask ({arn}): still CANCELLING after 0.3 s of waiting for the "
        "cancel to finish; run `pulumi destroy` again to keep waiting"
    )


def test_delete_completed_task_left_as_history(
    provider: QuantumTaskProvider, shared_service: Service
) -> None:
    arn, state = created(provider)
    wait_status(shared_service, arn, {"COMPLETED"})
    provider.delete(arn, state)
    task = shared_service.client().get_quantum_task(quantumTaskArn=arn)
    assert task["status"] == "COMPLETED"
    assert task["tags"][RELEASED_TAG] == "true"


def test_delete_gone_task_succeeds(provider: QuantumTaskProvider) -> None:
    provider.delete("arn:aws:braket:us-east-1:123456789012:quantum-task/gone", {})


# -- types and serialization --------------------------------------------------------------------


def test_output_prefix_strips_task_id() -> None:
    arn = "arn:aws:braket:us-east-1:123456789012:quantum-task/abc-123"
    assert output_prefix(arn, "results/x/abc-123") == "results/x"
    assert output_prefix(arn, "elsewhere") == "elsewhere"


def test_quantum_task_args_cover_every_input() -> None:
    assert set(QuantumTaskArgs.__dataclass_fields__) == {*INPUTS, "wait_for_completion"}


def test_experimental_capabilities_args_match_model() -> None:
    structure = shapes.service_model().shape_for("ExperimentalCapabilities")
    keys = set(ExperimentalCapabilitiesArgs.__optional_keys__)
    assert keys == {shapes.snake(member) for member in structure.members}  # type: ignore[attr-defined]


def test_quantum_task_unknown_input_refused() -> None:
    with pytest.raises(TypeError) as caught:
        QuantumTask("bell", shotz=5, device_arn=SV1)
    assert str(caught.value) == "QuantumTask bell: unknown input(s) shotz"


def test_serialize_provider_small_and_without_credentials(
    provider: QuantumTaskProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SENTINEL-SECRET-1234")
    provider.braket()
    encoded = serialize_provider(provider)
    raw = base64.b64decode(encoded)
    assert len(encoded) < 1024
    assert b"SENTINEL" not in raw
    assert b"127.0.0.1" not in raw
    restored = dill.loads(raw)
    assert type(restored) is QuantumTaskProvider
    assert restored.__dict__ == {}


# -- custom timeouts, as for Job -----------------------------------------------------------


def test_create_wait_bounded_by_create_timeout(provider: QuantumTaskProvider) -> None:
    # The dynamic QuantumTask used to wait its whole default for a task that would not end.
    props = inputs(wait_for_completion=True, tags={"braket.local.run_seconds": "60"})
    checked = provider.check({}, {**props, "custom_timeouts": {"create": 1.0}})
    assert checked.failures == []
    with pytest.raises(BraketError) as raised:
        provider.create(checked.inputs)
    message = str(raised.value)
    assert "still " in message and "after 1 s of waiting (arn:aws:braket:us-east-1:" in message
    assert "it keeps running: the next `pulumi up` waits for this same task again" in message


def test_delete_bounded_by_delete_timeout(new_service: Any, aws_env: None) -> None:
    # A delete custom timeout applies to QuantumTask as to Job, on either host.
    service = new_service(task_cancel_seconds="60")
    provider = configured(service)
    arn, state = created(provider, tags={"braket.local.run_seconds": "60"})
    with pytest.raises(BraketError) as caught:
        provider.delete(arn, {**state, "custom_timeouts": {"delete": 0.3}})
    assert str(caught.value) == (
        f"delete Braket QuantumTask ({arn}): still CANCELLING after 0.3 s of waiting for the "
        "cancel to finish; run `pulumi destroy` again to keep waiting"
    )
