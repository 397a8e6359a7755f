"""ResourceTagsProvider's methods against the local service, through real boto3 over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.output import Unknown

from pulumi_braket import BraketError
from pulumi_braket.cores.resource_tags import parse_id
from pulumi_braket.resource_tags import ResourceTagsProvider
from tests.conftest import Service, use_credentials
from tests.local.test_jobs import job_request
from tests.local.test_tasks_devices import task_request


@pytest.fixture
def tags_provider(shared_service: Service, monkeypatch: pytest.MonkeyPatch) -> ResourceTagsProvider:
    use_credentials(monkeypatch)
    provider = ResourceTagsProvider()
    raw = {"braket:endpoint": shared_service.endpoint, "aws:region": "us-east-1"}
    provider.configure(ConfigureRequest(Config(raw, "test")))
    return provider


@pytest.fixture
def job_arn(shared_service: Service) -> str:
    client = shared_service.client()
    return str(client.create_job(**job_request(tags={"set-by": "job"}))["jobArn"])


def live_tags(service: Service, arn: str) -> dict[str, str]:
    return dict(service.client().list_tags_for_resource(resourceArn=arn)["tags"])


def test_create_tags_only_declared_keys(
    tags_provider: ResourceTagsProvider, shared_service: Service, job_arn: str
) -> None:
    result = tags_provider.create({"resource_arn": job_arn, "tags": {"owner": "ana"}})
    assert parse_id(result.id) == (job_arn, ["owner"])
    assert live_tags(shared_service, job_arn) == {"set-by": "job", "owner": "ana"}


def test_read_reports_only_own_keys_and_drift(
    tags_provider: ResourceTagsProvider, shared_service: Service, job_arn: str
) -> None:
    props = {"resource_arn": job_arn, "tags": {"owner": "ana", "env": "dev"}}
    created = tags_provider.create(props)
    shared_service.client().untag_resource(resourceArn=job_arn, tagKeys=["env"])
    result = tags_provider.read(created.id, props)
    assert result.outs == {"resource_arn": job_arn, "tags": {"owner": "ana"}}
    diff = tags_provider.diff(created.id, result.outs, props)
    assert diff.changes is True
    assert diff.replaces == []


def test_read_import_by_id_knows_its_keys(
    tags_provider: ResourceTagsProvider, job_arn: str
) -> None:
    created = tags_provider.create({"resource_arn": job_arn, "tags": {"owner": "ana"}})
    result = tags_provider.read(created.id, {})
    assert result.inputs == {"resource_arn": job_arn, "tags": {"owner": "ana"}}


def test_read_gone_resource_empty_id(tags_provider: ResourceTagsProvider) -> None:
    arn = "arn:aws:braket:us-east-1:123456789012:job/gone"
    assert tags_provider.read(f"{arn}|owner", {}).id == ""


def test_update_applies_exact_difference(
    tags_provider: ResourceTagsProvider, shared_service: Service, job_arn: str
) -> None:
    olds = {"resource_arn": job_arn, "tags": {"a": "1", "b": "2"}}
    created = tags_provider.create(olds)
    news = {"resource_arn": job_arn, "tags": {"b": "3", "c": "4"}}
    tags_provider.update(created.id, olds, news)
    assert live_tags(shared_service, job_arn) == {"set-by": "job", "b": "3", "c": "4"}


def test_delete_untags_own_keys_only(
    tags_provider: ResourceTagsProvider, shared_service: Service, job_arn: str
) -> None:
    props = {"resource_arn": job_arn, "tags": {"owner": "ana"}}
    created = tags_provider.create(props)
    tags_provider.delete(created.id, props)
    assert live_tags(shared_service, job_arn) == {"set-by": "job"}


def test_delete_gone_resource_succeeds(tags_provider: ResourceTagsProvider) -> None:
    arn = "arn:aws:braket:us-east-1:123456789012:job/gone"
    tags_provider.delete(f"{arn}|owner", {"resource_arn": arn, "tags": {"owner": "x"}})


def test_create_on_quantum_task_arn(
    tags_provider: ResourceTagsProvider, shared_service: Service
) -> None:
    arn = shared_service.client().create_quantum_task(**task_request())["quantumTaskArn"]
    tags_provider.create({"resource_arn": arn, "tags": {"exp": "bell"}})
    assert live_tags(shared_service, arn) == {"exp": "bell"}


def test_create_unknown_arn_one_line_message(tags_provider: ResourceTagsProvider) -> None:
    arn = "arn:aws:braket:us-east-1:123456789012:job/gone"
    with pytest.raises(BraketError) as caught:
        tags_provider.create({"resource_arn": arn, "tags": {"a": "1"}})
    assert str(caught.value) == (
        f"tag Braket ResourceTags ({arn}): ResourceNotFoundException: Resource {arn} not found"
    )


def test_diff_new_arn_replaces(tags_provider: ResourceTagsProvider) -> None:
    olds = {"resource_arn": "arn:aws:braket:us-east-1:123456789012:job/a", "tags": {"a": "1"}}
    news = {**olds, "resource_arn": "arn:aws:braket:us-east-1:123456789012:job/b"}
    assert tags_provider.diff("id", olds, news).replaces == ["resource_arn"]
    assert tags_provider.diff("id", olds, {**olds, "resource_arn": Unknown()}).replaces == [
        "resource_arn"
    ]


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        (
            {"resource_arn": "arn:aws:s3:::bucket", "tags": {"a": "1"}},
            [("resource_arn", "String should match pattern")],
        ),
        (
            {"resource_arn": "arn:aws:braket:us-east-1:123456789012:job/x", "tags": {"aws:x": "1"}},
            [("tags", "key 'aws:x' uses the reserved prefix aws:")],
        ),
        (
            {"resource_arn": "arn:aws:braket:us-east-1:123456789012:job/x"},
            [("tags", "is required")],
        ),
    ],
)
def test_check_problems_named(
    tags_provider: ResourceTagsProvider, props: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    failures = tags_provider.check({}, props).failures
    assert [
        (f.property, f.reason[: len(rule)])
        for f, (_, rule) in zip(failures, expected, strict=False)
    ] == (expected)
    assert len(failures) == len(expected)
