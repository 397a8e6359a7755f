"""JobProvider's methods against the local service, through real boto3 over HTTP."""

from __future__ import annotations

import base64
import time
import uuid
from typing import Any

import dill
import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown

from pulumi_braket import BraketError
from pulumi_braket.job import JobProvider
from pulumi_braket.lifecycle import RELEASED_TAG, client_token
from tests.conftest import CREDENTIALS, Service, iam_user

ROLE = "arn:aws:iam::123456789012:role/AmazonBraketJobsExecutionRole"
SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"


def configured(service: Service, **config: Any) -> JobProvider:
    provider = JobProvider()
    raw = {"braket:endpoint": service.endpoint, "aws:region": "us-east-1", **config}
    provider.configure(ConfigureRequest(Config(raw, "test")))
    return provider


@pytest.fixture
def provider(shared_service: Service, aws_env: None) -> JobProvider:
    return configured(shared_service)


def inputs(**overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "job_name": "job-" + uuid.uuid4().hex[:8],
        "role_arn": ROLE,
        "algorithm_specification": {
            "script_mode_config": {"entry_point": "algo.run:main", "s3_uri": "s3://b/src.tar.gz"}
        },
        "output_data_config": {"s3_path": "s3://b/out"},
        "instance_config": {"instance_type": "ml.m5.large", "volume_size_in_gb": 30.0},
        "device_config": {"device": SV1},
        "hyper_parameters": {"shots": "100"},
        "tags": {"team": "qa"},
        "client_token_scope": f"proj/stack/{uuid.uuid4().hex[:6]}",
    }
    props.update(overrides)
    return props


def created(provider: JobProvider, **overrides: Any) -> tuple[str, dict[str, Any]]:
    checked = provider.check({}, inputs(**overrides))
    assert checked.failures == []
    result = provider.create(checked.inputs)
    assert result.outs is not None
    return result.id, {**checked.inputs, **result.outs}


def wait_status(service: Service, arn: str, wanted: set[str], timeout: float = 15) -> str:
    client = service.client()
    deadline = time.monotonic() + timeout
    while True:
        status: str = client.get_job(jobArn=arn)["status"]
        if status in wanted or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def test_check_valid_inputs_no_failures(provider: JobProvider) -> None:
    result = provider.check({}, inputs())
    assert result.failures == []
    assert result.inputs["tags_all"] == {"team": "qa"}


def test_check_bad_inputs_every_problem_at_once(provider: JobProvider) -> None:
    bad = inputs(
        job_name="bad_name",
        role_arn="not-a-role",
        instance_config={"instance_type": "ml.nope", "volume_size_in_gb": 0},
        stopping_condition={"max_runtime_in_seconds": 10**7},
        tags={"aws:reserved": "x"},
        instance_cofig={},
    )
    del bad["device_config"]
    failures = provider.check({}, bad).failures
    expected = {
        ("job_name", "String should match pattern"),
        ("role_arn", "String should match pattern"),
        ("instance_config.instance_type", "must be one of the model's"),
        ("instance_config.volume_size_in_gb", "Input should be greater than or equal to 1"),
        (
            "stopping_condition.max_runtime_in_seconds",
            "Input should be less than or equal to 432000",
        ),
        ("device_config", "is required"),
        ("instance_cofig", "is not a member of this shape"),
        ("tags", "key 'aws:reserved' uses the reserved prefix aws:"),
    }
    assert len(failures) == len(expected)
    for failure in failures:
        assert any(
            failure.property == path and failure.reason.startswith(rule) for path, rule in expected
        ), (failure.property, failure.reason)


def test_check_unknown_values_do_not_fail(provider: JobProvider) -> None:
    pending = inputs(
        role_arn=Unknown(),
        device_config={"device": Unknown()},
        tags=Unknown(),
    )
    result = provider.check({}, pending)
    assert result.failures == []
    assert "tags_all" not in result.inputs


def test_check_default_tags_merged_resource_wins(shared_service: Service, aws_env: None) -> None:
    provider = configured(
        shared_service,
        **{"braket:defaultTags": '{"tags": {"team": "platform", "cost": "q1"}}'},
    )
    result = provider.check({}, inputs(tags={"team": "qa"}))
    assert result.inputs["tags_all"] == {"team": "qa", "cost": "q1"}


def test_client_token_stable_and_bounded() -> None:
    request = {"jobName": "a", "clientToken": "ignored", "tags": {"b": "1", "a": "2"}}
    same = {"tags": {"a": "2", "b": "1"}, "jobName": "a"}
    assert client_token("p/s/r", request) == client_token("p/s/r", same)
    assert len(client_token("p/s/r", request)) == 64
    assert client_token("p/s/r", request) != client_token("p/other/r", request)
    assert client_token("p/s/r", request, 0) != client_token("p/s/r", request, 1)


