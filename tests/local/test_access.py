"""Who may use the local service: Host, Origin, signatures, form uploads, job sessions, keys."""

# Every door is tried through raw HTTP or boto3, and each refusal is checked for its code, its
# one-line message, and for having changed nothing.

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pytest
from botocore.awsrequest import AWSRequest
from botocore.exceptions import ClientError

from pulumi_braket.local.front.credentials import KeyPair
from tests.conftest import CREDENTIALS, Service
from tests.local.test_jobs import job_request
from tests.local.test_run_jobs import start_job, wait
from tests.signing import Answer, send, signed

BUCKET = "amazon-braket-us-east-1-123456789012"
SETTINGS_PATH = "/_braket_local/settings"
SV1_PATH = "/device/arn%3Aaws%3Abraket%3A%3A%3Adevice%2Fquantum-simulator%2Famazon%2Fsv1"


class OwnPair(Service):
    """A service that makes and keeps its own pair, as `pulumi-braket-local serve` does."""

    credentials: ClassVar[KeyPair | None] = None


def one_line(answer: Answer) -> str:
    """The refusal's message: one line, from a JSON or an XML error."""
    text = answer.text
    if text.lstrip().startswith("{"):
        message = str(json.loads(text)["message"])
    else:
        message = text.split("<Message>", 1)[1].split("</Message>", 1)[0]
    assert "\n" not in message
    return message


def code(answer: Answer) -> str:
    text = answer.text
    if text.lstrip().startswith("{"):
        return str(json.loads(text)["__type"])
    return text.split("<Code>", 1)[1].split("</Code>", 1)[0]


def create_job_request(base: str, name: str, at: datetime | None = None) -> AWSRequest:
    """A create_job for ``name`` to ``base``, signed with the services' pair (at ``at``)."""
    return signed(
        "POST",
        f"{base}/job",
        CREDENTIALS,
        body=json.dumps(job_request(jobName=name)).encode(),
        headers={"Content-Type": "application/json"},
        at=at,
    )


def jobs_named(service: Service, name: str) -> list[dict[str, Any]]:
    found = service.client().search_jobs(
        filters=[{"name": "jobName", "operator": "EQUAL", "values": [name]}]
    )
    return list(found["jobs"])


def refusals(service: Service, since: int) -> list[tuple[str, int, str]]:
    return [
        (call["operation"], call["status"], call["code"])
        for call in service.calls()[since:]
        if call["operation"].startswith("refused:")
    ]


def refused(call: Callable[[], Any]) -> tuple[str, str]:
    """The AWS error code and message a boto3 call is refused with."""
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    return str(error["Code"]), str(error["Message"])


def settings_of(service: Service) -> dict[str, Any]:
    return service.control("settings")  # type: ignore[no-any-return]


# -- Host ------------------------------------------------------------------------------------


def test_create_job_rebound_host_refused_nothing_created(
    new_service: Callable[..., Service],
) -> None:
    service = new_service()
    name = f"rebound-{uuid.uuid4().hex[:8]}"
    before = len(service.calls())
    # The request: a rebound name, an unknown key, a signature of zeros.
    forged = create_job_request(f"http://attacker.example:{service.port}", name)
    forged.headers.replace_header(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/braket/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64,
    )
    answer = send(forged, via=service.endpoint)
    assert answer.status == 403
    assert code(answer) == "AccessDeniedException"
    assert one_line(answer) == (
        f"Host 'attacker.example:{service.port}' is not a name this local Braket service "
        "answers to: it takes loopback names and addresses (localhost, 127.0.0.1, [::1]); add "
        "one with --allow-host (a request under another name is how a DNS-rebinding web page "
        "reaches a local port)"
    )
    # The same refusal with the service's own key and a good signature: Host alone decides.
    good = create_job_request(f"http://attacker.example:{service.port}", name)
    assert send(good, via=service.endpoint).status == 403
    assert jobs_named(service, name) == []
    assert [status for _, status, _ in refusals(service, before)] == [403, 403]


@pytest.mark.parametrize(
    "host",
    ["localhost", "127.0.0.1", "127.0.0.2", "bucket.localhost"],
)
def test_get_device_loopback_hosts_answered(shared_service: Service, host: str) -> None:
    url = f"http://{host}:{shared_service.port}{SV1_PATH}"
    answer = send(signed("GET", url, CREDENTIALS), via=shared_service.endpoint)
    assert answer.status == 200, answer.text
    assert json.loads(answer.body)["deviceName"] == "SV1"


