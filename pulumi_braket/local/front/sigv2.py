"""S3's legacy signature (HMAC-SHA1), verified with botocore's own HmacV1 signers."""

# botocore still presigns S3 URLs and POST policies this way in us-east-1 unless told
# ``signature_version="s3v4"``, and AWS still accepts them there, so the service must too.

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from botocore.auth import HmacV1Auth
from botocore.awsrequest import HTTPHeaders
from botocore.credentials import Credentials

from pulumi_braket.local.front.credentials import Identity
from pulumi_braket.local.front.received import Received
from pulumi_braket.local.front.refusals import Refusal
from pulumi_braket.local.front.sigv4 import MAX_SKEW

PREFIX = "AWS "


@dataclass(frozen=True)
class LegacySignature:
    """A SigV2 claim: key, signature, and the date (header) or expiry (query) it signs."""

    access_key: str
    signature: str
    date: str
    token: str | None
    presigned: bool


def read_legacy(received: Received) -> LegacySignature | None:
    """An S3 SigV2 claim in the Authorization header or the query string, else None."""
    authorization = received.headers.get("authorization", "")
    if authorization.startswith(PREFIX):
        key, _, signature = authorization[len(PREFIX) :].partition(":")
        date = received.headers.get("date", "")
        if not key or not signature or not date:
            raise Refusal("malformed", "Authorization 'AWS key:signature' needs a Date header")
        return LegacySignature(
            key, signature, date, received.headers.get("x-amz-security-token"), False
        )
    params = received.params()
    if "AWSAccessKeyId" in params and "Signature" in params:
        if "Expires" not in params:
            raise Refusal("malformed", "A presigned URL with AWSAccessKeyId needs Expires")
        return LegacySignature(
            params["AWSAccessKeyId"],
            params["Signature"],
            params["Expires"],
            params.get("x-amz-security-token"),
            True,
        )
    return None


def check_legacy_time(signature: LegacySignature, now: datetime) -> None:
    if signature.presigned:
        try:
            expires = datetime.fromtimestamp(int(signature.date), UTC)
        except ValueError:
            raise Refusal("malformed", "Expires must be seconds since the epoch") from None
        if now > expires:
            raise Refusal("url_expired", f"the URL expired at {expires.isoformat()}")
        return
    try:
        at = parsedate_to_datetime(signature.date)
    except (TypeError, ValueError):
        raise Refusal("malformed", f"Date header {signature.date!r} is not an HTTP date") from None
    if abs(now - at) > MAX_SKEW:
        raise Refusal("stale", f"{signature.date} is more than 15 minutes from the local clock")


def verify_legacy(received: Received, signature: LegacySignature, identity: Identity) -> None:
    """Recompute the HMAC-SHA1 signature with botocore over what was received."""
    signer = _Received(
        Credentials(identity.access_key_id, identity.secret_access_key, identity.token),
        signature.date,
    )
    headers = HTTPHeaders()
    for name, value in received.headers.items():
        if name in ("content-md5", "content-type") or name.startswith("x-amz-"):
            headers[name] = value
    if signature.presigned:
        # A presigned URL carries these in the query; the signature covers them there.
        for name, value in received.params().items():
            if name.startswith("x-amz-") or name in ("content-md5", "content-type"):
                headers[name] = value
    split = urlsplit(
        f"http://host{received.path}" + (f"?{received.query}" if received.query else "")
    )
    # botocore's stubs say Mapping; its code calls get_all, which HTTPHeaders has.
    canonical = signer.canonical_string(
        received.method,
        split,
        headers,  # type: ignore[arg-type]
        auth_path=_resource_path(received),
    )
    expected = signer.sign_string(canonical)
    if not hmac.compare_digest(expected.encode(), signature.signature.encode()):
        raise Refusal(
            "bad_signature",
            f"check the secret access key of {signature.access_key} and the signing method",
        )


def _resource_path(received: Received) -> str:
    """The path SigV2 signs: always /bucket/key, and /bucket/ for the bucket itself."""
    name = received.headers.get("host", "").rsplit(":", 1)[0].lower()
    path = received.path
    if name.endswith(".localhost"):
        # Virtual-hosted: the bucket is in the name, not the path.
        path = "/" + name[: -len(".localhost")] + path
    if path.count("/") == 1 and path != "/":
        path += "/"
    return path


def policy_signature_v2(identity: Identity, policy: str) -> str:
    """The SigV2 signature of an S3 POST policy, as botocore's HmacV1PostAuth makes it."""
    credentials = Credentials(identity.access_key_id, identity.secret_access_key, identity.token)
    return str(HmacV1Auth(credentials).sign_string(policy))


class _Received(HmacV1Auth):
    """botocore's HmacV1 signer, signing the date the request carries instead of now."""

    def __init__(self, credentials: Credentials, date: str) -> None:
        super().__init__(credentials)
        self._date = date

    def _get_date(self) -> str:
        return self._date
