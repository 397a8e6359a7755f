"""Raw HTTP requests signed with botocore's SigV4 signer, at any moment, for the front's tests."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from botocore.auth import SIGV4_TIMESTAMP, S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from pulumi_braket.local.front.credentials import KeyPair


@dataclass
class Answer:
    """An HTTP answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


def signed(
    method: str,
    url: str,
    pair: KeyPair,
    service: str = "braket",
    region: str = "us-east-1",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    at: datetime | None = None,
    token: str | None = None,
) -> AWSRequest:
    """``url`` signed with ``pair`` as if at ``at`` (default now), by botocore's public steps."""
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    stamp = (at or datetime.now(UTC)).strftime(SIGV4_TIMESTAMP)
    request.context["timestamp"] = stamp
    request.headers["X-Amz-Date"] = stamp
    if token:
        request.headers["X-Amz-Security-Token"] = token
    kind = S3SigV4Auth if service == "s3" else SigV4Auth
    signer = kind(Credentials(pair.access_key_id, pair.secret_access_key, token), service, region)
    if service == "s3":
        request.headers["X-Amz-Content-SHA256"] = signer.payload(request)
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    names = signer.signed_headers(signer.headers_to_sign(request))
    request.headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={signer.scope(request)}, SignedHeaders={names}, "
        f"Signature={signature}"
    )
    return request


def send(
    request: AWSRequest | urllib.request.Request, via: str | None = None, **headers: str
) -> Answer:
    """Send a request (extra headers added unsigned); any status is an answer, not an error.

    With ``via`` (an endpoint), the connection goes there while the Host header keeps the
    request's own name: what a DNS-rebinding page's request looks like when it arrives.
    """
    if isinstance(request, AWSRequest):
        prepared: Any = urllib.request.Request(
            request.url,
            data=request.data or None,
            method=request.method,
            headers=dict(request.headers.items()),
        )
    else:
        prepared = request
    if via is not None:
        parts = urlsplit(prepared.full_url)
        prepared.add_header("Host", parts.netloc)
        prepared.full_url = urlunsplit(urlsplit(via)[:2] + parts[2:])
    for name, value in headers.items():
        prepared.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(prepared, timeout=30) as answer:
            return Answer(
                answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
            )
    except urllib.error.HTTPError as error:
        return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())