def test_get_device_forwarded_port_in_host_answered(shared_service: Service) -> None:
    # A port forward (ssh -L, docker -p, a proxy) keeps the loopback name, not the port.
    url = f"http://localhost:{shared_service.port + 1}{SV1_PATH}"
    answer = send(signed("GET", url, CREDENTIALS), via=shared_service.endpoint)
    assert answer.status == 200, answer.text


def test_get_device_allowed_host_answered(new_service: Callable[..., Service]) -> None:
    service = new_service(allow_host="braket.internal,.lab.test")
    for name in ("braket.internal", "node7.lab.test"):
        url = f"http://{name}:{service.port}{SV1_PATH}"
        answer = send(signed("GET", url, CREDENTIALS), via=service.endpoint)
        assert answer.status == 200, answer.text
    url = f"http://braket.elsewhere:{service.port}/device/x"
    refused = send(signed("GET", url, CREDENTIALS), via=service.endpoint)
    assert refused.status == 403
    assert "[::1]), or braket.internal, .lab.test; add one with --allow-host" in one_line(refused)


# -- Origin and CORS -------------------------------------------------------------------------


def test_settings_simple_cross_site_post_refused_unchanged(shared_service: Service) -> None:
    before = settings_of(shared_service)
    before_calls = len(shared_service.calls())
    # What a page can send without a preflight: a text/plain POST, and the browser's Origin.
    answer = send(
        signed(
            "POST",
            f"{shared_service.endpoint}{SETTINGS_PATH}",
            CREDENTIALS,
            body=b'{"throttle_rate": 1}',
            headers={"Content-Type": "text/plain"},
        ),
        Origin="https://attacker.example",
    )
    assert answer.status == 403
    assert one_line(answer) == (
        "Origin 'https://attacker.example' is not allowed: the local Braket service answers no "
        "web page unless --allow-origin names its origin"
    )
    assert "access-control-allow-origin" not in answer.headers
    assert settings_of(shared_service) == before
    assert refusals(shared_service, before_calls) == [
        (f"refused:braket:POST {SETTINGS_PATH}", 403, "AccessDeniedException")
    ]


def test_settings_unsigned_post_refused_unchanged(shared_service: Service) -> None:
    before = settings_of(shared_service)

    request = urllib.request.Request(
        f"{shared_service.endpoint}{SETTINGS_PATH}",
        data=b'{"deny_access_keys": "everyone"}',
        method="POST",
        headers={"Content-Type": "text/plain"},
    )
    answer = send(request)
    assert answer.status == 403
    assert code(answer) == "MissingAuthenticationTokenException"
    assert one_line(answer) == (
        "Missing Authentication Token: the local Braket service answers only requests signed "
        "(SigV4) with its credentials; pulumi-braket-local env prints them"
    )
    assert settings_of(shared_service) == before


def test_calls_unsigned_get_refused(shared_service: Service) -> None:

    answer = send(urllib.request.Request(f"{shared_service.endpoint}/_braket_local/calls"))
    assert answer.status == 403
    assert code(answer) == "MissingAuthenticationTokenException"


def test_health_and_price_list_open_unsigned(shared_service: Service) -> None:

    health = send(urllib.request.Request(f"{shared_service.endpoint}/_braket_local/health"))
    assert (health.status, json.loads(health.body)) == (200, {"status": "ok"})
    prices = send(urllib.request.Request(shared_service.exports["BRAKET_PRICE_OFFERS_URL"]))
    assert prices.status == 200
    assert prices.text.startswith('"FormatVersion","v1.0"')


