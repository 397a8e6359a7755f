"""The local service as a `pulumi-braket-local serve` subprocess, as tests and benchmarks run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any, ClassVar

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from pulumi_braket.local.front.credentials import ENV_ACCESS_KEY, ENV_SECRET_KEY, KeyPair

# The banner's last line: everything up to it is read at start.
LAST_BANNER_LINE = "export BRAKET_PRICE_OFFERS_URL="


class ServiceProcess:
    """A `pulumi-braket-local serve` process on a free loopback port, settings as flags.

    Its credentials are the ones its banner exports: generated and kept in its data
    directory, or ``access_key_id``/``secret_access_key`` given as flags.
    """

    # Settings every instance starts with, before its own (a subclass sets them).
    defaults: ClassVar[dict[str, str]] = {}
    # A pair every instance is given, through the environment (flags show in `ps`); None lets
    # each service use the pair kept in its data directory.
    credentials: ClassVar[KeyPair | None] = None

    def __init__(
        self, db: str | None = None, env: dict[str, str] | None = None, **settings: str
    ) -> None:
        self.db = db
        self.extra_env = env or {}
        self.settings = {**self.defaults, **settings}
        self.process: subprocess.Popen[str] | None = None
        self.endpoint = ""
        self.start()

    def start(self, port: int = 0) -> None:
        args = [sys.executable, "-m", "pulumi_braket.local", "serve", "--port", str(port)]
        if self.db:
            args += ["--db", self.db]
        for name, value in self.settings.items():
            args += ["--" + name.replace("_", "-"), value]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_BRAKET_LOCAL_")}
        if self.credentials is not None:
            env[ENV_ACCESS_KEY] = self.credentials.access_key_id
            env[ENV_SECRET_KEY] = self.credentials.secret_access_key
        env.update(self.extra_env)
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline()
        if "listening on" not in first:
            raise RuntimeError(f"local service did not start: {first}{self.process.stdout.read()}")
        self.endpoint = first.rsplit(" ", 1)[1].strip()
        # Read the whole banner now: communicate() later reads the pipe unbuffered.
        self.banner = [first]
        while not self.banner[-1].startswith(LAST_BANNER_LINE):
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"local service stopped at start: {''.join(self.banner)}")
            self.banner.append(line)
        self.exports = {
            name: value.strip()
            for line in self.banner
            if line.startswith("export ")
            for name, _, value in [line[len("export ") :].partition("=")]
        }

    @property
    def port(self) -> int:
        return int(self.endpoint.rsplit(":", 1)[1])

    def stop(self) -> str:
        """Stop with SIGTERM and return what the process printed after its banner."""
        assert self.process is not None
        self.process.terminate()
        try:
            # Generous: at stop the service ends running jobs and its simulation workers.
            out, _ = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            # It hung: what it printed meanwhile holds its threads' stacks (the CLI dumps
            # them when a stop runs long), the only account of where it waits.
            self.process.kill()
            out, _ = self.process.communicate()
            raise RuntimeError(f"local service did not stop in 60 s; it printed:\n{out}") from None
        return out

    def restart(self) -> None:
        port = self.port
        self.stop()
        self.start(port)

    @property
    def access_key_id(self) -> str:
        return self.exports["AWS_ACCESS_KEY_ID"]

    @property
    def secret_access_key(self) -> str:
        return self.exports["AWS_SECRET_ACCESS_KEY"]

    def client(self, service: str = "braket", region: str = "us-east-1", **config: Any) -> Any:
        """A boto3 client signed with the service's pair, or ``access_key``/``secret_key``."""
        make: Any = boto3.client  # any service name: the stubs type one per literal
        return make(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id=config.pop("access_key", self.access_key_id),
            aws_secret_access_key=config.pop("secret_key", self.secret_access_key),
            aws_session_token=config.pop("session_token", None),
            config=Config(**config) if config else None,
        )

    def control(self, action: str, changes: dict[str, Any] | None = None) -> Any:
        """A call to the control API, signed (SigV4) with the service's pair as it requires."""
        url = f"{self.endpoint}/_braket_local/{action}"
        body = json.dumps(changes).encode() if changes is not None else b""
        method = "POST" if changes is not None else "GET"
        signed = AWSRequest(method=method, url=url, data=body)
        credentials = Credentials(self.access_key_id, self.secret_access_key)
        SigV4Auth(credentials, "braket", "us-east-1").add_auth(signed)
        request = urllib.request.Request(
            url, data=body or None, method=method, headers=dict(signed.headers.items())
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)

    def configure(self, **changes: Any) -> dict[str, Any]:
        return self.control("settings", changes)  # type: ignore[no-any-return]

    def calls(self) -> list[dict[str, Any]]:
        return self.control("calls")["calls"]  # type: ignore[no-any-return]

    def environment(self, region: str = "us-east-1") -> dict[str, str]:
        """The banner's exports (the service's pair, its price list), in ``region``."""
        return {**self.exports, "AWS_REGION": region, "AWS_DEFAULT_REGION": region}


def pulumi_bin_dir(repo: Path) -> Path:
    """The pulumi CLI's directory: $PULUMI_BRAKET_PULUMI_DIR (set by make), else what the
    repository's scripts/build-pulumi.sh chooses or builds (its last line)."""
    given = os.environ.get("PULUMI_BRAKET_PULUMI_DIR")
    if given:
        return Path(given)
    built = subprocess.run(
        ["bash", str(repo / "scripts" / "build-pulumi.sh")],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(built.stdout.strip().splitlines()[-1])
