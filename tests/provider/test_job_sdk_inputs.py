"""Job's SDK-style inputs (source, entry_point, input_data, device, waiting) against the service."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pulumi
import pytest

from pulumi_braket import BraketError
from pulumi_braket.declarations import DEFAULTED, LOOKED_UP
from pulumi_braket.hosts.dynamic import custom_timeouts, duration_seconds
from pulumi_braket.job import JobProvider
from pulumi_braket.source import pack
from tests.conftest import Service
from tests.provider.test_job_provider import ROLE, SV1, configured

ACCOUNT = "123456789012"
BUCKET = f"amazon-braket-us-east-1-{ACCOUNT}"
FORTE_OFFLINE = "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-Enterprise-1"


@pytest.fixture
def provider(shared_service: Service, aws_env: None) -> JobProvider:
    return configured(shared_service)


def make_algo(root: Path, body: str = "def main():\n    return 1\n") -> Path:
    algo = root / "algo"
    algo.mkdir(parents=True, exist_ok=True)
    (algo / "__init__.py").write_text("")
    (algo / "run.py").write_text(body)
    return algo


def sdk_inputs(algo: Path, **overrides: Any) -> dict[str, Any]:
    """What a user writes: source, entry point and device, nothing else."""
    props: dict[str, Any] = {
        "source": str(algo),
        "entry_point": "algo.run:main",
        "device": "sv1",
        "role_arn": ROLE,
        "client_token_scope": f"proj/stack/sweep-{uuid.uuid4().hex[:6]}",
    }
    props.update(overrides)
    return {key: value for key, value in props.items() if value is not None}


def checked(provider: JobProvider, props: dict[str, Any], olds: Any = None) -> dict[str, Any]:
    result = provider.check(olds or {}, props)
    assert [(f.property, f.reason) for f in result.failures] == []
    return result.inputs


def failures(provider: JobProvider, props: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.property, f.reason) for f in provider.check({}, props).failures]


# -- source -----------------------------------------------------------------------------------


def test_check_source_fills_content_addressed_script_and_every_default(
    provider: JobProvider, tmp_path: Path
) -> None:
    algo = make_algo(tmp_path)
    props = sdk_inputs(algo, role_arn=None)
    os.environ["BRAKET_JOBS_ROLE_ARN"] = ROLE
    try:
        inputs = checked(provider, props)
    finally:
        del os.environ["BRAKET_JOBS_ROLE_ARN"]
    name = props["client_token_scope"].rsplit("/", 1)[1]
    digest = pack(algo).sha256[:16]
    assert inputs["job_name"] == name
    assert inputs["role_arn"] == ROLE
    assert inputs["device_config"] == {"device": SV1}
    assert inputs["algorithm_specification"] == {
        "script_mode_config": {
            "entry_point": "algo.run:main",
            "s3_uri": f"s3://{BUCKET}/jobs/{name}/script/{digest}/source.tar.gz",
            "compression_type": "GZIP",
        },
        "container_image": {
            "uri": "292282985366.dkr.ecr.us-east-1.amazonaws.com/amazon-braket-base-jobs:latest"
        },
    }
    assert inputs["output_data_config"] == {"s3_path": f"s3://{BUCKET}/jobs/{name}/data"}
    assert inputs["checkpoint_config"] == {
        "s3_uri": f"s3://{BUCKET}/jobs/{name}/checkpoints",
        "local_path": "/opt/jobs/checkpoints",
    }
    assert inputs["instance_config"] == {
        "instance_type": "ml.m5.large",
        "volume_size_in_gb": 30,
        "instance_count": 1,
    }
    assert inputs["stopping_condition"] == {"max_runtime_in_seconds": 432000}
    assert inputs[LOOKED_UP] == {"region": "us-east-1", "account": ACCOUNT}
    assert "role_arn" in inputs[DEFAULTED] and "job_name" in inputs[DEFAULTED]


def test_check_source_default_entry_point_is_module_name(
    provider: JobProvider, tmp_path: Path
) -> None:
    algo = make_algo(tmp_path)
    inputs = checked(provider, sdk_inputs(algo, entry_point=None))
    assert inputs["algorithm_specification"]["script_mode_config"]["entry_point"] == "algo"


def test_check_source_same_bytes_twice_and_untouched_tree_no_diff(
    provider: JobProvider, tmp_path: Path
) -> None:
    algo = make_algo(tmp_path)
    assert pack(algo).data == pack(algo).data
    props = sdk_inputs(algo)
    first = checked(provider, props)
    os.utime(algo / "run.py", (1, 1))  # a touch is not a change
    again = checked(provider, props, olds=first)
    assert again["algorithm_specification"] == first["algorithm_specification"]
    diff = provider.diff("arn", first, again)
    assert diff.changes is False and diff.replaces == []


def test_diff_source_content_change_replaces(provider: JobProvider, tmp_path: Path) -> None:
    algo = make_algo(tmp_path)
    props = sdk_inputs(algo)
    first = checked(provider, props)
    (algo / "run.py").write_text("def main():\n    return 2\n")
    changed = checked(provider, props, olds=first)
    old_uri = first["algorithm_specification"]["script_mode_config"]["s3_uri"]
    new_uri = changed["algorithm_specification"]["script_mode_config"]["s3_uri"]
    assert old_uri != new_uri
    diff = provider.diff("arn", first, changed)
    assert diff.replaces == ["algorithm_specification"]


def test_diff_source_moved_same_content_no_change(provider: JobProvider, tmp_path: Path) -> None:
    first_copy = make_algo(tmp_path / "a")
    second_copy = make_algo(tmp_path / "b")
    props = sdk_inputs(first_copy)
    first = checked(provider, props)
    moved = checked(provider, {**props, "source": str(second_copy)}, olds=first)
    assert provider.diff("arn", first, moved).changes is False


def test_check_source_link_out_of_tree_refused(provider: JobProvider, tmp_path: Path) -> None:
    algo = make_algo(tmp_path / "repo")
    secret = tmp_path / "credentials"
    secret.write_text("aws_secret_access_key = nope\n")
    (algo / "creds").symlink_to(secret)
    assert failures(provider, sdk_inputs(algo)) == [
        (
            "source",
            f"pack Braket Job source ({algo}): link algo/creds -> {secret} points outside "
            "the source tree",
        )
    ]


def test_check_source_dotdot_refused(provider: JobProvider, tmp_path: Path) -> None:
    make_algo(tmp_path)
    cwd = os.getcwd()
    os.chdir(tmp_path / "algo")
    try:
        found = failures(provider, sdk_inputs(Path("../algo")))
    finally:
        os.chdir(cwd)
    assert found == [
        (
            "source",
            "pack Braket Job source (../algo): '..' in a relative source path leaves the "
            "program's directory; use a path inside it, or an absolute path",
        )
    ]


def test_check_entry_point_unknown_module_message(provider: JobProvider, tmp_path: Path) -> None:
    algo = make_algo(tmp_path)
    assert failures(provider, sdk_inputs(algo, entry_point="algo.train:main")) == [
        (
            "entry_point",
            "entry_point: module algo.train is not in the source algo (looked for "
            "algo/train.py or algo/train/__init__.py); an entry point is "
            "`module.path:function` from the source's parent directory, e.g. "
            "algo.<file>:main",
        )
    ]


def test_check_source_and_script_mode_config_conflict(
    provider: JobProvider, tmp_path: Path
) -> None:
    algo = make_algo(tmp_path)
    given = {"script_mode_config": {"entry_point": "x", "s3_uri": "s3://b/k"}}
    assert failures(provider, sdk_inputs(algo, algorithm_specification=given)) == [
        (
            "source",
            "source: algorithm_specification.script_mode_config is set too; give one of them",
        )
    ]


def test_check_code_location_prefix_used(provider: JobProvider, tmp_path: Path) -> None:
    algo = make_algo(tmp_path)
    inputs = checked(provider, sdk_inputs(algo, code_location="s3://my-code/team/"))
    digest = pack(algo).sha256[:16]
    uri = inputs["algorithm_specification"]["script_mode_config"]["s3_uri"]
    assert uri == f"s3://my-code/team/{digest}/source.tar.gz"


def test_create_source_uploaded_once_to_default_bucket(
    new_service: Any, aws_env: None, tmp_path: Path
) -> None:
    service = new_service()
    provider = configured(service)
    algo = make_algo(tmp_path)
    inputs = checked(provider, sdk_inputs(algo))
    provider.create(inputs)
    s3 = service.client("s3")
    bucket, key = inputs["algorithm_specification"]["script_mode_config"]["s3_uri"][5:].split(
        "/", 1
    )
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == pack(algo).data
    # The same code for a second job is one HEAD, no second PUT.
    puts_before = [c["operation"] for c in service.calls()].count("s3:PUT")
    other = checked(provider, sdk_inputs(algo, job_name=None))
    provider.create({**other, "hyper_parameters": {"point": "2"}})
    operations = [c["operation"] for c in service.calls()]
    assert operations.count("s3:PUT") == puts_before + 1  # the other job's own key only


def test_create_input_data_local_path_stored_by_content(
    new_service: Any, aws_env: None, tmp_path: Path
) -> None:
    service = new_service()
    provider = configured(service)
    algo = make_algo(tmp_path)
    data = tmp_path / "molecules"
    (data / "h2").mkdir(parents=True)
    (data / "h2" / "geometry.json").write_text('{"bond": 0.74}')
    inputs = checked(
        provider,
        sdk_inputs(algo, input_data={"train": str(data), "ref": "s3://shared/reference/"}),
    )
    name = inputs["job_name"]
    digest = pack(data).sha256[:16]
    local_uri = f"s3://{BUCKET}/jobs/{name}/data/train/{digest}/molecules"
    assert inputs["input_data_config"] == [
        {
            "channel_name": "ref",
            "data_source": {"s3_data_source": {"s3_uri": "s3://shared/reference/"}},
        },
        {"channel_name": "train", "data_source": {"s3_data_source": {"s3_uri": local_uri}}},
    ]
    arn = provider.create(inputs).id
    key = f"jobs/{name}/data/train/{digest}/molecules/h2/geometry.json"
    body = service.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert body == b'{"bond": 0.74}'
    sent = service.client().get_job(jobArn=arn)["inputDataConfig"]
    assert [c["dataSource"]["s3DataSource"]["s3Uri"] for c in sent] == [
        "s3://shared/reference/",
        local_uri,
    ]


def test_create_source_changed_since_check_refused(provider: JobProvider, tmp_path: Path) -> None:
    algo = make_algo(tmp_path)
    inputs = checked(provider, sdk_inputs(algo))
    (algo / "run.py").write_text("changed = True\n")
    with pytest.raises(BraketError) as raised:
        provider.create(inputs)
    assert str(raised.value) == (
        f"create Braket Job ({inputs['job_name']}): source {algo} changed after the preview "
        "of this update; run `pulumi up` again"
    )


# -- defaults on existing jobs ------------------------------------------------------------------


def test_check_existing_job_without_defaults_gets_none(provider: JobProvider) -> None:
    """A job created before defaults existed must not be replaced for them."""
    legacy = {
        "job_name": "legacy",
        "role_arn": ROLE,
        "algorithm_specification": {
            "script_mode_config": {"entry_point": "algo.run:main", "s3_uri": "s3://b/src"}
        },
        "output_data_config": {"s3_path": "s3://b/out"},
        "instance_config": {"instance_type": "ml.m5.large", "volume_size_in_gb": 30},
        "device_config": {"device": SV1},
        "client_token_scope": "proj/stack/legacy",
    }
    again = checked(provider, dict(legacy), olds=dict(legacy))
    for member in ("checkpoint_config", "stopping_condition"):
        assert member not in again
    assert again["algorithm_specification"] == legacy["algorithm_specification"]
    assert again["instance_config"] == legacy["instance_config"]
    assert provider.diff("arn", legacy, again).changes is False


def test_check_unchanged_stack_makes_no_api_call(new_service: Any, aws_env: None) -> None:
    service = new_service()
    provider = configured(service)
    props = {
        "device": "sv1",
        "role_arn": ROLE,
        "algorithm_specification": {
            "script_mode_config": {"entry_point": "algo.run:main", "s3_uri": "s3://b/src"}
        },
        "client_token_scope": "proj/stack/quiet",
    }
    first = checked(provider, dict(props))
    assert first["device_config"] == {"device": SV1}
    before = len(service.calls())
    assert before > 0  # the first check looked up the device and the account
    assert checked(provider, dict(props), olds=first) == first
    assert service.calls()[before:] == []


# -- devices ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "arn"),
    [
        ("sv1", SV1),
        ("DM1", "arn:aws:braket:::device/quantum-simulator/amazon/dm1"),
        ("ionq/forte-1", "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"),
        ("IonQ/Forte 1", "arn:aws:braket:us-east-1::device/qpu/ionq/Forte-1"),
        (SV1, SV1),
    ],
)
def test_check_device_short_name_resolved(provider: JobProvider, name: str, arn: str) -> None:
    props = sdk_inputs(Path("unused"), device=name, source=None, entry_point=None)
    props["algorithm_specification"] = {
        "script_mode_config": {"entry_point": "a", "s3_uri": "s3://b/k"}
    }
    assert checked(provider, props)["device_config"] == {"device": arn}


def test_check_device_unknown_name_message(provider: JobProvider, tmp_path: Path) -> None:
    [(path, reason)] = failures(provider, sdk_inputs(make_algo(tmp_path), device="acme/qpu-9"))
    assert path == "device"
    assert reason.startswith(
        "device: get Braket device (acme/qpu-9): no device matches in us-east-1; known: "
    )
    assert reason.endswith(
        "; a QPU of another region needs a stack in that region (pulumi config set aws:region ...)"
    )


def test_check_device_retired_fails(provider: JobProvider, tmp_path: Path) -> None:
    assert failures(provider, sdk_inputs(make_algo(tmp_path), device="ionq/harmony")) == [
        (
            "device",
            "device: arn:aws:braket:us-east-1::device/qpu/ionq/Harmony is RETIRED; choose "
            "another device",
        )
    ]


def test_check_device_offline_warns_not_fails(
    provider: JobProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    props = sdk_inputs(make_algo(tmp_path), device=None, device_config={"device": FORTE_OFFLINE})
    inputs = checked(provider, props)
    assert inputs["device_config"] == {"device": FORTE_OFFLINE}
    name = props["client_token_scope"].rsplit("/", 1)[1]
    assert (
        f"warning: Braket Job ({name}): device {FORTE_OFFLINE} is OFFLINE now; creating the "
        "job fails (DeviceOfflineException) unless it is ONLINE by then"
    ) in capsys.readouterr().err


def test_check_device_qpu_other_region_reported_with_fix(
    provider: JobProvider, tmp_path: Path
) -> None:
    ankaa = "arn:aws:braket:us-west-1::device/qpu/rigetti/Ankaa-3"
    assert failures(provider, sdk_inputs(make_algo(tmp_path), device=ankaa)) == [
        (
            "device",
            f"device: {ankaa} is a QPU in us-west-1, but this stack's Braket region is "
            "us-east-1; a hybrid job runs in its device's region: set `pulumi config set "
            "aws:region us-west-1` (or braket:region), or keep jobs of that region in a stack "
            "of their own",
        )
    ]


def test_check_device_and_device_config_conflict(provider: JobProvider, tmp_path: Path) -> None:
    props = sdk_inputs(make_algo(tmp_path), device_config={"device": SV1})
    assert failures(provider, props) == [
        ("device", "device: device_config is set too; give one of them")
    ]


# -- waiting ------------------------------------------------------------------------------------


def test_create_wait_for_completion_streams_progress_and_results(
    provider: JobProvider, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = checked(provider, sdk_inputs(make_algo(tmp_path), wait_for_completion=True))
    result = provider.create(inputs)
    assert result.outs is not None
    assert result.outs["status"] == "COMPLETED"
    assert result.outs["results_uri"] == (
        f"{inputs['output_data_config']['s3_path']}/output/model.tar.gz"
    )
    assert result.outs["billable_duration"] is not None
    name = inputs["job_name"]
    logged = capsys.readouterr().err.splitlines()
    statuses = [line for line in logged if line.startswith(f"info: Braket Job {name}: ")]
    assert f"info: Braket Job {name}: RUNNING Running the algorithm script" in statuses
    # Events come before the status they lead to, and a status an event announced is not
    # shown again bare: the completion event is the last line, and no line repeats.
    assert statuses[-1] == f"info: Braket Job {name}: COMPLETED Job completed"
    assert f"info: Braket Job {name}: COMPLETED" not in statuses
    assert len(statuses) == len(set(statuses)), statuses


def test_create_wait_failed_job_fails_with_reason(provider: JobProvider, tmp_path: Path) -> None:
    props = sdk_inputs(
        make_algo(tmp_path),
        wait_for_completion=30,
        hyper_parameters={"braket.local.fail": "ValueError: loss diverged at step 12"},
    )
    inputs = checked(provider, props)
    with pytest.raises(BraketError) as raised:
        provider.create(inputs)
    message = str(raised.value)
    assert message.startswith(
        f"create Braket Job ({inputs['job_name']}): the job ended FAILED: ValueError: loss "
        "diverged at step 12 (arn:aws:braket:us-east-1:"
    )
    assert message.endswith(
        "); it stays as history, and the same inputs name this same job: change an input "
        "(a hyperparameter, say) to run a new one"
    )


def test_create_wait_timeout_keeps_job_and_says_how_to_resume(
    provider: JobProvider, tmp_path: Path, shared_service: Service
) -> None:
    props = sdk_inputs(
        make_algo(tmp_path),
        wait_for_completion=True,
        custom_timeouts={"create": 1.0},
        hyper_parameters={"braket.local.run_seconds": "60"},
    )
    inputs = checked(provider, props)
    with pytest.raises(BraketError) as raised:
        provider.create(inputs)
    message = str(raised.value)
    assert "after 1 s of waiting (arn:aws:braket:us-east-1:" in message
    assert "it keeps running: the next `pulumi up` waits for this same job again" in message
    arn = message.split("waiting (", 1)[1].split(")", 1)[0]
    assert shared_service.client().get_job(jobArn=arn)["status"] in {"QUEUED", "RUNNING"}
    shared_service.client().cancel_job(jobArn=arn)


@pytest.mark.parametrize("value", [0, -5, "soon"])
def test_check_wait_for_completion_invalid_message(
    provider: JobProvider, tmp_path: Path, value: Any
) -> None:
    assert failures(provider, sdk_inputs(make_algo(tmp_path), wait_for_completion=value)) == [
        (
            "wait_for_completion",
            f"wait_for_completion: {value!r} is neither true/false nor a positive number of "
            "seconds",
        )
    ]


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30.0), ("10m", 600.0), ("1h30m", 5400.0), ("1.5h", 5400.0)]
)
def test_duration_seconds_go_durations(text: str, seconds: float) -> None:
    assert duration_seconds(text) == seconds


def test_duration_seconds_bad_text_message() -> None:
    with pytest.raises(ValueError, match="custom timeout '10 minutes' is not a duration"):
        duration_seconds("10 minutes")


def test_timeouts_from_resource_options() -> None:
    opts = pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="45m", delete="2m"))
    assert custom_timeouts(opts) == {"create": 2700.0, "delete": 120.0}
    assert custom_timeouts(None) is None
