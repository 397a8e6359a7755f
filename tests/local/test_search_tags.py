"""Search filters, pagination and tags on the local service, through real boto3 over HTTP."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pulumi_braket.local.service.models import FILTERS
from pulumi_braket.shapes import plain_doc, service_model
from tests.local.test_jobs import job_request
from tests.local.test_tasks_devices import task_request


def names_of(client: Any, filters: list[dict[str, Any]]) -> list[str]:
    pages = client.get_paginator("search_jobs").paginate(filters=filters)
    return [job["jobName"] for page in pages for job in page["jobs"]]


@pytest.fixture
def three_jobs(new_service: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Three jobs a known time apart on a fresh service."""
    client = new_service(job_run_seconds="30").client()
    stamp = uuid.uuid4().hex[:6]
    jobs = []
    for index in range(3):
        arn = client.create_job(**job_request(jobName=f"sweep-{stamp}-{index}"))["jobArn"]
        jobs.append(client.get_job(jobArn=arn))
        time.sleep(0.05)
    return client, jobs


def test_search_jobs_equal_and_contains(three_jobs: tuple[Any, list[dict[str, Any]]]) -> None:
    client, jobs = three_jobs
    first = jobs[0]["jobName"]
    assert names_of(client, [{"name": "jobName", "operator": "EQUAL", "values": [first]}]) == [
        first
    ]
    stamp = first.split("-")[1]
    contains = [{"name": "jobName", "operator": "CONTAINS", "values": [stamp]}]
    assert names_of(client, contains) == [job["jobName"] for job in jobs]
    arn = jobs[1]["jobArn"]
    found = names_of(client, [{"name": "jobArn", "operator": "EQUAL", "values": [arn]}])
    assert found == [jobs[1]["jobName"]]


@pytest.mark.parametrize(
    ("operator", "index", "expected"),
    [("LT", 1, [0]), ("LTE", 1, [0, 1]), ("GT", 1, [2]), ("GTE", 1, [1, 2])],
)
def test_search_jobs_time_comparisons(
    three_jobs: tuple[Any, list[dict[str, Any]]], operator: str, index: int, expected: list[int]
) -> None:
    client, jobs = three_jobs
    pivot = jobs[index]["createdAt"].astimezone(UTC).isoformat()
    filters = [{"name": "createdAt", "operator": operator, "values": [pivot]}]
    assert names_of(client, filters) == [jobs[i]["jobName"] for i in expected]


def test_search_jobs_between(three_jobs: tuple[Any, list[dict[str, Any]]]) -> None:
    client, jobs = three_jobs
    low = jobs[1]["createdAt"].astimezone(UTC).isoformat()
    high = (jobs[2]["createdAt"] + timedelta(hours=1)).astimezone(UTC).isoformat()
    filters = [{"name": "createdAt", "operator": "BETWEEN", "values": [low, high]}]
    assert names_of(client, filters) == [jobs[1]["jobName"], jobs[2]["jobName"]]


def test_search_jobs_device_filter(three_jobs: tuple[Any, list[dict[str, Any]]]) -> None:
    client, jobs = three_jobs
    local = client.create_job(**job_request(deviceConfig={"device": "local:braket/default"}))
    device = [{"name": "deviceArn", "operator": "EQUAL", "values": ["local:braket/default"]}]
    found = client.search_jobs(filters=device)["jobs"]
    assert [job["jobArn"] for job in found] == [local["jobArn"]]
    sv1 = [
        {"name": "deviceArn", "operator": "EQUAL", "values": [jobs[0]["deviceConfig"]["device"]]}
    ]
    assert names_of(client, sv1) == [job["jobName"] for job in jobs]


def test_search_jobs_operator_not_documented_for_name_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.search_jobs(filters=[{"name": "deviceArn", "operator": "CONTAINS", "values": ["x"]}])
    assert caught.value.response["Error"]["Message"] == (
        "filters[0].operator: filter deviceArn supports EQUAL, not CONTAINS"
    )


