"""A request as it arrived at the front: method, raw target, headers and the whole body."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Environ = dict[str, Any]


@dataclass(frozen=True)
class Received:
    """What the checks read: the raw path and query as sent, lower-case header names."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @classmethod
    def read(cls, environ: Environ) -> Received:
        """Read the request, body included, and leave the environ able to give the body again."""
        target = environ.get("REQUEST_URI") or environ.get("RAW_URI") or environ["PATH_INFO"]
        parts = urlsplit(target)
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = str(environ[key])
        stream = environ["wsgi.input"]
        length = environ.get("CONTENT_LENGTH")
        if length:
            body = stream.read(int(length))
        elif "chunked" in headers.get("transfer-encoding", ""):
            body = stream.read()
        else:
            body = b""
        # The dispatcher behind reads the body again, now of a known length.
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return cls(environ["REQUEST_METHOD"].upper(), parts.path or "/", parts.query, headers, body)

    def params(self) -> dict[str, str]:
        """Query parameters, decoded (the last of a repeated name)."""
        return dict(parse_qsl(self.query, keep_blank_values=True))