def test_health_cross_site_no_origin_refused(shared_service: Service) -> None:

    request = urllib.request.Request(f"{shared_service.endpoint}/_braket_local/health")
    answer = send(request, **{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"})
    assert answer.status == 403
    assert one_line(answer).startswith("A cross-site request from a web page (Sec-Fetch-Site)")


def test_s3_preflight_foreign_origin_refused_no_grant(shared_service: Service) -> None:

    request = urllib.request.Request(
        f"{shared_service.endpoint}/{BUCKET}/x",
        method="OPTIONS",
        headers={
            "Origin": "https://attacker.example",
            "Access-Control-Request-Method": "PUT",
        },
    )
    answer = send(request)
    assert answer.status == 403
    assert not [name for name in answer.headers if name.startswith("access-control-")]


def test_preflight_allowed_origin_granted_and_answers_carry_grant(
    new_service: Callable[..., Service],
) -> None:
    origin = "http://localhost:8888"
    service = new_service(allow_origin=origin)

    preflight = send(
        urllib.request.Request(
            f"{service.endpoint}/job",
            method="OPTIONS",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,x-amz-date,content-type",
            },
        )
    )
    assert preflight.status == 200
    assert preflight.headers["access-control-allow-origin"] == origin
    assert (
        preflight.headers["access-control-allow-headers"] == "authorization,x-amz-date,content-type"
    )
    # A signed call from that page: answered, with the grant; without a signature: refused.
    url = f"{service.endpoint}{SV1_PATH}"
    answer = send(signed("GET", url, CREDENTIALS), Origin=origin)
    assert answer.status == 200
    assert answer.headers["access-control-allow-origin"] == origin
    unsigned = send(urllib.request.Request(url, headers={"Origin": origin}))
    assert unsigned.status == 403
    # Another origin gets nothing, not even from moto, which echoes any origin it is shown.
    other = send(signed("GET", url, CREDENTIALS), Origin="http://localhost:9999")
    assert other.status == 403
    assert "access-control-allow-origin" not in other.headers


# -- signatures ------------------------------------------------------------------------------


def test_create_job_wrong_secret_refused(shared_service: Service) -> None:
    name = f"wrong-secret-{uuid.uuid4().hex[:8]}"
    client = shared_service.client(secret_key="not-the-secret")
    with pytest.raises(ClientError) as caught:
        client.create_job(**job_request(jobName=name))
    error = caught.value.response["Error"]
    assert error["Code"] == "InvalidSignatureException"
    assert error["Message"] == (
        "The request signature we calculated does not match the signature you provided: check "
        f"the secret access key of {CREDENTIALS.access_key_id} and the signing method"
    )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert jobs_named(shared_service, name) == []


@pytest.mark.parametrize(
    ("service_name", "operation", "expected"),
    [
        ("braket", lambda c: c.search_jobs(filters=[]), "UnrecognizedClientException"),
        ("s3", lambda c: c.list_buckets(), "InvalidAccessKeyId"),
        ("sts", lambda c: c.get_caller_identity(), "InvalidClientTokenId"),
        ("iam", lambda c: c.list_roles(), "InvalidClientTokenId"),
        ("logs", lambda c: c.describe_log_groups(), "UnrecognizedClientException"),
    ],
    ids=["braket", "s3", "sts", "iam", "logs"],
)
def test_call_unknown_key_refused_with_service_code(
    shared_service: Service, service_name: str, operation: Callable[[Any], Any], expected: str
) -> None:
    client = shared_service.client(service_name, access_key="LBKANOTISSUEDBYUS000")
    with pytest.raises(ClientError) as caught:
        operation(client)
    assert caught.value.response["Error"]["Code"] == expected
    assert (
        "access key LBKANOTISSUEDBYUS000 is not one the local Braket service knows "
        "(pulumi-braket-local env prints its own)"
    ) in caught.value.response["Error"]["Message"]


def test_create_job_stale_date_refused(shared_service: Service) -> None:
    name = f"stale-{uuid.uuid4().hex[:8]}"
    at = datetime.now(UTC) - timedelta(minutes=20)
    answer = send(create_job_request(shared_service.endpoint, name, at))
    assert answer.status == 403
    assert code(answer) == "InvalidSignatureException"
    assert one_line(answer).startswith(
        f"Signature expired: {at.strftime('%Y%m%dT%H%M%SZ')} is outside"
    )
    assert jobs_named(shared_service, name) == []
    # Signed now, the same request is taken: the date alone was refused.
    assert send(create_job_request(shared_service.endpoint, name)).status == 201
    assert len(jobs_named(shared_service, name)) == 1


def test_put_object_stale_date_refused_skewed(shared_service: Service) -> None:
    shared_service.client("s3").create_bucket(Bucket="skewed")
    request = signed(
        "PUT",
        f"{shared_service.endpoint}/skewed/late.txt",
        CREDENTIALS,
        service="s3",
        body=b"late",
        at=datetime.now(UTC) + timedelta(minutes=16),
    )
    answer = send(request)
    assert (answer.status, code(answer)) == (403, "RequestTimeTooSkewed")
    assert one_line(answer).startswith(
        "The difference between the request time and the current time is too large: "
    )
    with pytest.raises(ClientError):
        shared_service.client("s3").head_object(Bucket="skewed", Key="late.txt")


def test_put_object_wrong_secret_refused_nothing_stored(shared_service: Service) -> None:
    s3 = shared_service.client("s3")
    s3.create_bucket(Bucket="wrong-secret")
    intruder = shared_service.client("s3", secret_key="guessed")
    with pytest.raises(ClientError) as caught:
        intruder.put_object(Bucket="wrong-secret", Key="jobs/x/source.tar.gz", Body=b"evil")
    assert caught.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    with pytest.raises(ClientError) as missing:
        s3.head_object(Bucket="wrong-secret", Key="jobs/x/source.tar.gz")
    assert missing.value.response["Error"]["Code"] == "404"


def test_put_object_body_not_the_signed_hash_refused(shared_service: Service) -> None:
    shared_service.client("s3").create_bucket(Bucket="swapped")
    request = signed(
        "PUT", f"{shared_service.endpoint}/swapped/a.txt", CREDENTIALS, service="s3", body=b"a"
    )
    request.data = b"b"  # the body changed after signing; its x-amz-content-sha256 did not
    answer = send(request)
    assert (answer.status, code(answer)) == (400, "XAmzContentSHA256Mismatch")


# botocore presigns with S3's legacy signature in us-east-1 unless told s3v4: both must work.
PRESIGN_VERSIONS = ["s3", "s3v4"]


@pytest.mark.parametrize("version", PRESIGN_VERSIONS)
def test_get_object_presigned_url_works_until_it_expires(
    shared_service: Service, version: str
) -> None:
    s3 = shared_service.client("s3", signature_version=version)
    s3.create_bucket(Bucket="presigned")
    s3.put_object(Bucket="presigned", Key="r.json", Body=b"{}")
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "presigned", "Key": "r.json"}, ExpiresIn=60
    )

    assert send(urllib.request.Request(url)).body == b"{}"
    tampered = url.replace("r.json", "other.json")
    refused = send(urllib.request.Request(tampered))
    assert (refused.status, code(refused)) == (403, "SignatureDoesNotMatch")
    short = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "presigned", "Key": "r.json"}, ExpiresIn=1
    )
    time.sleep(2.1)
    expired = send(urllib.request.Request(short))
    assert (expired.status, code(expired)) == (403, "AccessDenied")
    assert one_line(expired).startswith("Request has expired: the URL ")