def test_search_jobs_job_arn_alone(braket: Any) -> None:
    filters = [
        {"name": "jobArn", "operator": "EQUAL", "values": ["arn:aws:braket:us-east-1:1:job/x"]},
        {"name": "jobName", "operator": "EQUAL", "values": ["x"]},
    ]
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.search_jobs(filters=filters)
    assert caught.value.response["Error"]["Message"] == (
        "filters[0]: filter jobArn cannot be combined with others"
    )


def test_search_jobs_between_needs_two_values(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.search_jobs(filters=[{"name": "createdAt", "operator": "BETWEEN", "values": ["1"]}])
    assert caught.value.response["Error"]["Message"] == (
        "filters[0].values: operator BETWEEN takes exactly 2 value(s), got 1"
    )


def test_search_jobs_unknown_filter_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.search_jobs(filters=[{"name": "color", "operator": "EQUAL", "values": ["red"]}])
    assert caught.value.response["Error"]["Message"] == (
        "filters[0].name: 'color' is not a filter of SearchJobs; valid names: createdAt, "
        "deviceArn, jobArn, jobName"
    )


def test_search_jobs_bad_time_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.search_jobs(filters=[{"name": "createdAt", "operator": "GT", "values": ["soon"]}])
    assert caught.value.response["Error"]["Message"] == (
        "filters[0].values: 'soon' is not an RFC 3339 date-time such as 2026-01-31T12:00:00Z"
    )


def test_search_quantum_tasks_operator_contains_refused_by_model(braket_unchecked: Any) -> None:
    # CONTAINS is documented for jobs only; the model's enum for tasks decides, not our code.
    with pytest.raises(braket_unchecked.exceptions.ValidationException) as caught:
        braket_unchecked.search_quantum_tasks(
            filters=[{"name": "status", "operator": "CONTAINS", "values": ["RUN"]}]
        )
    message = caught.value.response["Error"]["Message"]
    assert message == (
        "1 validation error detected: "
        "filters[0].operator: must be one of LT, LTE, EQUAL, GT, GTE, BETWEEN"
    )


def test_search_jobs_paginator_many_pages(new_service: Any) -> None:
    client = new_service().client()
    created = [client.create_job(**job_request())["jobArn"] for _ in range(7)]
    pages = list(
        client.get_paginator("search_jobs").paginate(filters=[], PaginationConfig={"PageSize": 3})
    )
    assert [len(page["jobs"]) for page in pages] == [3, 3, 1]
    assert [job["jobArn"] for page in pages for job in page["jobs"]] == created


def test_search_jobs_next_token_stable_while_inserting(new_service: Any) -> None:
    client = new_service().client()
    first_batch = [client.create_job(**job_request())["jobArn"] for _ in range(4)]
    page = client.search_jobs(filters=[], maxResults=2)
    later = [client.create_job(**job_request())["jobArn"] for _ in range(2)]
    rest = client.search_jobs(filters=[], maxResults=10, nextToken=page["nextToken"])
    seen = [job["jobArn"] for job in page["jobs"] + rest["jobs"]]
    assert seen == first_batch + later
    assert "nextToken" not in rest


def test_search_jobs_bad_token_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.search_jobs(filters=[], nextToken="garbage")
    assert caught.value.response["Error"]["Message"] == (
        "nextToken: 'garbage' is not a token of SearchJobs"
    )


def test_search_quantum_tasks_filters_and_paginator(new_service: Any) -> None:
    client = new_service(task_run_seconds="60").client()
    arns = [client.create_quantum_task(**task_request(shots=n))["quantumTaskArn"] for n in (1, 2)]
    job = client.create_job(**job_request())["jobArn"]
    arns.append(client.create_quantum_task(**task_request(jobToken=job))["quantumTaskArn"])
    paginator = client.get_paginator("search_quantum_tasks")
    pages = list(paginator.paginate(filters=[], PaginationConfig={"PageSize": 2}))
    assert [t["quantumTaskArn"] for p in pages for t in p["quantumTasks"]] == arns
    by_job = [{"name": "jobArn", "operator": "EQUAL", "values": [job]}]
    found = client.search_quantum_tasks(filters=by_job)["quantumTasks"]
    assert [t["quantumTaskArn"] for t in found] == [arns[2]]
    by_arn = [{"name": "quantumTaskArn", "operator": "EQUAL", "values": [arns[1]]}]
    assert [t["shots"] for t in client.search_quantum_tasks(filters=by_arn)["quantumTasks"]] == [2]
    client.cancel_quantum_task(quantumTaskArn=arns[0], clientToken=uuid.uuid4().hex)
    status = [{"name": "status", "operator": "EQUAL", "values": ["CANCELLING", "CANCELLED"]}]
    found = client.search_quantum_tasks(filters=status)["quantumTasks"]
    assert [t["quantumTaskArn"] for t in found] == [arns[0]]
    since = datetime.now(UTC) - timedelta(minutes=5)
    recent = [{"name": "createdAt", "operator": "GT", "values": [since.isoformat()]}]
    assert len(client.search_quantum_tasks(filters=recent)["quantumTasks"]) == 3


def test_tag_resource_job_add_change_remove(braket: Any) -> None:
    arn = braket.create_job(**job_request(tags={"a": "1", "b": "2"}))["jobArn"]
    braket.tag_resource(resourceArn=arn, tags={"b": "20", "c": "3"})
    braket.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert braket.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "20", "c": "3"}
    assert braket.get_job(jobArn=arn)["tags"] == {"b": "20", "c": "3"}


