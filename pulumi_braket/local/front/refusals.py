"""Refusals at the front, answered with the error code and format each AWS protocol uses."""

from __future__ import annotations

import functools
import json
import uuid
from xml.sax.saxutils import escape

from botocore.exceptions import DataNotFoundError
from botocore.loaders import Loader

# The problems the front refuses, and the code AWS answers each with, per protocol family:
# JSON (json and rest-json), query (STS, IAM) and S3's rest-xml.
CODES: dict[str, tuple[str, str, str]] = {
    "unsigned": (
        "MissingAuthenticationTokenException",
        "MissingAuthenticationToken",
        "AccessDenied",
    ),
    "malformed": (
        "IncompleteSignatureException",
        "IncompleteSignature",
        "AuthorizationHeaderMalformed",
    ),
    "unknown_key": ("UnrecognizedClientException", "InvalidClientTokenId", "InvalidAccessKeyId"),
    "bad_token": ("UnrecognizedClientException", "InvalidClientTokenId", "InvalidToken"),
    "expired_token": ("ExpiredTokenException", "ExpiredToken", "ExpiredToken"),
    "bad_signature": (
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "SignatureDoesNotMatch",
    ),
    "stale": ("InvalidSignatureException", "SignatureDoesNotMatch", "RequestTimeTooSkewed"),
    "url_expired": ("InvalidSignatureException", "SignatureDoesNotMatch", "AccessDenied"),
    "payload": ("InvalidSignatureException", "SignatureDoesNotMatch", "XAmzContentSHA256Mismatch"),
    "forbidden": ("AccessDeniedException", "AccessDenied", "AccessDenied"),
}
# AWS's own first words for each code; the refusal's detail follows them.
_WORDING = {
    "MissingAuthenticationTokenException": "Missing Authentication Token",
    "MissingAuthenticationToken": "Request is missing Authentication Token",
    "UnrecognizedClientException": "The security token included in the request is invalid",
    "InvalidClientTokenId": "The security token included in the request is invalid",
    "InvalidAccessKeyId": "The AWS Access Key Id you provided does not exist in our records",
    "InvalidToken": "The provided token is malformed or otherwise invalid",
    "ExpiredTokenException": "The security token included in the request is expired",
    "ExpiredToken": "The provided token has expired",
    "InvalidSignatureException": "The request signature we calculated does not match the "
    "signature you provided",
    "SignatureDoesNotMatch": "The request signature we calculated does not match the "
    "signature you provided",
    "RequestTimeTooSkewed": "The difference between the request time and the current time "
    "is too large",
    "XAmzContentSHA256Mismatch": "The provided 'x-amz-content-sha256' header does not match "
    "what was computed",
}
# Where one code serves several problems, the problem's own first words.
_KIND_WORDING = {
    ("stale", "InvalidSignatureException"): "Signature expired",
    ("stale", "SignatureDoesNotMatch"): "Signature expired",
    ("url_expired", "AccessDenied"): "Request has expired",
    ("url_expired", "InvalidSignatureException"): "Signature expired",
    ("url_expired", "SignatureDoesNotMatch"): "Signature expired",
    ("unsigned", "AccessDenied"): "Access Denied",
}
# Answers that are the client's malformed request rather than a refusal of who sent it.
_BAD_REQUEST = {"malformed", "payload"}
# S3 answers these token problems as bad requests, not as forbidden.
_S3_BAD_REQUEST = {"bad_token", "expired_token"}


class Refusal(Exception):
    """A request the front turns away: what kind of problem, and one line that names it."""

    def __init__(self, kind: str, message: str) -> None:
        assert kind in CODES, kind
        super().__init__(message)
        self.kind = kind
        self.message = " ".join(message.split())


@functools.cache
def protocol(service: str | None) -> str:
    """The wire protocol of a service, by its SigV4 signing name, from botocore's models."""
    if not service:
        return "rest-json"
    try:
        model = Loader().load_service_model(service, "service-2")
    except DataNotFoundError:
        return "rest-json"
    return str(model["metadata"]["protocol"])


def code_for(kind: str, service: str | None) -> str:
    family = protocol(service)
    json_code, query_code, xml_code = CODES[kind]
    return {"query": query_code, "ec2": query_code, "rest-xml": xml_code}.get(family, json_code)


def render(refusal: Refusal, service: str | None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of a refusal, as the service that was asked would answer it."""
    family = protocol(service)
    code = code_for(refusal.kind, service)
    request_id = str(uuid.uuid4())
    wording = _KIND_WORDING.get((refusal.kind, code)) or _WORDING.get(code)
    text = f"{wording}: {refusal.message}" if wording else refusal.message
    status = 400 if refusal.kind in _BAD_REQUEST else 403
    if family == "json" and refusal.kind != "forbidden":
        status = 400  # JSON-RPC services answer authentication failures as 400
    if family == "rest-xml" and refusal.kind in _S3_BAD_REQUEST:
        status = 400
    message = escape(text)
    if family == "rest-xml":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message>"
            f"<RequestId>{request_id}</RequestId></Error>"
        ).encode()
        headers = {"Content-Type": "application/xml", "x-amz-request-id": request_id}
    elif family in ("query", "ec2"):
        body = (
            "<ErrorResponse>"
            f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers = {"Content-Type": "text/xml", "x-amzn-RequestId": request_id}
    else:
        body = json.dumps({"__type": code, "message": text}).encode()
        kind = "application/x-amz-json-1.1" if family == "json" else "application/json"
        headers = {"Content-Type": kind, "x-amzn-ErrorType": code, "x-amzn-RequestId": request_id}
    return status, headers, body
