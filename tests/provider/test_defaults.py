"""The Braket SDK's job defaults (pulumi_braket.defaults) against the local STS, IAM and S3."""

from __future__ import annotations

import json
import os
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.model import StructureShape
from braket.aws import AwsSession
from braket.jobs import config as sdk_config
from braket.jobs.image_uris import Framework, retrieve_image
from braket.jobs.quantum_job_creation import prepare_quantum_job
from pulumi.output import UNKNOWN, Unknown

from pulumi_braket import BraketError, shapes
from pulumi_braket.declarations import DEFAULTED, JOB, LOOKED_UP
from pulumi_braket.defaults import (
    CHECKPOINT_LOCAL_PATH,
    COMPRESSION_TYPE,
    FRAMEWORKS,
    IMAGE_REGIONS,
    INSTANCE_DEFAULTS,
    MAX_RUNTIME_SECONDS,
    DefaultsError,
    account_id,
    checkpoint_prefix,
    fill_job_defaults,
    image_uri,
    job_name_from,
    output_prefix,
    resolve_role,
    script_key,
)
from pulumi_braket.settings import ProviderSettings
from pulumi_braket.source import default_bucket, s3_uri
from tests.conftest import Service, use_credentials

ACCOUNT = "123456789012"
REGION = "us-east-1"
BUCKET = f"amazon-braket-{REGION}-{ACCOUNT}"
SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
ROLE_NAME = "AmazonBraketJobsExecutionRole-defaults"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/{ROLE_NAME}"
OTHER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/MyJobsRole"
DIGEST = "0123456789abcdef" * 4
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "braket.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
SDK_FRAMEWORKS = {
    "base": Framework.BASE,
    "pytorch": Framework.PL_PYTORCH,
    "tensorflow": Framework.PL_TENSORFLOW,
    "cudaq": Framework.CUDAQ,
}
# Variables that could point a client, the SDK or the role lookup somewhere else.
LEAKY_PREFIXES = ("AWS_", "BRAKET_", "AMZN_BRAKET_")


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service() -> Iterator[Service]:
    """A service of this module's own, so the only role the IAM lookup can find is ROLE.

    Beside it: a role with the right name outside /service-role/, and a role under
    /service-role/ with another name; the lookup must pass over both, as the SDK does.
    """
    started = Service()
    iam = started.client("iam")
    iam.create_role(RoleName=ROLE_NAME, Path="/service-role/", AssumeRolePolicyDocument=TRUST)
    iam.create_role(
        RoleName="AmazonBraketJobsExecutionRole-root", Path="/", AssumeRolePolicyDocument=TRUST
    )
    iam.create_role(
        RoleName="SomeoneElsesRole", Path="/service-role/", AssumeRolePolicyDocument=TRUST
    )
    yield started
    started.stop()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The test services' credentials, an empty HOME, and nothing else of AWS's or Braket's."""
    for name in list(os.environ):
        if name.startswith(LEAKY_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    use_credentials(monkeypatch)


@pytest.fixture
def settings(service: Service, aws_env: None) -> ProviderSettings:
    return ProviderSettings(endpoint_url=service.endpoint, region=REGION)


@pytest.fixture
def offline(aws_env: None) -> Iterator[ProviderSettings]:
    """Settings whose endpoint refuses connections: any network call fails at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{sock.getsockname()[1]}"
        yield ProviderSettings(endpoint_url=endpoint, region=REGION, max_attempts=1)


def minimal(**overrides: Any) -> dict[str, Any]:
    """What a user must give: the device and the script."""
    inputs: dict[str, Any] = {
        "device_config": {"device": SV1},
        "algorithm_specification": {
            "script_mode_config": {
                "entry_point": "sweep.run:main",
                "s3_uri": f"s3://{BUCKET}/jobs/my-sweep/script/abc123/source.tar.gz",
            }
        },
    }
    inputs.update(overrides)
    return inputs


def complete(**overrides: Any) -> dict[str, Any]:
    """Inputs with every defaultable member set by the user, none to the SDK's value."""
    inputs = minimal(
        job_name="mine",
        role_arn=OTHER_ROLE,
        algorithm_specification={
            "script_mode_config": {
                "entry_point": "sweep.run:main",
                "s3_uri": "s3://my-bucket/src.tar.gz",
                "compression_type": "NONE",
            },
            "container_image": {
                "uri": "111122223333.dkr.ecr.us-east-1.amazonaws.com/my-image:v1",
            },
        },
        output_data_config={"s3_path": "s3://my-bucket/out", "kms_key_id": "alias/mine"},
        checkpoint_config={"s3_uri": "s3://my-bucket/ckpt", "local_path": "/opt/ckpt"},
        instance_config={"instance_type": "ml.c5.xlarge", "volume_size_in_gb": 50.0,
                         "instance_count": 2},
        stopping_condition={"max_runtime_in_seconds": 3600},
    )  # fmt: skip
    inputs.update(overrides)
    return inputs


def request_problems(inputs: dict[str, Any]) -> list[shapes.Problem]:
    """What the model says of filled inputs as a create_job request."""
    request = {key: value for key, value in inputs.items() if key not in JOB.extras}
    return shapes.validate(
        "CreateJobRequest", {**request, "client_token": "t"}, strict=False, snake_case=True
    )


def model_max(shape: str, member: str) -> int:
    structure = shapes.service_model().shape_for(shape)
    assert isinstance(structure, StructureShape)
    return int(structure.members[member].metadata["max"])


# -- job names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource_name", "expected"),
    [
        ("my-sweep", "my-sweep"),
        ("my_sweep", "my-sweep"),
        ("my.sweep.v2", "my-sweep-v2"),
        ("-leading-dash", "leading-dash"),
        ("trailing__", "trailing"),
        ("a__b..c  d", "a-b-c-d"),
        ("vqe/ionq forte:1", "vqe-ionq-forte-1"),
        ("Ünïcode naïve", "Unicode-naive"),
        ("X", "X"),
    ],
)
def test_job_name_from_awkward_names_match_model(resource_name: str, expected: str) -> None:
    name = job_name_from(resource_name)
    assert name == expected
    assert shapes.validate_value("CreateJobRequestJobNameString", name) == []


