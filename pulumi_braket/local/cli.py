"""The ``pulumi-braket-local`` command: serve the local Braket endpoint, or print its exports."""

from __future__ import annotations

import argparse
import faulthandler
import ipaddress
import os
import shlex
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from pulumi_braket.local.config import ENV_PREFIX, ServiceSettings
from pulumi_braket.local.front.credentials import (
    CredentialsError,
    KeyPair,
    ServiceCredentials,
    default_path,
    explicit_pair,
    load_or_create,
)
from pulumi_braket.local.front.guard import Access
from pulumi_braket.local.front.server import HTTP_SERVERS, LocalBraket, client_environment

# How long a stop may take before the service reports every thread's stack.
STOP_REPORT_SECONDS = 20.0

DEFAULT_PORT = 4599
ENV_ALLOW_HOSTS = ENV_PREFIX + "ALLOW_HOSTS"
ENV_ALLOW_ORIGINS = ENV_PREFIX + "ALLOW_ORIGINS"


def _where(parser: argparse.ArgumentParser) -> None:
    """The flags that say where the service listens and keeps its state and credentials."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port; 0 picks a free one")
    parser.add_argument("--db", default=None, help="SQLite file for state (default: in memory)")
    parser.add_argument(
        "--data-dir",
        default=None,
        help="job directories, requirement venvs and the credentials file (default: DB.data; "
        "without --db the credentials go to ~/.local/state/pulumi-braket-local)",
    )
    parser.add_argument(
        "--access-key-id",
        default=None,
        help=f"the service's key id (also {ENV_PREFIX}ACCESS_KEY_ID)",
    )
    parser.add_argument(
        "--secret-access-key",
        default=None,
        help=f"its secret (also {ENV_PREFIX}SECRET_ACCESS_KEY); default: generated and kept",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pulumi-braket-local", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve Braket, S3, STS, IAM and Logs on one endpoint")
    _where(serve)
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        help="a further Host name to answer (repeatable; .example.com allows names under it; "
        f"also {ENV_ALLOW_HOSTS}, comma-separated)",
    )
    serve.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        help="a web origin that may call the service, e.g. http://localhost:8888 (repeatable; "
        f"also {ENV_ALLOW_ORIGINS})",
    )
    serve.add_argument(
        "--http-server",
        choices=HTTP_SERVERS,
        default="cheroot",
        help="cheroot (keep-alive, a thread pool); werkzeug's development server is kept for "
        "the bench's comparison",
    )
    for field in ServiceSettings.fields():
        flag = "--" + field.name.replace("_", "-")
        serve.add_argument(
            flag, dest=field.name, default=None, help=f"also {ENV_PREFIX}{field.name.upper()}"
        )
    env = commands.add_parser(
        "env",
        help='print the export lines of a service started with the same flags: eval "$(...)"',
    )
    _where(env)
    return parser


def credentials_for(args: argparse.Namespace) -> ServiceCredentials:
    """The explicit pair if flags or variables give one, else the kept one (made if new)."""
    pair = explicit_pair(args.access_key_id, args.secret_access_key, os.environ)
    if pair is not None:
        return ServiceCredentials(pair, None)
    return load_or_create(default_path(args.db, args.data_dir, os.environ))


def export_lines(endpoint: str, pair: KeyPair) -> list[str]:
    """The shell lines that point AWS clients and the SDK's Tracker at the service."""
    lines = [
        f"export {name}={shlex.quote(value)}"
        for name, value in client_environment(endpoint, pair).items()
    ]
    # A session token left from real AWS credentials would be sent with the local key.
    return ["unset AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_PROFILE", *lines]


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _endpoint(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def env(args: argparse.Namespace) -> int:
    try:
        credentials = credentials_for(args)
    except CredentialsError as error:
        print(f"pulumi-braket-local: {error}", file=sys.stderr)
        return 2
    for line in export_lines(_endpoint(args.host, args.port), credentials.pair):
        print(line)
    return 0


def serve(args: argparse.Namespace) -> int:
    changes = {
        field.name: getattr(args, field.name)
        for field in ServiceSettings.fields()
        if getattr(args, field.name) is not None
    }
    try:
        settings = ServiceSettings.from_env().updated(changes)
        explicit = explicit_pair(args.access_key_id, args.secret_access_key, os.environ)
        if explicit is None and not _loopback(args.host):
            raise CredentialsError(
                f"binding {args.host} lets other machines reach a service that runs code: give "
                "its credentials explicitly (--access-key-id and --secret-access-key, or "
                f"{ENV_PREFIX}ACCESS_KEY_ID and {ENV_PREFIX}SECRET_ACCESS_KEY)"
            )
        credentials = credentials_for(args)
    except (ValueError, CredentialsError) as error:
        print(f"pulumi-braket-local: {error}", file=sys.stderr)
        return 2
    access = Access.of(
        [*args.allow_host, os.environ.get(ENV_ALLOW_HOSTS, "")],
        [*args.allow_origin, os.environ.get(ENV_ALLOW_ORIGINS, "")],
    )
    service = LocalBraket(
        host=args.host,
        port=args.port,
        db=args.db,
        settings=settings,
        data_dir=args.data_dir,
        credentials=credentials,
        access=access,
        http_server=args.http_server,
    ).start()
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    for line in banner(service, args, access):
        print(line, flush=True)
    # With a timeout: the kernel may hand SIGTERM to any of the service's threads, and a
    # main thread blocked in an untimed wait would then never run the handler (the stop
    # hung about one time in four with jobs running).
    while not stop.wait(0.2):
        pass
    # A stop should take seconds; if it has not ended in STOP_REPORT_SECONDS, every thread's
    # stack goes to stderr, so a stop that hangs names what it waits for.
    faulthandler.dump_traceback_later(STOP_REPORT_SECONDS)
    left = service.stop()
    faulthandler.cancel_dump_traceback_later()
    for line in left:
        print(f"pulumi-braket-local: {line}", flush=True)
    print("Local Braket service stopped", flush=True)
    return 0


def banner(service: LocalBraket, args: argparse.Namespace, access: Access) -> list[str]:
    """What the service says at start: where, who can reach it, what it runs, the exports."""
    lines = [
        f"Local Braket service listening on {service.endpoint}",
        f"State: {args.db or 'in memory'}",
    ]
    for kind, count in service.recovered.items():
        if count:
            lines.append(f"Restored from {args.db}: {kind.replace('_', ' ')}: {count}")
    if _loopback(args.host):
        reach = "this machine only (loopback)"
    else:
        reach = f"any machine that can reach {args.host}:{service.port}"
    lines.append(
        f"Who can use it: {reach}, and only with the credentials below; every request is "
        "signature-checked, and web pages are refused"
        + (f" except from {', '.join(access.origins)}" if access.origins else "")
    )
    lines.append(service.credentials.describe())
    if service.backend.settings.execute:
        # It runs code it is given: say so before anyone points a client at it.
        lines.append(
            "Execution: ON: quantum tasks run on the local simulators and hybrid jobs RUN "
            "THEIR SOURCE CODE on this machine (--execute off to refuse)"
        )
    else:
        lines.append("Execution: off: jobs and tasks follow timers; no code runs")
    lines.append(f"Point AWS clients at it with these lines{_env_hint(args, service)}:")
    lines.extend(export_lines(service.job_endpoint, service.credentials.pair))
    return lines


def _env_hint(args: argparse.Namespace, service: LocalBraket) -> str:
    """How to print the same lines later: `env` with the flags that find the same pair."""
    if service.credentials.path is None:
        return ""
    flags = [] if service.port == DEFAULT_PORT else ["--port", str(service.port)]
    for flag, value in (("--db", args.db), ("--data-dir", args.data_dir)):
        if value:
            flags += [flag, value]
    command = shlex.join(["pulumi-braket-local", "env", *flags])
    return f', or: eval "$({command})"'


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "env":
        return env(args)
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
