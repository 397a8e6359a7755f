"""One loopback endpoint: Braket to this package's service, S3, STS, IAM and Logs to moto."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from pulumi_braket.local.config import CONTROL_PREFIX, ServiceSettings
from pulumi_braket.local.execution.runs import Execution
from pulumi_braket.local.front.credentials import (
    KeyPair,
    Keyring,
    ServiceCredentials,
    default_path,
    load_or_create,
)
from pulumi_braket.local.front.guard import IDENTITY_KEY, SCOPE_KEY, Access, Front
from pulumi_braket.local.neighbours import images, objects
from pulumi_braket.local.neighbours.images import BATCH_GET_IMAGE
from pulumi_braket.local.neighbours.insights import (
    GET_QUERY_RESULTS,
    START_QUERY,
    Insights,
    QueryError,
)
from pulumi_braket.local.service import pricing, programs
from pulumi_braket.local.service.models import BraketBackend
from pulumi_braket.local.service.responses import (
    BraketWire,
    Request,
    credential_scope,
    split_target,
)
from pulumi_braket.local.state.persistence import ObjectMirror
from pulumi_braket.local.state.store import Store

# Requests under this path reach the service's own control API: health, settings, calls, prices.
ADMIN_PREFIX = CONTROL_PREFIX
# The WSGI servers the endpoint can run on; werkzeug's development server is kept so that the
# bench can measure what the production one saves.
HTTP_SERVERS = ("cheroot", "werkzeug")
# cheroot's workers: enough for every waiting client of a 32-way `pulumi up` with added
# latency to be served.
HTTP_THREADS = 64
# How long a stop waits for workers still in a request. cheroot shuts their sockets after its
# own 5 s, then waits for each without limit, and a worker freed that way takes the next
# queued connection and reads it for up to the 60 s socket timeout (a client that sent half
# a request held a stop past a minute).
STOP_SECONDS = 10.0

Start = Any
Environ = dict[str, Any]


class Dispatcher:
    """The WSGI application: routes by the SigV4 credential scope's service name."""

    def __init__(self, backend: BraketBackend) -> None:
        self.backend = backend
        self.wire = BraketWire(backend)
        self._moto: Any = None
        self._moto_lock = threading.Lock()
        self.insights = Insights(lambda: backend.settings.account_id)

    def moto(self) -> Any:
        # Imported lazily: moto is heavy, and a Braket-only session never needs it.
        with self._moto_lock:
            if self._moto is None:
                from moto.moto_server.werkzeug_app import (
                    DomainDispatcherApplication,
                    create_backend_app,
                )

                self._moto = DomainDispatcherApplication(create_backend_app)
            return self._moto

    def __call__(self, environ: Environ, start_response: Start) -> Iterable[bytes]:
        target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ["PATH_INFO"]
        raw_path, query = split_target(target)
        if raw_path.startswith(ADMIN_PREFIX):
            return self.admin(environ, raw_path[len(ADMIN_PREFIX) :], start_response)
        # The scope the front verified (header or presigned), else the header's claim.
        scope = environ.get(SCOPE_KEY) or credential_scope(environ.get("HTTP_AUTHORIZATION"))
        if scope is None or scope[2] != "braket":
            return self.other(environ, start_response, scope[2] if scope else "unsigned")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if "CONTENT_TYPE" in environ:
            headers["content-type"] = environ["CONTENT_TYPE"]
        identity = environ.get(IDENTITY_KEY)
        user = identity.user if identity is not None else None
        request = Request(environ["REQUEST_METHOD"], raw_path, query, headers, body, scope, user)
        status, response_headers, payload = self.wire.handle(request)
        return self._respond(start_response, status, response_headers, payload)

    def other(self, environ: Environ, start_response: Start, service: str) -> Iterable[bytes]:
        """A request for moto's backends (S3, STS, IAM, Logs), logged as ``service:METHOD``.

        Logged so that a test or benchmark counts every call a provider makes, not only
        Braket's: a preview that asks STS or S3 is not a preview without API calls.
        """
        started = time.time()
        seen: list[int] = []

        def record(status: str, headers: Any, *args: Any) -> Any:
            seen.append(int(status.split(" ", 1)[0]))
            return start_response(status, headers, *args)

        answer = None
        if service in ("logs", "ecr"):
            answer = self._answered_here(environ, record, scope_region(environ))
        if answer is None:
            answer = self.moto()(environ, record)
        if service in ("s3", "unsigned") and environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            objects.changed()
        operation = f"{service}:{environ['REQUEST_METHOD']}"
        self.backend.store.log_call(started, operation, seen[0] if seen else 0, None)
        return answer  # type: ignore[no-any-return]

    def _answered_here(self, environ: Environ, start_response: Start, region: str) -> Any:
        """JSON-protocol calls this service answers instead of moto, else None.

        Logs Insights on the job log group (moto ignores its filters, see insights.py) and
        ECR's BatchGetImage for Braket's job images (see images.py).
        """
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target not in (START_QUERY, GET_QUERY_RESULTS, BATCH_GET_IMAGE):
            return None
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        # moto still reads the body when the call is not ours.
        environ["wsgi.input"] = io.BytesIO(raw)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return None
        answer: dict[str, Any] | None
        try:
            if target == BATCH_GET_IMAGE:
                answer = images.batch_get_image(region, body)
            elif target == START_QUERY:
                answer = self.insights.start_query(region, body) if Insights.owns(body) else None
            else:
                answer = self.insights.get_query_results(str(body.get("queryId", "")))
        except QueryError as error:
            failure = {"__type": "InvalidParameterException", "message": str(error)}
            return self._respond(
                start_response,
                400,
                {"Content-Type": "application/x-amz-json-1.1"},
                json.dumps(failure).encode(),
            )
        if answer is None:
            return None
        payload = json.dumps(answer).encode()
        return self._respond(
            start_response, 200, {"Content-Type": "application/x-amz-json-1.1"}, payload
        )

    @staticmethod
    def _respond(
        start_response: Start, status: int, headers: dict[str, str], payload: bytes
    ) -> list[bytes]:
        headers = {**headers, "Content-Length": str(len(payload))}
        start_response(f"{status} {_REASONS.get(status, 'Status')}", list(headers.items()))
        return [payload]

    def admin(self, environ: Environ, action: str, start_response: Start) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        status: int = 200
        body: dict[str, Any] = {}
        if action == "health":
            body = {"status": "ok"}
        elif action == "settings" and method == "GET":
            body = self.backend.settings.as_json()
        elif action == "settings" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                changes = json.loads(environ["wsgi.input"].read(length) or b"{}")
                self.backend.configure(self.backend.settings.updated(changes))
                body = self.backend.settings.as_json()
            except (ValueError, TypeError) as error:
                status, body = 400, {"message": str(error)}
        elif action == "calls":
            body = {"calls": self.backend.store.calls()}
        elif action == pricing.PATH and method == "GET":
            text = pricing.price_list_csv().encode()
            return self._respond(start_response, 200, {"Content-Type": "text/csv"}, text)
        else:
            status, body = 404, {"message": f"no control action {action!r}"}
        payload = json.dumps(body).encode()
        return self._respond(start_response, status, {"Content-Type": "application/json"}, payload)