@pytest.mark.parametrize("resource_name", ["___", "---", "日本語", "", "  "])
def test_job_name_from_nothing_usable_hashes_resource_name(resource_name: str) -> None:
    name = job_name_from(resource_name)
    assert re.fullmatch(r"job-[0-9a-f]{8}", name)
    assert shapes.validate_value("CreateJobRequestJobNameString", name) == []
    assert job_name_from(resource_name) == name


def test_job_name_from_long_names_fit_and_stay_distinct() -> None:
    limit = shapes.service_model().shape_for("CreateJobRequestJobNameString").metadata["max"]
    stem = "parameter-sweep-of-the-variational-quantum-eigensolver"
    names = [job_name_from(f"{stem}-{variant}") for variant in ("a", "b", "_c_")]
    assert len(set(names)) == 3
    for name in names:
        assert len(name) == limit
        assert name.startswith("parameter-sweep-of-the-variational-quantu")
        assert re.search(r"-[0-9a-f]{8}$", name)
        assert shapes.validate_value("CreateJobRequestJobNameString", name) == []
    # A cut that lands on a dash does not leave two before the hash.
    dashed = job_name_from("x" * 40 + "-" + "y" * 40)
    assert "--" not in dashed
    assert shapes.validate_value("CreateJobRequestJobNameString", dashed) == []


def test_job_name_from_is_deterministic() -> None:
    # No timestamp, unlike the SDK: the same resource name is the same job name on every
    # preview and up, so the create-only job_name never forces a replacement.
    first = job_name_from("my_sweep" * 10)
    time.sleep(0.01)
    assert job_name_from("my_sweep" * 10) == first


# -- images ---------------------------------------------------------------------------------


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
@pytest.mark.parametrize("region", IMAGE_REGIONS)
def test_image_uri_each_region_and_framework_matches_sdk_and_model(
    region: str, framework: str
) -> None:
    uri = image_uri(region, framework)
    assert (
        uri == f"292282985366.dkr.ecr.{region}.amazonaws.com/amazon-braket-{framework}-jobs:latest"
    )
    assert uri == retrieve_image(SDK_FRAMEWORKS[framework], region)
    assert shapes.validate_value("Uri", uri) == []


