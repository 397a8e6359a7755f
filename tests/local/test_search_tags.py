"""Search filters, pagination and tags on the local service, through real boto3 over HTTP."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

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


def test_search_jobs_status_filter(three_jobs: tuple[Any, list[dict[str, Any]]]) -> None:
    client, jobs = three_jobs
    client.cancel_job(jobArn=jobs[0]["jobArn"])
    filters = [{"name": "status", "operator": "EQUAL", "values": ["CANCELLING", "CANCELLED"]}]
    assert names_of(client, filters) == [jobs[0]["jobName"]]


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
        "filters[0].name: 'color' is not a filter of SearchJobs; valid names: createdAt, device, "
        "endedAt, jobArn, jobName, startedAt, status"
    )


def test_search_jobs_bad_time_refused(braket: Any) -> None:
    with pytest.raises(braket.exceptions.ValidationException) as caught:
        braket.search_jobs(filters=[{"name": "createdAt", "operator": "GT", "values": ["soon"]}])
    assert caught.value.response["Error"]["Message"] == (
        "filters[0].values: 'soon' is not an ISO 8601 time or epoch seconds"
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
    client = new_service().client()
    arns = [client.create_quantum_task(**task_request(shots=n))["quantumTaskArn"] for n in (1, 2)]
    arns.append(
        client.create_quantum_task(**task_request(shots=3, outputS3Bucket="other-bucket"))[
            "quantumTaskArn"
        ]
    )
    paginator = client.get_paginator("search_quantum_tasks")
    pages = list(paginator.paginate(filters=[], PaginationConfig={"PageSize": 2}))
    assert [t["quantumTaskArn"] for p in pages for t in p["quantumTasks"]] == arns
    shots = [{"name": "shots", "operator": "GTE", "values": ["2"]}]
    assert [t["shots"] for t in client.search_quantum_tasks(filters=shots)["quantumTasks"]] == [
        2,
        3,
    ]
    bucket = [{"name": "outputS3Bucket", "operator": "EQUAL", "values": ["other-bucket"]}]
    found = client.search_quantum_tasks(filters=bucket)["quantumTasks"]
    assert [t["quantumTaskArn"] for t in found] == [arns[2]]
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