def test_search_jobs_long_term_key_with_session_token_refused(shared_service: Service) -> None:
    client = shared_service.client(session_token="left-over-from-real-aws")
    assert refused(lambda: client.search_jobs(filters=[])) == (
        "UnrecognizedClientException",
        "The security token included in the request is invalid: "
        f"{CREDENTIALS.access_key_id} is a long-term key and takes no session token "
        "(unset AWS_SESSION_TOKEN)",
    )


def test_search_jobs_sts_session_credentials_accepted(shared_service: Service) -> None:
    found = shared_service.client("sts").assume_role(
        RoleArn="arn:aws:iam::123456789012:role/ci", RoleSessionName="ci"
    )["Credentials"]
    client = shared_service.client(
        access_key=found["AccessKeyId"],
        secret_key=found["SecretAccessKey"],
        session_token=found["SessionToken"],
    )
    assert client.search_jobs(filters=[])["ResponseMetadata"]["HTTPStatusCode"] == 200
    wrong = shared_service.client(
        access_key=found["AccessKeyId"], secret_key=found["SecretAccessKey"], session_token="x"
    )
    with pytest.raises(ClientError) as caught:
        wrong.search_jobs(filters=[])
    assert caught.value.response["Error"]["Code"] == "UnrecognizedClientException"


# -- S3 browser form uploads ------------------------------------------------------------------


