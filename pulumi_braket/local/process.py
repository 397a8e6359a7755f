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
from botocore.config import Config


class ServiceProcess:
    """A `pulumi-braket-local serve` process on a free loopback port, settings as flags."""

    # Settings every instance starts with, before its own (a subclass sets them).
    defaults: ClassVar[dict[str, str]] = {}

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
        while not self.banner[-1].startswith("export AWS_DEFAULT_REGION"):
            self.banner.append(self.process.stdout.readline())

    @property
    def port(self) -> int:
        return int(self.endpoint.rsplit(":", 1)[1])

    def stop(self) -> str:
        """Stop with SIGTERM and return what the process printed after its banner."""
        assert self.process is not None
        self.process.terminate()
        # Generous: at stop the service ends running jobs and its simulation workers.
        out, _ = self.process.communicate(timeout=60)
        return out

    def restart(self) -> None:
        port = self.port
        self.stop()
        self.start(port)

    def client(self, service: str = "braket", region: str = "us-east-1", **config: Any) -> Any:
        make: Any = boto3.client  # any service name: the stubs type one per literal
        return make(
            service,
            endpoint_url=self.endpoint,
            region_name=region,
            aws_access_key_id=config.pop("access_key", "testing"),
            aws_secret_access_key="testing",
            config=Config(**config) if config else None,
        )

    def configure(self, **changes: Any) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.endpoint}/_braket_local/settings",
            data=json.dumps(changes).encode(),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)  # type: ignore[no-any-return]

    def calls(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.endpoint}/_braket_local/calls", timeout=10) as answer:
            return json.load(answer)["calls"]  # type: ignore[no-any-return]

    def environment(self, region: str = "us-east-1") -> dict[str, str]:
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
        }


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
