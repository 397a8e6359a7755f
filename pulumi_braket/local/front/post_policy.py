"""S3 browser form uploads: accepted only with a policy signed by a known key, and obeyed."""

# A form POST (``multipart/form-data``) is what any web page can send without a preflight, so
# S3 takes one only with a signed policy (AWS's "Browser-based uploads using POST"), and only
# within that policy's expiration and conditions.

from __future__ import annotations

import base64
import binascii
import hmac
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from werkzeug.formparser import parse_form_data

from pulumi_braket.local.front.credentials import Identity
from pulumi_braket.local.front.received import Received
from pulumi_braket.local.front.refusals import Refusal
from pulumi_braket.local.front.sigv2 import policy_signature_v2
from pulumi_braket.local.front.sigv4 import (
    ALGORITHM,
    Scope,
    check_identity,
    parse_time,
    policy_signature,
)

# Fields a policy need not name (S3's rule: every other field must match a condition).
_UNCONDITIONED = {"x-amz-signature", "file", "policy", "awsaccesskeyid", "signature"}


def is_form_upload(received: Received) -> bool:
    return received.method == "POST" and received.headers.get("content-type", "").startswith(
        "multipart/form-data"
    )


def verify_form_upload(
    received: Received, lookup: Callable[[str], Identity | None], now: datetime
) -> Identity:
    """The identity that signed the form's policy; refuses a form the policy does not allow."""
    fields, size = _fields(received)
    if "policy" not in fields:
        raise Refusal(
            "unsigned",
            "a form upload (multipart/form-data POST) needs a policy signed with the "
            "local Braket service's credentials",
        )
    if "awsaccesskeyid" in fields:
        identity = _signed_v2(fields, lookup)
    else:
        identity = _signed_v4(fields, lookup)
    policy = _policy(fields["policy"])
    _check_policy(policy, fields, _bucket(received.path), size, now)
    return identity


def _signed_v2(fields: dict[str, str], lookup: Callable[[str], Identity | None]) -> Identity:
    """The key that signed the policy with S3's legacy signature (botocore's HmacV1PostAuth)."""
    key = fields["awsaccesskeyid"]
    identity = check_identity(lookup(key), key, fields.get("x-amz-security-token"))
    expected = policy_signature_v2(identity, fields["policy"])
    if not hmac.compare_digest(expected.encode(), fields.get("signature", "").encode()):
        raise Refusal("bad_signature", f"the form's policy is not signed with the secret of {key}")
    return identity


def _signed_v4(fields: dict[str, str], lookup: Callable[[str], Identity | None]) -> Identity:
    """The key that signed the policy with SigV4 (botocore's S3SigV4PostAuth)."""
    missing = [
        name
        for name in ("x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature")
        if name not in fields
    ]
    if missing:
        raise Refusal("malformed", f"Form upload lacks the field(s) {', '.join(missing)}")
    if fields["x-amz-algorithm"] != ALGORITHM:
        raise Refusal("malformed", f"x-amz-algorithm must be {ALGORITHM}")
    scope = Scope.parse(fields["x-amz-credential"])
    identity = check_identity(
        lookup(scope.access_key), scope.access_key, fields.get("x-amz-security-token")
    )
    expected = policy_signature(identity, scope, fields["x-amz-date"], fields["policy"])
    if not hmac.compare_digest(expected.encode(), fields["x-amz-signature"].encode()):
        raise Refusal(
            "bad_signature",
            f"the form's policy is not signed with the secret of {scope.access_key}",
        )
    parse_time(fields["x-amz-date"])
    return identity


def _fields(received: Received) -> tuple[dict[str, str], int]:
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": received.headers.get("content-type", ""),
        "CONTENT_LENGTH": str(len(received.body)),
        "wsgi.input": io.BytesIO(received.body),
    }
    _, form, files = parse_form_data(environ)
    fields = {name.lower(): value for name, value in form.items()}
    upload = files.get("file")
    size = len(upload.read()) if upload is not None else 0
    return fields, size


def _policy(encoded: str) -> dict[str, Any]:
    try:
        policy = json.loads(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError):
        raise Refusal(
            "forbidden", "Invalid Policy: the policy is not base64-encoded JSON"
        ) from None
    if not isinstance(policy, dict) or "expiration" not in policy:
        raise Refusal("forbidden", "Invalid Policy: Policy missing expiration")
    return policy


def _bucket(path: str) -> str:
    return path.strip("/").split("/", 1)[0]


def _check_policy(
    policy: dict[str, Any], fields: dict[str, str], bucket: str, size: int, now: datetime
) -> None:
    try:
        expiration = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
    except ValueError:
        raise Refusal("forbidden", "Invalid Policy: Invalid 'expiration' value") from None
    if expiration.tzinfo is None:
        expiration = expiration.replace(tzinfo=UTC)
    if expiration <= now:
        raise Refusal("forbidden", "Invalid according to Policy: Policy expired")
    values = {**fields, "bucket": bucket}
    covered = {"bucket"}
    for condition in policy.get("conditions") or []:
        covered.add(_check_condition(condition, values, size))
    extra = sorted(
        name
        for name in fields
        if name not in covered and name not in _UNCONDITIONED and not name.startswith("x-ignore-")
    )
    if extra:
        raise Refusal(
            "forbidden", f"Invalid according to Policy: Extra input fields: {', '.join(extra)}"
        )


def _check_condition(condition: Any, values: dict[str, str], size: int) -> str:
    """Check one condition; the field it covers."""
    failed = Refusal(
        "forbidden",
        f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}",
    )
    if isinstance(condition, dict) and len(condition) == 1:
        ((name, value),) = condition.items()
        if values.get(name.lower()) != value:
            raise failed
        return str(name).lower()
    if isinstance(condition, list) and len(condition) == 3:
        operator = str(condition[0]).lower()
        if operator == "content-length-range":
            if not int(condition[1]) <= size <= int(condition[2]):
                raise Refusal(
                    "forbidden",
                    f"Your proposed upload of {size} bytes is outside the policy's "
                    f"content-length-range {condition[1]} to {condition[2]}",
                )
            return ""
        name = str(condition[1]).lstrip("$").lower()
        actual = values.get(name, "")
        if operator == "eq" and actual == condition[2]:
            return name
        if operator == "starts-with" and actual.startswith(str(condition[2])):
            return name
    raise failed