def _form(fields: dict[str, str], content: bytes = b"payload") -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def _post_form(service: Service, bucket: str, fields: dict[str, str], **headers: str) -> Answer:

    body, boundary = _form(fields)
    request = urllib.request.Request(
        f"{service.endpoint}/{bucket}",
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    return send(request, **headers)


def _stored(service: Service, bucket: str, key: str) -> bool:
    try:
        service.client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError:
        return False
    return True


def test_form_upload_without_policy_refused(shared_service: Service) -> None:
    shared_service.client("s3").create_bucket(Bucket="forms")
    answer = _post_form(shared_service, "forms", {"key": "jobs/x/source.tar.gz"})
    assert (answer.status, code(answer)) == (403, "AccessDenied")
    assert one_line(answer) == (
        "Access Denied: a form upload (multipart/form-data POST) needs a policy signed with "
        "the local Braket service's credentials"
    )
    assert not _stored(shared_service, "forms", "jobs/x/source.tar.gz")


def test_form_upload_cross_origin_refused(shared_service: Service) -> None:
    s3 = shared_service.client("s3")
    s3.create_bucket(Bucket="forms-origin")
    post = s3.generate_presigned_post("forms-origin", "a.txt")
    answer = _post_form(
        shared_service, "forms-origin", post["fields"], Origin="https://attacker.example"
    )
    assert answer.status == 403
    assert not _stored(shared_service, "forms-origin", "a.txt")


@pytest.mark.parametrize("version", PRESIGN_VERSIONS)
def test_form_upload_signed_policy_stored_forged_refused(
    shared_service: Service, version: str
) -> None:
    s3 = shared_service.client("s3", signature_version=version)
    bucket = f"forms-signed-{version}"
    s3.create_bucket(Bucket=bucket)
    post = s3.generate_presigned_post(
        bucket, "uploads/a.txt", Conditions=[["content-length-range", 1, 100]]
    )
    assert _post_form(shared_service, bucket, post["fields"]).status == 204
    assert _stored(shared_service, bucket, "uploads/a.txt")
    # The same policy for another key: a condition it does not meet.
    other = {**post["fields"], "key": "uploads/b.txt"}
    answer = _post_form(shared_service, bucket, other)
    assert (answer.status, code(answer)) == (403, "AccessDenied")
    assert one_line(answer) == (
        'Invalid according to Policy: Policy Condition failed: {"key": "uploads/a.txt"}'
    )
    # A policy signed with a guessed secret.
    guessing = shared_service.client("s3", secret_key="guessed", signature_version=version)
    forged = guessing.generate_presigned_post(bucket, "uploads/c.txt")
    answer = _post_form(shared_service, bucket, forged["fields"])
    assert (answer.status, code(answer)) == (403, "SignatureDoesNotMatch")
    assert not _stored(shared_service, bucket, "uploads/b.txt")
    assert not _stored(shared_service, bucket, "uploads/c.txt")


def test_form_upload_expired_policy_refused(shared_service: Service) -> None:
    s3 = shared_service.client("s3")
    s3.create_bucket(Bucket="forms-late")
    post = s3.generate_presigned_post("forms-late", "late.txt", ExpiresIn=1)
    time.sleep(1.5)
    answer = _post_form(shared_service, "forms-late", post["fields"])
    assert (answer.status, one_line(answer)) == (
        403,
        "Invalid according to Policy: Policy expired",
    )
    assert not _stored(shared_service, "forms-late", "late.txt")


# -- the control API with curl -----------------------------------------------------------------


def test_settings_curl_aws_sigv4_changes_them(new_service: Callable[..., Service]) -> None:
    curl = "/usr/bin/curl"
    if not Path(curl).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("curl is missing: .ci/run installs it (apt-get install curl)")
        pytest.skip("curl is not installed: apt-get install curl (the README's control examples)")
    service = new_service()
    done = subprocess.run(
        [
            curl,
            "-s",
            "--aws-sigv4",
            "aws:amz:us-east-1:braket",
            "--user",
            f"{service.access_key_id}:{service.secret_access_key}",
            "-X",
            "POST",
            "-d",
            '{"latency_ms": 7}',
            f"{service.endpoint}{SETTINGS_PATH}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["latency_ms"] == 7.0
    assert settings_of(service)["latency_ms"] == 7.0


# -- jobs get their own session --------------------------------------------------------------


SESSION_SCRIPT = (
    "import os, boto3\n"
    "from braket.jobs import save_job_result\n"
    "def main():\n"
    "    boto3.client('braket').search_devices(filters=[])\n"
    "    save_job_result({name: os.environ[name] for name in\n"
    "        ('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN')})\n"
)


def test_job_credentials_work_while_it_runs_and_expire_with_it(sdk: Service) -> None:
    service = sdk
    arn = start_job(service, {"session.py": SESSION_SCRIPT}, "session:main")
    job = wait(service, arn)
    # Its call with the session succeeded while it ran, or it would have FAILED.
    assert job["status"] == "COMPLETED", job.get("failureReason")
    from braket.aws import AwsQuantumJob

    session = AwsQuantumJob(arn).result()
    assert session["AWS_ACCESS_KEY_ID"] != service.access_key_id
    ended = boto3.client(
        "braket",
        endpoint_url=service.endpoint,
        region_name="us-east-1",
        aws_access_key_id=session["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=session["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=session["AWS_SESSION_TOKEN"],
    )
    assert refused(lambda: ended.search_devices(filters=[])) == (
        "ExpiredTokenException",
        "The security token included in the request is expired: the session of "
        f"{session['AWS_ACCESS_KEY_ID']} has ended, with its job {arn}",
    )


# -- the service's own pair ------------------------------------------------------------------


def _env_lines(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_braket.local", "env", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_serve_first_start_makes_private_pair_env_prints_it(tmp_path: Path) -> None:
    state = {"XDG_STATE_HOME": str(tmp_path)}
    service = OwnPair(env=state)
    try:
        path = tmp_path / "pulumi-braket-local" / "credentials"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert f"Credentials: created now in {path} (readable by you only)\n" in service.banner
        assert service.access_key_id.startswith("LBKA") and len(service.access_key_id) == 20
        assert service.access_key_id in path.read_text()
        printed = _env_lines("--port", str(service.port), env=state)
        exports = [line for line in service.banner if line.startswith(("export ", "unset "))]
        assert printed.stdout.splitlines() == [line.rstrip("\n") for line in exports]
        # The lines work as they are, in a shell.
        shell = subprocess.run(
            [
                "bash",
                "-c",
                f'eval "$({sys.executable} -m pulumi_braket.local env --port '
                f'{service.port})"; echo "$AWS_ACCESS_KEY_ID $AWS_ENDPOINT_URL"',
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **state},
            check=True,
        )
        assert shell.stdout.split() == [service.access_key_id, service.endpoint]
        assert service.client().search_jobs(filters=[])["ResponseMetadata"]["HTTPStatusCode"] == 200
    finally:
        service.stop()


def test_serve_restart_same_db_keeps_pair(tmp_path: Path) -> None:
    db = str(tmp_path / "braket.db")
    service = OwnPair(db=db)
    try:
        first = (service.access_key_id, service.secret_access_key)
        assert f"Credentials: created now in {db}.data/credentials (readable by you only)\n" in (
            service.banner
        )
        service.restart()
        assert (service.access_key_id, service.secret_access_key) == first
        assert f"Credentials: kept in {db}.data/credentials (readable by you only)\n" in (
            service.banner
        )
        assert service.client().search_jobs(filters=[])["ResponseMetadata"]["HTTPStatusCode"] == 200
    finally:
        service.stop()
    assert _env_lines("--db", db).stdout.count(first[1]) == 1


def test_env_pair_readable_by_others_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "braket.db")
    assert _env_lines("--db", db).returncode == 0
    path = Path(db + ".data") / "credentials"
    path.chmod(0o644)
    done = _env_lines("--db", db)
    assert done.returncode == 2
    assert done.stderr == (
        f"pulumi-braket-local: {path} is readable by others (mode 0644); run chmod 600 {path}, "
        "or delete it to get a new pair\n"
    )


def test_serve_well_known_pair_says_so(new_service: Callable[..., Service]) -> None:
    service = new_service(
        env={
            "PULUMI_BRAKET_LOCAL_ACCESS_KEY_ID": "testing",
            "PULUMI_BRAKET_LOCAL_SECRET_ACCESS_KEY": "testing",
        }
    )
    assert (
        "Credentials: the well-known test pair testing/testing, given explicitly (flags or "
        "PULUMI_BRAKET_LOCAL_* variables): anyone who can reach this port can guess them\n"
    ) in service.banner


def test_serve_wide_bind_without_explicit_pair_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pulumi_braket.local", "serve", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("PULUMI_BRAKET_LOCAL_")},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "pulumi-braket-local: binding 0.0.0.0 lets other machines reach a service that runs "
        "code: give its credentials explicitly (--access-key-id and --secret-access-key, or "
        "PULUMI_BRAKET_LOCAL_ACCESS_KEY_ID and PULUMI_BRAKET_LOCAL_SECRET_ACCESS_KEY)\n"
    )
