"""The one layer every request passes: Host, Origin, then proof of who sent it."""

# A page in the user's browser can reach a loopback port two ways: by a cross-site request
# (refused by Origin, and by Sec-Fetch-Site where there is no Origin), or by DNS rebinding its
# own name to 127.0.0.1 (refused by Host). Everything else must carry a SigV4 signature made
# with a key the service knows, or, for an S3 form upload, a policy signed with one.

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pulumi_braket.local.config import CONTROL_PREFIX
from pulumi_braket.local.front.credentials import Identity, Keyring
from pulumi_braket.local.front.post_policy import is_form_upload, verify_form_upload
from pulumi_braket.local.front.received import Environ, Received
from pulumi_braket.local.front.refusals import Refusal, code_for, render
from pulumi_braket.local.front.sigv2 import check_legacy_time, read_legacy, verify_legacy
from pulumi_braket.local.front.sigv4 import (
    check_identity,
    check_time,
    claimed_scope,
    read_signature,
    verify,
)
from pulumi_braket.local.service import pricing

# Public and read-only, so unsigned: the SDK's Tracker fetches the price list with a plain GET.
OPEN_PATHS = frozenset({CONTROL_PREFIX + "health", CONTROL_PREFIX + pricing.PATH})
# What the dispatcher behind may read: who the verified caller is, and the scope it signed.
IDENTITY_KEY = "pulumi_braket.identity"
SCOPE_KEY = "pulumi_braket.scope"
# Headers a page at an allowed origin may read from an answer.
_EXPOSED = (
    "ETag, x-amz-request-id, x-amz-id-2, x-amz-version-id, x-amzn-RequestId, x-amzn-ErrorType"
)

Start = Callable[..., Any]
Record = Callable[[float, str, int, str | None], None]


@dataclass(frozen=True)
class Access:
    """Names and origins allowed beyond loopback (--allow-host, --allow-origin)."""

    hosts: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()

    @classmethod
    def of(cls, hosts: Iterable[str] = (), origins: Iterable[str] = ()) -> Access:
        def split(values: Iterable[str]) -> tuple[str, ...]:
            return tuple(
                item.strip().lower().rstrip("/")
                for value in values
                for item in value.split(",")
                if item.strip()
            )

        return cls(split(hosts), split(origins))