_REASONS = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    410: "Gone",
    424: "Failed Dependency",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
}


def scope_region(environ: Environ) -> str:
    scope = environ.get(SCOPE_KEY) or credential_scope(environ.get("HTTP_AUTHORIZATION"))
    return scope[1] if scope else "us-east-1"


class _QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without a log line per request, speaking HTTP/1.1."""

    # HTTP/1.1 as AWS speaks it. Werkzeug (3.1) still closes every connection after its
    # answer (`Connection: close`), so each client call opens a new one.
    protocol_version = "HTTP/1.1"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # One line per request drowns the demo's output; the calls log keeps the record.
        return


class _Cheroot:
    """cheroot's WSGI server: a thread pool, and keep-alive connections parked off it.

    Chosen over waitress and gunicorn because it is made to be started and stopped inside a
    process (tests run the service in-process), keeps idle connections in a selector rather
    than on a thread, and answered 4.3 ms a get_device against werkzeug's 6.0 and waitress's
    5.1 in one measurement (boto3 client in another process, 2 cores).
    """

    def __init__(self, host: str, port: int, app: Any) -> None:
        from cheroot import wsgi

        class Server(wsgi.Server):
            @classmethod
            def prepare_socket(cls, *args: Any, **kwargs: Any) -> socket.socket:
                # cheroot skips SO_REUSEADDR for port 0; a restart on the port it picked must
                # still bind while the old connections sit in TIME_WAIT.
                sock: socket.socket = super().prepare_socket(*args, **kwargs)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                return sock

        self._server = Server(
            (host, port),
            app,
            numthreads=HTTP_THREADS,
            request_queue_size=128,
            # An idle keep-alive connection is closed after this long; clients reconnect.
            timeout=60,
            server_name="pulumi-braket-local",
        )
        # prepare() starts the workers. Threads inherit daemon from the thread that starts
        # them, so started from a daemon thread a worker that a stop leaves in a request
        # cannot keep the process from exiting.
        _on_daemon_thread(self._server.prepare, "braket-local-prepare")

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.bind_addr[:2]
        return str(host), int(port)

    def serve(self) -> None:
        self._server.serve()

    def stop(self) -> list[str]:
        stopping = threading.Thread(target=self._server.stop, name="braket-local-stop", daemon=True)
        stopping.start()
        stopping.join(STOP_SECONDS)
        if stopping.is_alive():
            return [
                f"HTTP workers still in a request after {STOP_SECONDS:g} s were left to end "
                "with the process"
            ]
        return []


def _on_daemon_thread(work: Callable[[], None], name: str) -> None:
    """Run work on a daemon thread and wait for it, raising what it raised."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # re-raised below, on the caller's thread
            failed.append(error)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]


