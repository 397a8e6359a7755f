"""SigV4 verification: botocore's own signer, run again over the request as it was received."""

# The client signed a canonical form of its request with its secret. Recomputing that signature
# with the secret this service knows, over exactly the headers the client says it signed, and
# comparing in constant time proves the sender holds the secret, without a second SigV4.

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import unquote

from botocore.auth import (
    SIGV4_TIMESTAMP,
    UNSIGNED_PAYLOAD,
    S3SigV4Auth,
    SigV4Auth,
)
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

from pulumi_braket.local.front.credentials import Identity
from pulumi_braket.local.front.received import Received
from pulumi_braket.local.front.refusals import Refusal

ALGORITHM = "AWS4-HMAC-SHA256"
# AWS refuses a signature made more than 15 minutes before or after its own clock.
MAX_SKEW = timedelta(minutes=15)
# The longest a presigned URL may be valid: seven days.
MAX_EXPIRES = 604800
# Payload hashes a client may send instead of the body's: the body is then not signed.
UNSIGNED_PAYLOADS = frozenset({UNSIGNED_PAYLOAD, "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
# Chunk-signed uploads: each chunk carries a signature botocore has no verifier for.
CHUNK_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"


@dataclass(frozen=True)
class Scope:
    """The credential scope a request claims: key, date, region and service."""

    access_key: str
    date: str
    region: str
    service: str

    @classmethod
    def parse(cls, text: str) -> Scope:
        parts = text.split("/")
        if len(parts) != 5 or parts[4] != "aws4_request" or not all(parts):
            raise Refusal(
                "malformed",
                f"Credential {text!r} is not of the form KEY/YYYYMMDD/REGION/SERVICE/aws4_request",
            )
        return cls(parts[0], parts[1], parts[2], parts[3])


@dataclass(frozen=True)
class Signature:
    """What a request says about its own signature, from its header or its query string."""

    scope: Scope
    timestamp: str
    signed_headers: tuple[str, ...]
    signature: str
    token: str | None
    presigned: bool
    expires: int | None = None


def claimed_scope(received: Received) -> Scope | None:
    """The credential scope a request claims, without checking it; None when it claims none."""
    try:
        found = read_signature(received)
    except Refusal:
        return None
    return found.scope if found else None


def read_signature(received: Received) -> Signature | None:
    """The request's SigV4 claims: an Authorization header or a presigned query; else None
    (no signature, or S3's legacy one)."""
    authorization = received.headers.get("authorization")
    if authorization and authorization.startswith("AWS "):
        return None  # S3's legacy signature: see sigv2.py
    if authorization:
        return _from_header(received, authorization)
    params = received.params()
    if "X-Amz-Signature" in params or "X-Amz-Credential" in params:
        return _from_query(params)
    return None


def _from_header(received: Received, authorization: str) -> Signature:
    algorithm, _, rest = authorization.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise Refusal(
            "malformed",
            f"Authorization uses {algorithm or 'no algorithm'}; the local Braket service "
            f"verifies Signature Version 4 ({ALGORITHM}) only",
        )
    fields: dict[str, str] = {}
    for part in rest.split(","):
        name, equals, value = part.strip().partition("=")
        if equals:
            fields[name] = value
    missing = [name for name in ("Credential", "SignedHeaders", "Signature") if name not in fields]
    if missing:
        raise Refusal(
            "malformed",
            f"Authorization header requires {', '.join(missing)}; got {authorization[:120]!r}",
        )
    return Signature(
        Scope.parse(fields["Credential"]),
        _timestamp(received),
        tuple(fields["SignedHeaders"].split(";")),
        fields["Signature"],
        received.headers.get("x-amz-security-token"),
        presigned=False,
    )


def _from_query(params: dict[str, str]) -> Signature:
    needed = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders")
    missing = [name for name in (*needed, "X-Amz-Signature") if name not in params]
    if missing:
        raise Refusal("malformed", f"Presigned URL lacks {', '.join(missing)}")
    if params["X-Amz-Algorithm"] != ALGORITHM:
        raise Refusal("malformed", f"X-Amz-Algorithm must be {ALGORITHM}")
    try:
        expires = int(params.get("X-Amz-Expires", "900"))
    except ValueError:
        raise Refusal("malformed", "X-Amz-Expires must be a number of seconds") from None
    if not 0 < expires <= MAX_EXPIRES:
        raise Refusal("malformed", f"X-Amz-Expires must be between 1 and {MAX_EXPIRES} seconds")
    return Signature(
        Scope.parse(params["X-Amz-Credential"]),
        params["X-Amz-Date"],
        tuple(params["X-Amz-SignedHeaders"].split(";")),
        params["X-Amz-Signature"],
        params.get("X-Amz-Security-Token"),
        presigned=True,
        expires=expires,
    )


def _timestamp(received: Received) -> str:
    stamp = received.headers.get("x-amz-date")
    if stamp:
        return stamp
    date = received.headers.get("date")
    if date:
        try:
            return parsedate_to_datetime(date).astimezone(UTC).strftime(SIGV4_TIMESTAMP)
        except (TypeError, ValueError):
            raise Refusal("malformed", f"Date header {date!r} is not an HTTP date") from None
    raise Refusal("malformed", "Authorization requires an X-Amz-Date or Date header")


def parse_time(stamp: str) -> datetime:
    try:
        return datetime.strptime(stamp, SIGV4_TIMESTAMP).replace(tzinfo=UTC)
    except ValueError:
        raise Refusal(
            "malformed", f"X-Amz-Date {stamp!r} is not of the form YYYYMMDDTHHMMSSZ"
        ) from None


def check_identity(identity: Identity | None, access_key: str, token: str | None) -> Identity:
    """The caller, if the key is known, still valid, and carries its session token."""
    if identity is None:
        raise Refusal(
            "unknown_key",
            f"access key {access_key} is not one the local Braket service knows "
            "(pulumi-braket-local env prints its own)",
        )
    if identity.expired:
        raise Refusal(
            "expired_token",
            f"the session of {access_key} has ended"
            + (f", with its job {identity.job_arn}" if identity.job_arn else ""),
        )
    if identity.token is None and token:
        raise Refusal(
            "bad_token",
            f"{access_key} is a long-term key and takes no session token (unset AWS_SESSION_TOKEN)",
        )
    if identity.token is not None and not hmac.compare_digest(
        (token or "").encode(), identity.token.encode()
    ):
        raise Refusal(
            "bad_token",
            f"{access_key} needs the session token it was issued with",
        )
    return identity


def check_time(signature: Signature, now: datetime) -> None:
    """Refuse a stale or future request, an expired URL, or a scope of another day."""
    at = parse_time(signature.timestamp)
    if signature.scope.date != signature.timestamp[:8]:
        raise Refusal(
            "bad_signature",
            f"Date in Credential scope ({signature.scope.date}) does not match the date of "
            f"the request ({signature.timestamp[:8]})",
        )
    if signature.presigned:
        assert signature.expires is not None
        if now > at + timedelta(seconds=signature.expires):
            raise Refusal(
                "url_expired",
                f"the URL signed at {signature.timestamp} was valid for "
                f"{signature.expires} seconds",
            )
        if at - now > MAX_SKEW:
            raise Refusal("stale", f"the URL is signed for {signature.timestamp}, not yet")
        return
    if abs(now - at) > MAX_SKEW:
        oldest = (now - MAX_SKEW).strftime(SIGV4_TIMESTAMP)
        newest = (now + MAX_SKEW).strftime(SIGV4_TIMESTAMP)
        raise Refusal(
            "stale",
            f"{signature.timestamp} is outside {oldest} to {newest} (the local clock ± 15 min.)",
        )


def verify(received: Received, signature: Signature, identity: Identity) -> None:
    """Recompute the signature with botocore over what was received; refuse if it differs."""
    scope = signature.scope
    signed = signature.signed_headers
    if "host" not in signed:
        raise Refusal("malformed", "SignedHeaders must include host")
    if list(signed) != sorted(set(signed)):
        raise Refusal("bad_signature", "SignedHeaders must be lower-case, sorted and unique")
    absent = [name for name in signed if name not in received.headers]
    if absent:
        raise Refusal("bad_signature", f"SignedHeaders names {', '.join(absent)}, not sent")
    content_hash = received.headers.get("x-amz-content-sha256")
    if content_hash == CHUNK_SIGNED:
        raise Refusal(
            "malformed",
            f"{CHUNK_SIGNED} (chunk-signed uploads) is not verified by the local Braket "
            "service; send the body's SHA-256 or UNSIGNED-PAYLOAD, as botocore does",
        )
    if (
        content_hash
        and content_hash not in UNSIGNED_PAYLOADS
        and not hmac.compare_digest(content_hash, hashlib.sha256(received.body).hexdigest())
    ):
        raise Refusal(
            "payload",
            "the body's SHA-256 differs from its x-amz-content-sha256 header",
        )
    signer = _signer(scope.service, signature.presigned)(
        Credentials(identity.access_key_id, identity.secret_access_key, identity.token),
        scope.service,
        scope.region,
        signed,
    )
    query = received.query
    if signature.presigned:
        query = "&".join(
            pair
            for pair in query.split("&")
            if unquote(pair.partition("=")[0]) != "X-Amz-Signature"
        )
    request = AWSRequest(
        method=received.method,
        url=f"http://{received.headers['host']}{received.path}" + (f"?{query}" if query else ""),
        headers=received.headers,
        data=received.body,
    )
    request.context["timestamp"] = signature.timestamp
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected.encode(), signature.signature.encode()):
        raise Refusal(
            "bad_signature",
            f"check the secret access key of {scope.access_key} and the signing method",
        )


def policy_signature(identity: Identity, scope: Scope, timestamp: str, policy: str) -> str:
    """The signature of an S3 POST policy, as botocore's S3SigV4PostAuth makes it."""
    signer = SigV4Auth(
        Credentials(identity.access_key_id, identity.secret_access_key, identity.token),
        scope.service,
        scope.region,
    )
    request = AWSRequest()
    request.context["timestamp"] = timestamp
    return str(signer.signature(policy, request))


def _signer(service: str, presigned: bool) -> Any:
    """botocore's signer for the service, limited to the headers the client signed."""
    if service == "s3":
        return _exact(_S3Query if presigned else S3SigV4Auth)
    return _exact(SigV4Auth)


class _S3Query(S3SigV4Auth):
    """S3's path rules with a presigned URL's payload, as botocore's S3SigV4QueryAuth has it."""

    def payload(self, request: AWSRequest) -> str:
        return UNSIGNED_PAYLOAD


_EXACT: dict[type[SigV4Auth], type[SigV4Auth]] = {}


def _exact(base: type[SigV4Auth]) -> Any:
    """A subclass of ``base`` that signs exactly the headers the client listed."""
    if base not in _EXACT:

        class Exact(base):  # type: ignore[valid-type, misc]
            def __init__(
                self, credentials: Credentials, service: str, region: str, signed: tuple[str, ...]
            ) -> None:
                super().__init__(credentials, service, region)
                self._signed = signed

            def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
                # botocore leaves out headers it never signs (user-agent, ...); another client
                # may have signed them, so the client's list is the one to follow.
                headers = HTTPHeaders()
                for name in self._signed:
                    headers[name] = request.headers[name]
                return headers

        _EXACT[base] = Exact
    return _EXACT[base]