class Front:
    """WSGI middleware in front of the dispatcher: refuses, or passes on with the caller known."""

    def __init__(
        self,
        app: Callable[[Environ, Start], Iterable[bytes]],
        keyring: Keyring,
        access: Access,
        bound: Callable[[], tuple[str, int]],
        record: Record,
    ) -> None:
        self.app = app
        self.keyring = keyring
        self.access = access
        self._bound = bound
        self._record = record

    def __call__(self, environ: Environ, start_response: Start) -> Iterable[bytes]:
        started = time.time()
        received = Received.read(environ)
        scope = claimed_scope(received)
        service = scope.service if scope else _unscoped_service(received)
        try:
            self._check_host(received)
            origin = self._check_origin(received)
            if origin and _is_preflight(received):
                return self._preflight(received, origin, start_response)
            if received.path not in OPEN_PATHS or received.method not in ("GET", "HEAD"):
                identity = self._authenticate(received)
                environ[IDENTITY_KEY] = identity
                if scope is not None:
                    environ[SCOPE_KEY] = (scope.access_key, scope.region, scope.service)
        except Refusal as refusal:
            return self._refuse(started, received, refusal, service, start_response)
        return self.app(environ, _cors(start_response, origin))

    # -- who may address it -----------------------------------------------------------------

    def _check_host(self, received: Received) -> None:
        """Only names that cannot be rebound, or that the user allowed.

        The port is not compared: a rebinding page sends its own name whatever the port,
        while port forwards (ssh -L, docker -p, a proxy) keep a loopback name and change it.
        """
        header = received.headers.get("host", "")
        name, _ = _split_host(header)
        if name and self._host_allowed(name):
            return
        extra = f", or {', '.join(self.access.hosts)}" if self.access.hosts else ""
        raise Refusal(
            "forbidden",
            f"Host {header!r} is not a name this local Braket service answers to: it takes "
            f"loopback names and addresses (localhost, 127.0.0.1, [::1]){extra}; add one with "
            "--allow-host (a request under another name is how a DNS-rebinding web page "
            "reaches a local port)",
        )

    def _host_allowed(self, name: str) -> bool:
        for allowed in self.access.hosts:
            allowed_name, _ = _split_host(allowed)
            # A leading dot allows the name and every name under it, as Django's ALLOWED_HOSTS.
            if name == allowed_name or (
                allowed_name.startswith(".")
                and (name.endswith(allowed_name) or name == allowed_name[1:])
            ):
                return True
        # *.localhost resolves to loopback by RFC 6761, never through DNS, so no page can
        # rebind it; S3 clients use bucket.localhost for virtual-hosted buckets.
        if name == "localhost" or name.endswith(".localhost"):
            return True
        try:
            address = ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        bound_host, _ = self._bound()
        if address.is_loopback or name.strip("[]") == bound_host:
            return True
        # Bound to every interface, any of the machine's addresses may be used; an address
        # is not a name, so it cannot be rebound.
        return bound_host in ("0.0.0.0", "::", "")

    def _check_origin(self, received: Received) -> str | None:
        """The allowed origin of a browser request, None for a request from no page."""
        origin = received.headers.get("origin")
        if origin is None:
            site = received.headers.get("sec-fetch-site", "")
            if site in ("cross-site", "same-site"):
                raise Refusal(
                    "forbidden",
                    f"A {site} request from a web page (Sec-Fetch-Site) is refused: the local "
                    "Braket service serves its user's tools, not pages",
                )
            return None
        if origin.lower().rstrip("/") in self.access.origins:
            return origin
        raise Refusal(
            "forbidden",
            f"Origin {origin!r} is not allowed: the local Braket service answers no web page "
            "unless --allow-origin names its origin",
        )

    def _preflight(self, received: Received, origin: str, start_response: Start) -> list[bytes]:
        headers = [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Methods", received.headers["access-control-request-method"]),
            ("Access-Control-Max-Age", "600"),
            ("Vary", "Origin"),
            ("Content-Length", "0"),
        ]
        asked = received.headers.get("access-control-request-headers")
        if asked:
            headers.append(("Access-Control-Allow-Headers", asked))
        start_response("200 OK", headers)
        return [b""]

    # -- who sent it ------------------------------------------------------------------------

    def _authenticate(self, received: Received) -> Identity:
        now = datetime.now(UTC)
        signature = read_signature(received)
        if signature is None:
            legacy = read_legacy(received)
            if legacy is not None:
                key = legacy.access_key
                identity = check_identity(self.keyring.lookup(key), key, legacy.token)
                check_legacy_time(legacy, now)
                verify_legacy(received, legacy, identity)
                return identity
            if is_form_upload(received) and not received.path.startswith(CONTROL_PREFIX):
                return verify_form_upload(received, self.keyring.lookup, now)
            raise Refusal(
                "unsigned",
                "the local Braket service answers only requests signed (SigV4) with its "
                "credentials; pulumi-braket-local env prints them",
            )
        key = signature.scope.access_key
        identity = check_identity(self.keyring.lookup(key), key, signature.token)
        check_time(signature, now)
        verify(received, signature, identity)
        return identity

    def _refuse(
        self,
        started: float,
        received: Received,
        refusal: Refusal,
        service: str | None,
        start_response: Start,
    ) -> list[bytes]:
        status, headers, body = render(refusal, service)
        headers["Content-Length"] = str(len(body))
        operation = f"refused:{service or 'unsigned'}:{received.method} {received.path[:200]}"
        self._record(started, operation, status, code_for(refusal.kind, service))
        start_response(
            f"{status} {'Bad Request' if status == 400 else 'Forbidden'}", list(headers.items())
        )
        return [body]


def _unscoped_service(received: Received) -> str | None:
    """The service a request without a SigV4 scope is for, where it tells: S3's legacy
    signatures and form uploads are S3's; anything else answers in JSON."""
    try:
        if read_legacy(received) is not None or is_form_upload(received):
            return "s3"
    except Refusal:
        return "s3"
    return None


def _is_preflight(received: Received) -> bool:
    return received.method == "OPTIONS" and "access-control-request-method" in received.headers


def _split_host(header: str) -> tuple[str, int | None]:
    """(name, port) of a Host header or an --allow-host entry, the name lower-case."""
    text = header.strip().lower()
    if text.startswith("["):
        name, _, rest = text.partition("]")
        name += "]"
        port_text = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        name, _, port_text = text.partition(":")
    else:
        name, port_text = text, ""
    if not port_text:
        return name, None
    if not port_text.isdigit():
        return "", None
    return name, int(port_text)


def _cors(start_response: Start, origin: str | None) -> Start:
    """Answers carry no CORS grant from behind (moto echoes any origin), only the front's."""

    def start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
        if origin:
            kept += [
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Expose-Headers", _EXPOSED),
                ("Vary", "Origin"),
            ]
        return start_response(status, kept, *args)

    return start