def test_create_job_exactly_once_when_retried(
    provider: JobProvider, shared_service: Service
) -> None:
    props = provider.check({}, inputs()).inputs
    first = provider.create(props)
    second = provider.create(dict(props))
    assert first.id == second.id
    client = shared_service.client()
    name = [{"name": "jobName", "operator": "EQUAL", "values": [props["job_name"]]}]
    assert len(client.search_jobs(filters=name)["jobs"]) == 1
    assert first.outs is not None
    assert first.outs["arn"] == first.id
    assert first.outs["status"] == "QUEUED"
    assert first.outs["tags_all"] == {"team": "qa"}
    assert first.outs["instance_config"] == props["instance_config"]


def test_create_after_delete_starts_new_job(provider: JobProvider, shared_service: Service) -> None:
    props = provider.check({}, inputs()).inputs
    first = provider.create(props)
    provider.delete(first.id, {**props, **(first.outs or {})})
    tags = shared_service.client().list_tags_for_resource(resourceArn=first.id)["tags"]
    assert tags[RELEASED_TAG] == "true"
    again = provider.create(props)
    assert again.id != first.id
    assert wait_status(shared_service, first.id, {"CANCELLED"}) == "CANCELLED"


def test_create_other_stack_same_inputs_other_job(provider: JobProvider) -> None:
    props = inputs()
    first = provider.create(provider.check({}, props).inputs)
    other = {**props, "client_token_scope": "proj/other-stack/job"}
    assert provider.create(provider.check({}, other).inputs).id != first.id


def test_create_offline_device_one_line_message(provider: JobProvider) -> None:
    device = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"
    props = provider.check({}, inputs(job_name="offline-job", device_config={"device": device}))
    with pytest.raises(BraketError) as caught:
        provider.create(props.inputs)
    assert str(caught.value) == (
        f"create Braket Job (offline-job): DeviceOfflineException: Device {device} is offline; "
        "the device is OFFLINE; wait until it is ONLINE or choose another"
    )


def test_create_access_denied_names_permission_and_role(
    new_service: Any, aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = new_service()
    intern = iam_user(service, "intern")
    service.configure(deny_access_keys=intern.access_key_id)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", intern.access_key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", intern.secret_access_key)
    provider = configured(service)
    props = provider.check({}, inputs(job_name="denied")).inputs
    with pytest.raises(BraketError) as caught:
        provider.create(props)
    assert str(caught.value) == (
        "create Braket Job (denied): AccessDeniedException: User: "
        "arn:aws:iam::123456789012:user/intern is not authorized to perform: braket:CreateJob "
        "on resource: *; the caller's credentials lack braket:CreateJob or iam:PassRole on "
        f"{ROLE}"
    )


def test_create_quota_exceeded_message(new_service: Any, aws_env: None) -> None:
    service = new_service(max_concurrent_jobs="1", job_run_seconds="30")
    provider = configured(service)
    provider.create(provider.check({}, inputs()).inputs)
    with pytest.raises(BraketError) as caught:
        provider.create(provider.check({}, inputs(job_name="second")).inputs)
    assert str(caught.value).startswith(
        "create Braket Job (second): ServiceQuotaExceededException: Concurrent hybrid job quota "
        "of 1 reached in us-east-1"
    )
    assert str(caught.value).endswith("request an increase in Service Quotas")


def test_create_throttled_after_retries_message(new_service: Any, aws_env: None) -> None:
    service = new_service(throttle_rate="1")
    provider = configured(service, **{"braket:maxAttempts": "2"})
    with pytest.raises(BraketError) as caught:
        provider.create(provider.check({}, inputs(job_name="throttled")).inputs)
    assert str(caught.value) == (
        "create Braket Job (throttled): ThrottlingException: Rate exceeded for CreateJob "
        "(injected throttle); still throttled after every retry; raise braket:maxAttempts or "
        "lower --parallel"
    )
    assert [call["operation"] for call in service.calls()].count("CreateJob") == 2


def test_read_records_out_of_band_tag_edits(provider: JobProvider, shared_service: Service) -> None:
    arn, state = created(provider, tags={"team": "qa", "owner": "ana"})
    client = shared_service.client()
    client.untag_resource(resourceArn=arn, tagKeys=["owner"])
    client.tag_resource(resourceArn=arn, tags={"team": "ops", "someone-else": "x"})
    result = provider.read(arn, state)
    assert result.id == arn
    # The stored inputs stay (they hold check's bookkeeping); drift is in the outputs.
    assert result.inputs is None and result.outs is not None
    assert result.outs["tags"] == {"team": "ops"}
    assert result.outs["tags_all"] == {"team": "ops"}
    # The program still says team=qa, owner=ana: the next up is an in-place update.
    diff = provider.diff(arn, result.outs, provider.check({}, state).inputs)
    assert diff.changes is True
    assert diff.replaces == []


def test_read_records_out_of_band_cancel(provider: JobProvider, shared_service: Service) -> None:
    arn, state = created(provider)
    shared_service.client().cancel_job(jobArn=arn)
    wait_status(shared_service, arn, {"CANCELLED"})
    result = provider.read(arn, state)
    assert result.outs is not None
    assert result.outs["status"] == "CANCELLED"
    assert result.outs["ended_at"] is not None
    # Events are history, not configuration: kept out of the state (see job.COMPUTED).
    assert "events" not in result.outs