def test_image_uri_regions_are_the_sdks() -> None:
    # Every region botocore knows, asked of the SDK: ours are exactly those it publishes.
    regions = boto3.session.Session().get_available_regions("ec2")
    for framework, sdk_name in SDK_FRAMEWORKS.items():
        published = set()
        for region in regions:
            try:
                retrieve_image(sdk_name, region)
            except ValueError:
                continue
            published.add(region)
        assert published == set(IMAGE_REGIONS), framework


def test_image_uri_sdk_framework_names_accepted() -> None:
    assert image_uri(REGION, "PL_PYTORCH") == image_uri(REGION, "pytorch")
    assert image_uri(REGION, "CUDAQ") == retrieve_image(Framework.CUDAQ, REGION)


@pytest.mark.parametrize("given", [DIGEST, f"sha256:{DIGEST}", f" sha256:{DIGEST} "])
def test_image_uri_pinned_digest_matches_model(given: str) -> None:
    uri = image_uri("us-west-2", "tensorflow", given)
    assert uri == (
        "292282985366.dkr.ecr.us-west-2.amazonaws.com/amazon-braket-tensorflow-jobs"
        f"@sha256:{DIGEST}"
    )
    assert shapes.validate_value("Uri", uri) == []


@pytest.mark.parametrize(
    "digest", ["latest", "sha256:abc", DIGEST.upper(), f"sha512:{DIGEST}", DIGEST + "0"]
)
def test_image_uri_bad_digest_fails(digest: str) -> None:
    with pytest.raises(BraketError) as raised:
        image_uri(REGION, "base", digest)
    assert str(raised.value) == (
        f"image_digest: {digest!r} is not an image digest; expected sha256: and 64 lowercase "
        "hex digits, as `aws ecr describe-images` reports imageDigest"
    )


def test_image_uri_unsupported_region_names_supported() -> None:
    with pytest.raises(BraketError) as raised:
        image_uri("ap-southeast-2", "pytorch")
    assert str(raised.value) == (
        "image: the Braket pytorch image is not published in 'ap-southeast-2'; supported "
        "regions: us-east-1, us-west-1, us-west-2, eu-west-2, eu-north-1; set "
        "container_image to your own image in that region"
    )


def test_image_uri_unknown_framework_names_frameworks() -> None:
    with pytest.raises(BraketError) as raised:
        image_uri(REGION, "jax")
    assert str(raised.value) == (
        "image: unknown framework 'jax'; the Braket images are base, pytorch, tensorflow, cudaq"
    )


# -- bucket and keys ------------------------------------------------------------------------


def test_default_bucket_and_keys_follow_sdk_layout_without_timestamp() -> None:
    assert default_bucket("eu-west-2", ACCOUNT) == f"amazon-braket-eu-west-2-{ACCOUNT}"
    assert script_key("my-sweep", "3f2a9c") == "jobs/my-sweep/script/3f2a9c/source.tar.gz"
    assert output_prefix("my-sweep") == "jobs/my-sweep/data"
    assert checkpoint_prefix("my-sweep") == "jobs/my-sweep/checkpoints"
    assert s3_uri(BUCKET, output_prefix("my-sweep")) == f"s3://{BUCKET}/jobs/my-sweep/data"
    assert shapes.validate_value("S3Path", s3_uri(BUCKET, script_key("a", "b"))) == []


@pytest.mark.parametrize("content_id", ["", "a/b", "..", "x y"])
def test_script_key_bad_content_id_fails(content_id: str) -> None:
    with pytest.raises(BraketError, match=r"^keys: content id .* must be one path segment"):
        script_key("my-sweep", content_id)


def test_output_prefix_invalid_job_name_fails() -> None:
    with pytest.raises(BraketError, match=r"^keys: job name 'a/b' is not valid \(String"):
        output_prefix("a/b")


# -- account --------------------------------------------------------------------------------


def test_account_id_from_sts_then_cached(new_service: Any, aws_env: None) -> None:
    service = new_service()
    settings = ProviderSettings(endpoint_url=service.endpoint, region=REGION, max_attempts=1)
    assert account_id(settings) == ACCOUNT
    service.stop()
    assert account_id(settings) == ACCOUNT  # no second call: the service is gone


def test_account_id_failure_names_lookup(offline: ProviderSettings) -> None:
    with pytest.raises(BraketError, match=r"^account: STS GetCallerIdentity failed: Could not"):
        account_id(offline)


# -- role -----------------------------------------------------------------------------------