def test_tag_resource_quantum_task(braket: Any) -> None:
    arn = braket.create_quantum_task(**task_request())["quantumTaskArn"]
    braket.tag_resource(resourceArn=arn, tags={"owner": "lab"})
    assert braket.list_tags_for_resource(resourceArn=arn)["tags"] == {"owner": "lab"}
    braket.untag_resource(resourceArn=arn, tagKeys=["owner", "never-set"])
    assert braket.list_tags_for_resource(resourceArn=arn)["tags"] == {}


def test_tag_resource_unknown_arn_not_found(braket: Any) -> None:
    arn = "arn:aws:braket:us-east-1:123456789012:job/nope"
    with pytest.raises(braket.exceptions.ResourceNotFoundException) as caught:
        braket.tag_resource(resourceArn=arn, tags={"a": "1"})
    assert caught.value.response["Error"]["Message"] == f"Resource {arn} not found"


def test_tag_resource_non_braket_arn_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.list_tags_for_resource(resourceArn="arn:aws:s3:::bucket")
    assert caught.value.response["Error"]["Message"] == (
        "resourceArn: 'arn:aws:s3:::bucket' is not a Braket resource ARN"
    )


def test_tag_resource_reserved_prefix_refused(braket: Any) -> None:
    arn = braket.create_job(**job_request())["jobArn"]
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.tag_resource(resourceArn=arn, tags={"aws:owner": "me"})
    assert caught.value.response["Error"]["Message"] == (
        "tags: key 'aws:owner' uses the reserved prefix aws:"
    )


def test_tag_resource_more_than_fifty_refused(braket: Any) -> None:
    arn = braket.create_job(**job_request(tags={f"k{i}": "v" for i in range(30)}))["jobArn"]
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.tag_resource(resourceArn=arn, tags={f"n{i}": "v" for i in range(21)})
    assert caught.value.response["Error"]["Message"] == (
        "tags: a resource can have at most 50 tags"
    )
    assert len(braket.list_tags_for_resource(resourceArn=arn)["tags"]) == 30


def test_search_filters_every_name_documented_in_model() -> None:
    # The model states filter names only in prose; each name the service accepts must be there.
    shapes_for = {
        "SearchJobs": "SearchJobsFilter",
        "SearchQuantumTasks": "SearchQuantumTasksFilter",
        "SearchDevices": "SearchDevicesFilter",
        "SearchSpendingLimits": "SearchSpendingLimitsFilter",
    }
    for operation, rules in FILTERS.items():
        shape = service_model().shape_for(shapes_for[operation])
        documentation = plain_doc(shape.members["name"].documentation)
        for name in rules:
            assert name in documentation, (operation, name)