class _Werkzeug:
    """Werkzeug's development server: a thread per connection, closed after every answer."""

    def __init__(self, host: str, port: int, app: Any) -> None:
        self._server: BaseWSGIServer = make_server(
            host, port, app, threaded=True, request_handler=_QuietHandler
        )
        # The default backlog of 5 drops connections when 32 clients connect at once.
        self._server.socket.listen(128)

    @property
    def address(self) -> tuple[str, int]:
        return str(self._server.server_address[0]), int(self._server.server_address[1])

    def serve(self) -> None:
        self._server.serve_forever()

    def stop(self) -> list[str]:
        self._server.shutdown()
        self._server.server_close()
        return []  # its connection threads are daemons already


class LocalBraket:
    """The local service in this process, on a background thread.

    >>> with LocalBraket(settings=ServiceSettings(job_run_seconds=0.5)) as service:
    ...     boto3.client("braket", endpoint_url=service.endpoint, **service.client_credentials())

    Its credentials are ``credentials`` if given, else the pair kept in its data directory
    (made at first start): every request must be signed with them.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        db: str | None = None,
        settings: ServiceSettings | None = None,
        data_dir: str | None = None,
        credentials: KeyPair | ServiceCredentials | None = None,
        access: Access | None = None,
        http_server: str = "cheroot",
    ) -> None:
        if http_server not in HTTP_SERVERS:
            raise ValueError(f"http_server must be one of {', '.join(HTTP_SERVERS)}")
        if isinstance(credentials, KeyPair):
            credentials = ServiceCredentials(credentials, None)
        self.credentials = credentials or load_or_create(default_path(db, data_dir, os.environ))
        self.store = Store(db)
        self.backend = BraketBackend(self.store, settings or ServiceSettings.from_env())
        self.app = Dispatcher(self.backend)
        self.keyring = Keyring(self.credentials.pair, lambda: self.backend.settings.account_id)
        self.access = access or Access()
        front = Front(
            self.app, self.keyring, self.access, lambda: (self.host, self.port), self.store.log_call
        )
        # Job directories and requirement venvs live beside the database, so that a restart
        # finds them; without a database they go to a temporary directory removed at stop.
        if data_dir is None and db is not None:
            data_dir = db + ".data"
        self.data_dir = Path(data_dir) if data_dir else None
        self.recovered: dict[str, int] = {}
        account = self.backend.settings.account_id
        self.mirror = ObjectMirror(self.store, account) if self.store.persistent else None
        server = _Cheroot if http_server == "cheroot" else _Werkzeug
        self._server = server(host, port, front)
        self._address = self._server.address
        self._thread = threading.Thread(target=self._server.serve, name="braket-local", daemon=True)

    @property
    def host(self) -> str:
        return self._address[0]

    @property
    def port(self) -> int:
        return self._address[1]

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def client_credentials(self) -> dict[str, str]:
        """boto3 client arguments for the service's own key pair."""
        pair = self.credentials.pair
        return {
            "aws_access_key_id": pair.access_key_id,
            "aws_secret_access_key": pair.secret_access_key,
        }

    def environment(self) -> dict[str, str]:
        """The variables that point every AWS client, and the SDK's Tracker, at this endpoint."""
        return client_environment(self.job_endpoint, self.credentials.pair)

    @property
    def job_endpoint(self) -> str:
        """The endpoint a job's process is given: loopback even when bound more widely."""
        host = self.host if self.host not in ("0.0.0.0", "::", "") else "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    def start(self) -> LocalBraket:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        execution = Execution(
            self.store,
            lambda: self.backend.settings,
            lambda: self.job_endpoint,
            self.data_dir,
            self.keyring,
        )
        self.backend.execution = execution
        if self.mirror is not None:
            self.recovered["objects_restored"] = self.mirror.restore()
            self.mirror.start()
        self._thread.start()
        programs.warm()
        if self.backend.settings.execute:
            self.recovered.update(execution.recover())
            # Warm the simulation workers now: importing the simulators takes over a second.
            execution.tasks  # noqa: B018
        return self

    def stop(self) -> list[str]:
        """Stop serving, end runs, close the store; what the stop had to leave behind."""
        left = self._server.stop()
        self._thread.join(timeout=10)
        if self.backend.execution is not None:
            self.backend.execution.close()
        if self.mirror is not None:
            self.mirror.stop()
        self.store.close()
        return left

    def __enter__(self) -> LocalBraket:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def client_environment(endpoint: str, pair: KeyPair, region: str = "us-east-1") -> dict[str, str]:
    """The variables that point AWS clients at ``endpoint`` with ``pair`` (the banner's exports)."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": pair.access_key_id,
        "AWS_SECRET_ACCESS_KEY": pair.secret_access_key,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        # The SDK's Tracker reads prices from here instead of AWS's public price list.
        "BRAKET_PRICE_OFFERS_URL": pricing.offers_url(endpoint),
    }