def test_read_matching_program_diffs_clean(provider: JobProvider) -> None:
    arn, state = created(provider)
    result = provider.read(arn, state)
    assert result.outs is not None
    diff = provider.diff(arn, result.outs, provider.check({}, state).inputs)
    assert diff.changes is False


def test_read_unknown_job_empty_id(provider: JobProvider) -> None:
    result = provider.read("arn:aws:braket:us-east-1:123456789012:job/gone", {})
    assert result.id == ""
    assert result.outs == {}


def test_read_adopt_by_arn_reconstructs_inputs(
    provider: JobProvider, shared_service: Service
) -> None:
    request = inputs()
    arn, _ = created(provider, **request)
    adopted = provider.read(arn, {})
    assert adopted.inputs is not None
    assert adopted.inputs["job_name"] == request["job_name"]
    assert adopted.inputs["tags"] == {"team": "qa"}
    # The service reports instance_count=1, which the program leaves out: not drift.
    assert adopted.inputs["instance_config"]["instance_count"] == 1
    program = provider.check({}, request).inputs
    diff = provider.diff(arn, {**adopted.outs, **adopted.inputs}, program)  # type: ignore[dict-item]
    assert diff.replaces == []
    assert diff.changes is False


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("job_name", "renamed"),
        ("role_arn", "arn:aws:iam::123456789012:role/Other"),
        ("hyper_parameters", {"shots": "200"}),
        ("instance_config", {"instance_type": "ml.m5.xlarge", "volume_size_in_gb": 30}),
        ("device_config", {"device": "arn:aws:braket:::device/quantum-simulator/amazon/dm1"}),
        ("stopping_condition", {"max_runtime_in_seconds": 60}),
        ("checkpoint_config", {"s3_uri": "s3://b/ckpt"}),
    ],
)
def test_diff_immutable_change_replaces(provider: JobProvider, member: str, value: Any) -> None:
    olds = provider.check({}, inputs()).inputs
    news = provider.check({}, {**olds, member: value}).inputs
    diff = provider.diff("arn", olds, news)
    assert diff.replaces == [member]
    assert diff.changes is True
    assert diff.delete_before_replace is True


def test_diff_tag_change_updates_in_place(provider: JobProvider) -> None:
    olds = provider.check({}, inputs()).inputs
    news = provider.check({}, {**olds, "tags": {"team": "ops"}}).inputs
    diff = provider.diff("arn", olds, news)
    assert diff.changes is True
    assert diff.replaces == []


def test_diff_float_from_engine_no_change(provider: JobProvider) -> None:
    olds = provider.check({}, inputs()).inputs
    news = dict(olds, instance_config={"instance_type": "ml.m5.large", "volume_size_in_gb": 30})
    assert provider.diff("arn", olds, news).changes is False


def test_diff_unknown_input_replaces(provider: JobProvider) -> None:
    olds = provider.check({}, inputs()).inputs
    news = {**olds, "role_arn": Unknown()}
    assert provider.diff("arn", olds, news).replaces == ["role_arn"]


def test_update_tags_adds_changes_and_removes_exactly(
    provider: JobProvider, shared_service: Service
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
    assert result.outs["job_name"] == state["job_name"]


def test_delete_running_job_cancels_and_waits(
    provider: JobProvider, shared_service: Service
) -> None:
    arn, state = created(provider, hyper_parameters={"braket.local.run_seconds": "60"})
    wait_status(shared_service, arn, {"RUNNING"})
    provider.delete(arn, state)
    assert shared_service.client().get_job(jobArn=arn)["status"] == "CANCELLED"


def test_delete_completed_job_left_as_history(
    provider: JobProvider, shared_service: Service
) -> None:
    arn, state = created(provider)
    wait_status(shared_service, arn, {"COMPLETED"})
    provider.delete(arn, state)
    job = shared_service.client().get_job(jobArn=arn)
    assert job["status"] == "COMPLETED"
    assert job["tags"][RELEASED_TAG] == "true"


def test_delete_unknown_job_succeeds(provider: JobProvider) -> None:
    provider.delete("arn:aws:braket:us-east-1:123456789012:job/gone", {})


def test_serialize_provider_small_and_without_credentials(
    provider: JobProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "SENTINEL-SECRET-1234")
    provider.braket()  # a configured provider holding a live client
    encoded = serialize_provider(provider)
    raw = base64.b64decode(encoded)
    assert len(encoded) < 1024
    assert b"SENTINEL" not in raw
    assert CREDENTIALS.access_key_id.encode() not in raw
    assert CREDENTIALS.secret_access_key.encode() not in raw
    assert b"127.0.0.1" not in raw
    restored = dill.loads(raw)
    assert type(restored) is JobProvider
    assert restored.__dict__ == {}


def test_delete_job_at_tag_limit_still_released(
    provider: JobProvider, shared_service: Service
) -> None:
    tags = {f"k{i:02d}": "v" for i in range(50)}
    arn, state = created(provider, tags=tags)
    provider.delete(arn, state)
    assert shared_service.client().list_tags_for_resource(resourceArn=arn)["tags"] == {
        RELEASED_TAG: "true"
    }
    assert provider.create(provider.check({}, state).inputs).id != arn
