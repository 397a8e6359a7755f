"""The real `pulumi` engine drives Job and ResourceTags against the local Braket service."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_braket.hosts.values import wire_path
from tests.conftest import Service, session_credentials
from tests.engine.conftest import ROLE, Project, job_args

pytestmark = pytest.mark.engine


def changes(result: auto.PreviewResult) -> dict[str, int]:
    return {op: n for op, n in result.change_summary.items() if op != "same"}


def wait_status(client: Any, arn: str, wanted: set[str], timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while True:
        status: str = client.get_job(jobArn=arn)["status"]
        if status in wanted or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def test_up_creates_job_and_tags_then_preview_is_clean(
    project: Callable[..., Project], host: str
) -> None:
    p = project(host=host)
    p.jobs({"sweep": job_args()})
    p.configure("engine-test:resourceTags", {"review": {"job": "sweep", "tags": {"by": "ci"}}})
    up = p.up()
    assert up.summary.resource_changes == {"create": 3}
    arn = up.outputs["sweep_arn"].value
    job = p.braket().get_job(jobArn=arn)
    assert job["tags"] == {"team": "qa", "by": "ci"}
    assert up.outputs["sweep_status"].value == "QUEUED"
    assert up.outputs["review_tags"].value == {"by": "ci"}
    # A second preview changes nothing, and makes no Braket call at all.
    calls_before = len(p.service.calls())
    assert changes(p.preview()) == {}
    assert len(p.service.calls()) == calls_before


def test_up_tag_change_updates_in_place(project: Callable[..., Project], host: str) -> None:
    p = project(host=host)
    args = job_args()
    p.jobs({"sweep": args})
    arn = p.up().outputs["sweep_arn"].value
    p.jobs({"sweep": {**args, "tags": {"team": "ops", "new": "1"}}})
    assert changes(p.preview()) == {"update": 1}
    up = p.up()
    assert up.summary.resource_changes == {"update": 1, "same": 1}
    assert up.outputs["sweep_arn"].value == arn
    assert p.braket().get_job(jobArn=arn)["tags"] == {"team": "ops", "new": "1"}


def test_up_immutable_change_replaces_and_cancels_old(
    project: Callable[..., Project], host: str
) -> None:
    p = project(host=host)
    args = job_args()
    p.jobs({"sweep": args})
    old = p.up().outputs["sweep_arn"].value
    p.jobs({"sweep": {**args, "hyper_parameters": {**args["hyper_parameters"], "lr": "0.2"}}})
    assert changes(p.preview()) == {"replace": 1}
    up = p.up()
    new = up.outputs["sweep_arn"].value
    assert new != old
    assert wait_status(p.braket(), old, {"CANCELLED"}) == "CANCELLED"
    assert p.braket().get_job(jobArn=new)["hyperParameters"]["lr"] == "0.2"


def test_refresh_records_out_of_band_changes_and_up_restores_tags(
    project: Callable[..., Project],
    host: str,
) -> None:
    p = project(host=host)
    args = job_args(tags={"team": "qa", "owner": "ana"})
    p.jobs({"sweep": args})
    arn = p.up().outputs["sweep_arn"].value
    client = p.braket()
    client.untag_resource(resourceArn=arn, tagKeys=["owner"])
    client.cancel_job(jobArn=arn)
    wait_status(client, arn, {"CANCELLED"})
    refresh = p.stack.refresh(color="never")
    assert refresh.summary.resource_changes.get("update") == 1
    outputs = p.outputs(arn)
    assert (outputs["status"], outputs["tags_all"]) == ("CANCELLED", {"team": "qa"})
    up = p.up()
    assert up.summary.resource_changes.get("update") == 1
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "qa", "owner": "ana"}


def test_preview_invalid_inputs_names_every_field_and_creates_nothing(
    project: Callable[..., Project],
    host: str,
) -> None:
    p = project(host=host)
    name = "bad_name_" + uuid.uuid4().hex[:4]
    bad = job_args(
        name,
        role_arn="not-a-role",
        instance_config={"instance_type": "ml.nope", "volume_size_in_gb": 0},
    )
    p.jobs({"sweep": bad})
    calls_before = len(p.service.calls())
    with pytest.raises(auto.CommandError) as caught:
        p.preview()
    text = str(caught.value)
    for field in (
        "job_name",
        "role_arn",
        "instance_config.instance_type",
        "instance_config.volume_size_in_gb",
    ):
        # Each host names the field as its programs spell it: the plugin by its schema.
        named = wire_path(field) if host == "plugin" else field
        assert f"{p.job_type} resource 'sweep': property {named} value" in text
    assert "Traceback" not in text
    assert len(p.service.calls()) == calls_before


def test_destroy_cancels_running_jobs_and_empties_stack(
    project: Callable[..., Project], host: str
) -> None:
    p = project(host=host)
    p.jobs({"a": job_args(), "b": job_args()})
    up = p.up()
    arns = [up.outputs["a_arn"].value, up.outputs["b_arn"].value]
    wait_status(p.braket(), arns[0], {"RUNNING"})
    destroy = p.stack.destroy(color="never")
    assert destroy.summary.resource_changes == {"delete": 3}
    assert [p.braket().get_job(jobArn=arn)["status"] for arn in arns] == ["CANCELLED"] * 2
    assert p.stack.export_stack().deployment.get("resources") in (None, [])


def test_config_region_endpoint_and_default_tags_honoured(
    project: Callable[..., Project], host: str, new_service: Callable[..., Service]
) -> None:
    other = new_service()
    p = project(region="eu-west-2", host=host)
    # The endpoint comes from stack config, not the environment.
    p.env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"
    p.stack.workspace.env_vars = p.env
    p.configure("braket:endpoint", other.endpoint)
    p.configure("braket:defaultTags", {"tags": {"cost-center": "q1", "team": "default"}})
    p.jobs({"sweep": job_args(tags={"team": "qa"})})
    arn = p.up().outputs["sweep_arn"].value
    assert arn.startswith("arn:aws:braket:eu-west-2:")
    job = other.client(region="eu-west-2").get_job(jobArn=arn)
    assert job["tags"] == {"cost-center": "q1", "team": "qa"}


def test_export_holds_no_credentials_and_secret_hyperparameters_encrypted(
    project: Callable[..., Project],
    host: str,
) -> None:
    p = project(host=host)
    # A role session's credentials, as CI has them: the key, secret and token must all stay out.
    session = session_credentials(p.service)
    p.env.update(session)
    p.stack.workspace.env_vars = p.env
    p.configure("engine-test:apiToken", "SENTINEL-TOKEN-0002", secret=True)
    p.jobs({"sweep": job_args(secretHyperParameter=True)})
    arn = p.up().outputs["sweep_arn"].value
    # The job really received the token.
    assert p.braket().get_job(jobArn=arn)["hyperParameters"]["api_token"] == "SENTINEL-TOKEN-0002"
    plain = p.run("stack", "export").stdout
    shown = p.run("stack", "export", "--show-secrets").stdout
    assert "SENTINEL-TOKEN-0002" not in plain
    assert "SENTINEL-TOKEN-0002" in shown
    credentials = [*session.values(), p.service.access_key_id, p.service.secret_access_key]
    for text in (plain, shown):
        assert [value for value in credentials if value in text] == []


def job_outside_pulumi(p: Project, args: dict[str, Any], tags: dict[str, str] | None = None) -> str:
    """A job started by someone else (console, SDK) with what the program will declare."""
    spec = args["algorithm_specification"]["script_mode_config"]
    return str(
        p.braket().create_job(
            clientToken=uuid.uuid4().hex,
            jobName=args["job_name"],
            roleArn=args["role_arn"],
            deviceConfig={"device": args["device_config"]["device"]},
            algorithmSpecification={
                "scriptModeConfig": {"entryPoint": spec["entry_point"], "s3Uri": spec["s3_uri"]}
            },
            outputDataConfig={"s3Path": args["output_data_config"]["s3_path"]},
            instanceConfig={"instanceType": "ml.m5.large", "volumeSizeInGb": 30},
            hyperParameters=args["hyper_parameters"],
            tags=tags or {"set-outside": "yes"},
        )["jobArn"]
    )


def test_import_option_fails_upstream_for_dynamic_resources(
    project: Callable[..., Project],
) -> None:
    # pulumi/pulumi#16175: the engine's Read for an import carries no `__provider`, so the
    # dynamic provider host fails before any provider code runs. When this test starts
    # failing, import works: switch the README's adopt section back to `import_`.
    p = project()
    args = job_args()
    arn = job_outside_pulumi(p, args)
    p.jobs({"sweep": {**args, "importArn": True, "arn": arn}})
    with pytest.raises(auto.CommandError) as caught:
        p.preview()
    assert "KeyError: '__provider'" in str(caught.value)


def test_adopt_arn_takes_existing_job_then_preview_is_clean(
    project: Callable[..., Project],
    host: str,
) -> None:
    p = project(host=host)
    args = job_args()
    arn = job_outside_pulumi(p, args)
    p.jobs({"sweep": {**args, "adopt_arn": arn}})
    up = p.up()
    assert up.summary.resource_changes == {"create": 2}
    assert up.outputs["sweep_arn"].value == arn
    # Tags declared by the program are applied; keys set outside are left alone.
    assert p.braket().get_job(jobArn=arn)["tags"] == {"set-outside": "yes", "team": "qa"}
    assert changes(p.preview()) == {}
    names = [{"name": "jobName", "operator": "EQUAL", "values": [args["job_name"]]}]
    assert len(p.braket().search_jobs(filters=names)["jobs"]) == 1
    # Once adopted, dropping adopt_arn from the program changes nothing either.
    p.jobs({"sweep": args})
    assert changes(p.preview()) == {}


def test_adopt_arn_program_mismatch_names_fields(
    project: Callable[..., Project], host: str
) -> None:
    p = project(host=host)
    args = job_args()
    arn = job_outside_pulumi(p, args)
    p.jobs({"sweep": {**args, "adopt_arn": arn, "job_name": "other-name", "role_arn": ROLE[:-1]}})
    with pytest.raises(auto.CommandError) as caught:
        p.up()
    # The dynamic host prefixes the error's class; the plugin spells fields as its schema.
    prefix, fields = (
        ("", "jobName, roleArn") if host == "plugin" else ("BraketError: ", "job_name, role_arn")
    )
    assert (
        f"{prefix}adopt Braket Job ({arn}): the program differs from the job in {fields}; "
        f"make them match (aws braket get-job --job-arn {arn})"
    ) in str(caught.value)