def test_resolve_role_argument_first_without_network(offline: ProviderSettings) -> None:
    environ = {"BRAKET_JOBS_ROLE_ARN": ROLE}
    assert resolve_role(OTHER_ROLE, offline, environ) == OTHER_ROLE


def test_resolve_role_env_var_second_without_network(offline: ProviderSettings) -> None:
    assert resolve_role(None, offline, {"BRAKET_JOBS_ROLE_ARN": OTHER_ROLE}) == OTHER_ROLE
    assert resolve_role("", offline, {"BRAKET_JOBS_ROLE_ARN": OTHER_ROLE}) == OTHER_ROLE


def test_resolve_role_iam_lookup_third_matches_sdk(
    service: Service, settings: ProviderSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_role(None, settings, {}) == ROLE
    assert resolve_role(None, settings, {"BRAKET_JOBS_ROLE_ARN": ""}) == ROLE
    monkeypatch.setenv("AWS_ENDPOINT_URL", service.endpoint)
    monkeypatch.setenv("AWS_REGION", REGION)
    assert AwsSession().get_default_jobs_role() == ROLE


def test_resolve_role_env_var_not_an_arn_fails(offline: ProviderSettings) -> None:
    with pytest.raises(BraketError) as raised:
        resolve_role(None, offline, {"BRAKET_JOBS_ROLE_ARN": "MyJobsRole"})
    assert str(raised.value).startswith(
        "role: BRAKET_JOBS_ROLE_ARN is 'MyJobsRole', not an IAM role ARN (String should match"
    )
    assert str(raised.value).endswith("; fix it, unset it, or pass role_arn")


def test_resolve_role_no_role_in_iam_message(new_service: Any, aws_env: None) -> None:
    service = new_service()
    service.client("iam").create_role(
        RoleName="AmazonBraketJobsExecutionRole", Path="/", AssumeRolePolicyDocument=TRUST
    )
    settings = ProviderSettings(endpoint_url=service.endpoint, region=REGION)
    with pytest.raises(BraketError) as raised:
        resolve_role(None, settings, {})
    assert str(raised.value) == (
        "role: no role argument, BRAKET_JOBS_ROLE_ARN unset, and IAM has no role named "
        "AmazonBraketJobsExecutionRole* under /service-role/ in account 123456789012; create "
        "it in the Braket console or pass role_arn"
    )
    assert "\n" not in str(raised.value)


def test_resolve_role_iam_unreachable_message(offline: ProviderSettings) -> None:
    with pytest.raises(BraketError) as raised:
        resolve_role(None, offline, {})
    message = str(raised.value)
    assert message.startswith(
        "role: no role argument, BRAKET_JOBS_ROLE_ARN unset, and IAM ListRoles under "
        "/service-role/ failed: Could not connect to the endpoint URL"
    )
    assert message.endswith("; pass role_arn, set BRAKET_JOBS_ROLE_ARN, or allow iam:ListRoles")


# -- constants ------------------------------------------------------------------------------


def test_constants_are_the_sdks_and_within_model() -> None:
    instance = sdk_config.InstanceConfig()
    assert dict(INSTANCE_DEFAULTS) == {
        "instance_type": instance.instanceType,
        "volume_size_in_gb": instance.volumeSizeInGb,
        "instance_count": instance.instanceCount,
    }
    assert MAX_RUNTIME_SECONDS == sdk_config.StoppingCondition().maxRuntimeInSeconds == 432000
    assert model_max("JobStoppingCondition", "maxRuntimeInSeconds") >= MAX_RUNTIME_SECONDS
    assert sdk_config.CheckpointConfig().localPath == CHECKPOINT_LOCAL_PATH
    assert shapes.validate_value("CompressionType", COMPRESSION_TYPE) == []
    assert shapes.validate("InstanceConfig", dict(INSTANCE_DEFAULTS), strict=True,
                           snake_case=True) == []  # fmt: skip


# -- fill_job_defaults ----------------------------------------------------------------------


def test_fill_job_defaults_minimal_inputs_fills_everything(settings: ProviderSettings) -> None:
    filled, notes = fill_job_defaults("my_sweep", minimal(), settings, {})
    image = "292282985366.dkr.ecr.us-east-1.amazonaws.com/amazon-braket-base-jobs:latest"
    assert filled == {
        "device_config": {"device": SV1},
        "job_name": "my-sweep",
        "role_arn": ROLE,
        "algorithm_specification": {
            "script_mode_config": {
                **minimal()["algorithm_specification"]["script_mode_config"],
                "compression_type": "GZIP",
            },
            "container_image": {"uri": image},
        },
        "output_data_config": {"s3_path": f"s3://{BUCKET}/jobs/my-sweep/data"},
        "checkpoint_config": {
            "s3_uri": f"s3://{BUCKET}/jobs/my-sweep/checkpoints",
            "local_path": "/opt/jobs/checkpoints",
        },
        "instance_config": {"instance_type": "ml.m5.large", "volume_size_in_gb": 30,
                            "instance_count": 1},
        "stopping_condition": {"max_runtime_in_seconds": 432000},
        DEFAULTED: [
            "algorithm_specification.container_image.uri",
            "algorithm_specification.script_mode_config.compression_type",
            "checkpoint_config.local_path",
            "checkpoint_config.s3_uri",
            "instance_config.instance_count",
            "instance_config.instance_type",
            "instance_config.volume_size_in_gb",
            "job_name",
            "output_data_config.s3_path",
            "role_arn",
            "stopping_condition.max_runtime_in_seconds",
        ],
        LOOKED_UP: {"account": ACCOUNT, "region": REGION},
    }  # fmt: skip
    where = f"default bucket of account {ACCOUNT} in {REGION}"
    assert notes == [
        "job_name = 'my-sweep' (from the resource name)",
        f"role_arn = '{ROLE}' (IAM lookup: first role AmazonBraketJobsExecutionRole* under "
        "/service-role/)",
        "algorithm_specification.script_mode_config.compression_type = 'GZIP' (Braket SDK default)",
        f"algorithm_specification.container_image.uri = '{image}' (Braket base image in "
        "us-east-1, latest)",
        f"output_data_config.s3_path = 's3://{BUCKET}/jobs/my-sweep/data' ({where})",
        f"checkpoint_config.s3_uri = 's3://{BUCKET}/jobs/my-sweep/checkpoints' ({where})",
        "checkpoint_config.local_path = '/opt/jobs/checkpoints' (Braket SDK default)",
        "instance_config.instance_type = 'ml.m5.large' (Braket SDK default)",
        "instance_config.volume_size_in_gb = 30 (Braket SDK default)",
        "instance_config.instance_count = 1 (Braket SDK default)",
        "stopping_condition.max_runtime_in_seconds = 432000 (Braket SDK default: 5 days)",
    ]
    assert request_problems(filled) == []


def test_fill_job_defaults_user_members_untouched_without_network(
    offline: ProviderSettings,
) -> None:
    given = complete()
    filled, notes = fill_job_defaults("my_sweep", given, offline, {})
    assert filled == {**given, DEFAULTED: []}
    assert notes == []
    assert given == complete()  # the caller's inputs are not modified


def test_fill_job_defaults_partial_sections_keep_user_members(settings: ProviderSettings) -> None:
    given = minimal(
        job_name="exact-name",
        instance_config={"instance_type": "ml.c5.xlarge"},
        output_data_config={"kms_key_id": "alias/mine"},
        checkpoint_config={"local_path": "/opt/mine"},
        stopping_condition={},
    )
    filled, notes = fill_job_defaults("my_sweep", given, settings, {"BRAKET_JOBS_ROLE_ARN": ROLE})
    assert filled["job_name"] == "exact-name"
    assert filled["instance_config"] == {
        "instance_type": "ml.c5.xlarge",
        "volume_size_in_gb": 30,
        "instance_count": 1,
    }
    assert filled["output_data_config"] == {
        "kms_key_id": "alias/mine",
        "s3_path": f"s3://{BUCKET}/jobs/exact-name/data",
    }
    assert filled["checkpoint_config"] == {
        "local_path": "/opt/mine",
        "s3_uri": f"s3://{BUCKET}/jobs/exact-name/checkpoints",
    }
    assert filled["stopping_condition"] == {"max_runtime_in_seconds": 432000}
    assert f"role_arn = '{ROLE}' (from BRAKET_JOBS_ROLE_ARN)" in notes
    assert not any(note.startswith(("job_name", "instance_config.instance_type")) for note in notes)
    assert request_problems(filled) == []


def test_fill_job_defaults_framework_and_digest_choose_image(settings: ProviderSettings) -> None:
    given = minimal(role_arn=ROLE, framework="cudaq", image_digest=f"sha256:{DIGEST}")
    filled, notes = fill_job_defaults("q", given, settings, {})
    uri = f"292282985366.dkr.ecr.us-east-1.amazonaws.com/amazon-braket-cudaq-jobs@sha256:{DIGEST}"
    assert filled["algorithm_specification"]["container_image"] == {"uri": uri}
    assert filled["framework"] == "cudaq"
    assert filled["image_digest"] == f"sha256:{DIGEST}"
    assert (
        f"algorithm_specification.container_image.uri = '{uri}' (Braket cudaq image in "
        f"us-east-1, pinned to sha256:{DIGEST})"
    ) in notes
    assert request_problems(filled) == []


def test_fill_job_defaults_no_algorithm_specification_left_to_model_check(
    settings: ProviderSettings,
) -> None:
    given = minimal(role_arn=ROLE)
    del given["algorithm_specification"]
    filled, notes = fill_job_defaults("q", given, settings, {})
    assert "algorithm_specification" not in filled
    assert not any(note.startswith("algorithm_specification") for note in notes)
    assert [p.path for p in request_problems(filled)] == ["algorithm_specification"]


def test_fill_job_defaults_unknowns_untouched_and_propagated(
    settings: ProviderSettings,
) -> None:
    given = minimal(
        job_name=UNKNOWN,
        role_arn=UNKNOWN,
        instance_config=UNKNOWN,
        algorithm_specification={"script_mode_config": UNKNOWN},
        framework=UNKNOWN,
    )
    filled, notes = fill_job_defaults("my_sweep", given, settings, {})
    assert filled["job_name"] is UNKNOWN
    assert filled["role_arn"] is UNKNOWN
    assert filled["instance_config"] is UNKNOWN
    assert filled["algorithm_specification"]["script_mode_config"] is UNKNOWN
    # Paths that derive from unknown inputs are unknown too: preview shows them as computed.
    assert isinstance(filled["algorithm_specification"]["container_image"]["uri"], Unknown)
    assert isinstance(filled["output_data_config"]["s3_path"], Unknown)
    assert filled["checkpoint_config"]["local_path"] == "/opt/jobs/checkpoints"
    assert (
        f"output_data_config.s3_path = <s3://{BUCKET}/jobs/{{job_name}}/data, once job_name "
        f"is known> (default bucket of account {ACCOUNT} in {REGION})"
    ) in notes
    assert not any(note.startswith(("job_name", "role_arn", "instance_config")) for note in notes)


def test_fill_job_defaults_problems_collected_at_once(
    offline: ProviderSettings,
) -> None:
    given = minimal(framework="jax", image_digest="latest")
    with pytest.raises(DefaultsError) as raised:
        fill_job_defaults("my_sweep", given, offline, {})
    error = raised.value
    assert isinstance(error, BraketError)
    assert [path for path, _ in error.problems] == [
        "role_arn",
        "framework",
        "image_digest",
        "output_data_config.s3_path",
        "checkpoint_config.s3_uri",
    ]
    account_failure = error.problems[3][1]
    assert account_failure.startswith("account: STS GetCallerIdentity failed: Could not connect")
    assert error.problems[4][1] == account_failure
    message = str(error)
    assert message.startswith("fill defaults of Braket Job (my_sweep): role: no role argument")
    assert message.count("account: STS") == 1
    assert "\n" not in message
    # What could be filled without the failed lookups still is, for the check to go on with.
    assert error.inputs["job_name"] == "my-sweep"
    assert error.inputs["instance_config"]["instance_type"] == "ml.m5.large"
    assert "job_name = 'my-sweep' (from the resource name)" in error.notes


def test_fill_job_defaults_framework_with_container_image_conflicts(
    offline: ProviderSettings,
) -> None:
    with pytest.raises(DefaultsError) as raised:
        fill_job_defaults("x", complete(framework="pytorch"), offline, {})
    assert raised.value.problems == [
        (
            "framework",
            "image: framework chooses a Braket image, but "
            "algorithm_specification.container_image is set; remove one",
        )
    ]


def test_fill_job_defaults_unsupported_region_leaves_image_to_braket(
    aws_env: None, service: Service
) -> None:
    settings = ProviderSettings(endpoint_url=service.endpoint, region="ap-southeast-2")
    given = complete()
    del given["algorithm_specification"]["container_image"]
    filled, notes = fill_job_defaults("x", given, settings, {})
    assert "container_image" not in filled["algorithm_specification"]
    assert not any("container_image" in note for note in notes)


def test_fill_job_defaults_unsupported_region_framework_names_image_path(
    aws_env: None, service: Service
) -> None:
    settings = ProviderSettings(endpoint_url=service.endpoint, region="ap-southeast-2")
    given = complete(framework="pytorch")
    del given["algorithm_specification"]["container_image"]
    with pytest.raises(DefaultsError) as raised:
        fill_job_defaults("x", given, settings, {})
    [(path, reason)] = raised.value.problems
    assert path == "algorithm_specification.container_image.uri"
    assert reason.startswith("image: the Braket pytorch image is not published in 'ap-southeast-2'")


def test_fill_job_defaults_keeps_previous_looked_up_role(offline: ProviderSettings) -> None:
    previous, _ = fill_job_defaults(
        "x", complete(role_arn=None), offline, {"BRAKET_JOBS_ROLE_ARN": ROLE}
    )
    assert previous[DEFAULTED] == ["role_arn"]
    # Another machine: another variable. The role looked up before stays, without IAM.
    again, notes = fill_job_defaults(
        "x", complete(role_arn=None), offline, {"BRAKET_JOBS_ROLE_ARN": OTHER_ROLE},
        previous=previous,
    )  # fmt: skip
    assert again["role_arn"] == ROLE
    assert notes == [
        f"role_arn = '{ROLE}' (kept from the previous deployment; set role_arn to change)"
    ]
    # A role the user had set and then removed is looked up afresh.
    user_set, _ = fill_job_defaults("x", complete(role_arn=OTHER_ROLE), offline, {})
    fresh, _ = fill_job_defaults(
        "x", complete(role_arn=None), offline, {"BRAKET_JOBS_ROLE_ARN": ROLE}, previous=user_set
    )
    assert fresh["role_arn"] == ROLE


def test_fill_job_defaults_matches_sdk_prepare_quantum_job(
    service: Service, settings: ProviderSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK's own defaults for the same job, against the same IAM, STS and S3."""
    s3 = service.client("s3")
    s3.create_bucket(Bucket="sdk-sources")
    s3.put_object(Bucket="sdk-sources", Key="sweep.tar.gz", Body=b"not read")
    for name, value in service.environment(REGION).items():
        monkeypatch.setenv(name, value)
    sdk = prepare_quantum_job(
        device=SV1,
        source_module="s3://sdk-sources/sweep.tar.gz",
        entry_point="sweep.run:main",
        job_name="my-sweep",
        aws_session=AwsSession(),
    )
    ours, _ = fill_job_defaults("my_sweep", minimal(), settings, {})
    theirs = shapes.from_wire("CreateJobRequest", {**sdk, "clientToken": "t"})

    def untimed(uri: str) -> str:
        return re.sub(r"/jobs/my-sweep/\d{13}/", "/jobs/my-sweep/", uri)

    assert ours["job_name"] == theirs["job_name"]
    assert ours["role_arn"] == theirs["role_arn"] == ROLE
    assert ours["instance_config"] == theirs["instance_config"]
    assert ours["stopping_condition"] == theirs["stopping_condition"]
    ours_spec, their_spec = ours["algorithm_specification"], theirs["algorithm_specification"]
    assert ours_spec["container_image"] == their_spec["container_image"]
    assert (
        ours_spec["script_mode_config"]["compression_type"]
        == their_spec["script_mode_config"]["compression_type"]
    )
    assert ours["output_data_config"]["s3_path"] == untimed(theirs["output_data_config"]["s3_path"])
    assert ours["checkpoint_config"] == {
        **theirs["checkpoint_config"],
        "s3_uri": untimed(theirs["checkpoint_config"]["s3_uri"]),
    }
    their_script = untimed(their_spec["script_mode_config"]["s3_uri"])
    assert their_script == f"s3://{BUCKET}/jobs/my-sweep/script/source.tar.gz"
    assert ours_spec["script_mode_config"]["s3_uri"] == s3_uri(
        BUCKET, script_key("my-sweep", "abc123")
    )
