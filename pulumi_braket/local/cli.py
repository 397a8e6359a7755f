"""The ``pulumi-braket-local`` command: serve the local Braket endpoint until SIGTERM or Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from pulumi_braket.local.config import ENV_PREFIX, ServiceSettings
from pulumi_braket.local.server import LocalBraket


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pulumi-braket-local", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve Braket, S3, STS, IAM and Logs on one endpoint")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=4599, help="port; 0 picks a free one")
    serve.add_argument("--db", default=None, help="SQLite file for state (default: in memory)")
    serve.add_argument(
        "--data-dir",
        default=None,
        help="job directories and requirement venvs (default: DB.data, or a temporary one)",
    )
    for field in ServiceSettings.fields():
        flag = "--" + field.name.replace("_", "-")
        serve.add_argument(
            flag, dest=field.name, default=None, help=f"also {ENV_PREFIX}{field.name.upper()}"
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    changes = {
        field.name: getattr(args, field.name)
        for field in ServiceSettings.fields()
        if getattr(args, field.name) is not None
    }
    try:
        settings = ServiceSettings.from_env().updated(changes)
    except ValueError as error:
        print(f"pulumi-braket-local: {error}", file=sys.stderr)
        return 2
    service = LocalBraket(
        host=args.host, port=args.port, db=args.db, settings=settings, data_dir=args.data_dir
    ).start()
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"Local Braket service listening on {service.endpoint}", flush=True)
    print(f"State: {args.db or 'in memory'}", flush=True)
    for kind, count in service.recovered.items():
        if count:
            print(f"Restored from {args.db}: {kind.replace('_', ' ')}: {count}", flush=True)
    if settings.execute:
        # It runs code it is given: say so before anyone points a client at it.
        print(
            "Execution: ON: quantum tasks run on the local simulators and hybrid jobs RUN "
            "THEIR SOURCE CODE on this machine (--execute off to refuse)",
            flush=True,
        )
    else:
        print("Execution: off: jobs and tasks follow timers; no code runs", flush=True)
    print("Point AWS clients at it with:", flush=True)
    for name, value in service.environment().items():
        print(f"export {name}={value}", flush=True)
    # With a timeout: the kernel may hand SIGTERM to any of the service's threads, and a
    # main thread blocked in an untimed wait would then never run the handler (the stop
    # hung about one time in four with jobs running).
    while not stop.wait(0.2):
        pass
    service.stop()
    print("Local Braket service stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
