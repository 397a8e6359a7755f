"""Fixtures for engine tests: the real pulumi CLI through the Automation API, a file backend."""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pulumi import automation as auto

from pulumi_braket.local.process import pulumi_bin_dir
from pulumi_braket.shapes import snake
from tests.conftest import Service, ensure_jobs_role

REPO = Path(__file__).resolve().parents[2]
# The test program, on either host (its engine-test:host config).
PROGRAM = Path(__file__).parent / "program" / "__main__.py"
PLUGIN = Path(sys.prefix) / "bin" / "pulumi-resource-braket"
# The two hosts of the same cores; the shared scenarios run on both.
HOSTS = ("dynamic", "plugin")
PASSPHRASE = "engine-tests"


ROLE = "arn:aws:iam::123456789012:role/AmazonBraketJobsExecutionRole"
SV1 = "arn:aws:braket:::device/quantum-simulator/amazon/sv1"
# The default bucket of the local service's account in us-east-1.
BUCKET = "amazon-braket-us-east-1-123456789012"


def job_args(name: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid Job declaration for the local service; overrides replace whole members."""
    args: dict[str, Any] = {
        "job_name": name or "job-" + uuid.uuid4().hex[:8],
        "role_arn": ROLE,
        "device_config": {"device": SV1},
        "algorithm_specification": {
            "script_mode_config": {"entry_point": "algo.run:main", "s3_uri": "s3://b/src.tar.gz"}
        },
        "output_data_config": {"s3_path": "s3://b/out"},
        "instance_config": {"instance_type": "ml.m5.large", "volume_size_in_gb": 30},
        # Long enough that the job is still running when a test cancels or replaces it.
        "hyper_parameters": {"braket.local.run_seconds": "120"},
        "tags": {"team": "qa"},
    }
    args.update(overrides)
    return args


@pytest.fixture(scope="session")
def pulumi_dir() -> Path:
    path = pulumi_bin_dir(REPO)
    assert (path / "pulumi").exists(), f"no pulumi CLI in {path}"
    return path


class Project:
    """A Pulumi project in a temp directory, with a stack driven through the Automation API."""

    def __init__(
        self,
        root: Path,
        pulumi_dir: Path,
        service: Service,
        region: str,
        program: Path = PROGRAM,
        backend: str | None = None,
        host: str = "dynamic",
    ) -> None:
        self.root = root
        self.service = service
        self.region = region
        project = root / "project"
        project.mkdir()
        self.yaml = program.name == "Pulumi.yaml"
        # A YAML program can only use the plugin; a Python one uses the host asked for.
        self.host = "plugin" if self.yaml else host
        if self.yaml:
            # A Pulumi YAML program is its Pulumi.yaml, which names the project.
            shutil.copy(program, project / "Pulumi.yaml")
        else:
            shutil.copy(program, project / "__main__.py")
        # An example's local source and data come along, at the same paths.
        for part in program.parent.iterdir():
            if part.is_dir() and part.name != "__pycache__":
                shutil.copytree(
                    part, project / part.name, ignore=shutil.ignore_patterns("__pycache__")
                )
            elif part.suffix == ".py" and part.name != "__main__.py":
                shutil.copy(part, project / part.name)
        venv = Path(sys.prefix)
        if self.yaml:
            self.name = next(
                line.split(":", 1)[1].strip()
                for line in program.read_text().splitlines()
                if line.startswith("name:")
            )
        else:
            self.name = "engine-test"
            (project / "Pulumi.yaml").write_text(
                "name: engine-test\n"
                "runtime:\n"
                "  name: python\n"
                "  options:\n"
                "    toolchain: pip\n"
                f"    virtualenv: {venv}\n"
            )
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PULUMI_"))},
            # The virtualenv's python first: the language host runs the python it finds.
            "PATH": f"{venv / 'bin'}:{pulumi_dir}:{os.environ['PATH']}",
            "PULUMI_BACKEND_URL": backend or f"file://{root / 'state'}",
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            # An editable install hides pulumi-plugin.json from the language host, which then
            # asks for a "braket" resource plugin: 2.5 s of download retries per command.
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_HOME": str(root / "home"),
            "AWS_ACCESS_KEY_ID": service.access_key_id,
            "AWS_SECRET_ACCESS_KEY": service.secret_access_key,
            "AWS_ENDPOINT_URL": service.endpoint,
        }
        (root / "state").mkdir()
        command = auto.PulumiCommand(root=str(pulumi_dir.parent), skip_version_check=True)
        self.stack = auto.create_or_select_stack(
            stack_name="test",
            work_dir=str(project),
            opts=auto.LocalWorkspaceOptions(
                work_dir=str(project),
                env_vars=self.env,
                pulumi_home=str(root / "home"),
                pulumi_command=command,
            ),
        )
        self.stack.set_config("aws:region", auto.ConfigValue(region))
        if self.host == "plugin":
            self.use_plugin()

    def use_plugin(self) -> None:
        """The native plugin, installed as the README says, so nothing is needed on PATH."""
        self.host = "plugin"
        # The console script on PATH would otherwise be used, with a warning, as an ambient
        # plugin beside the installed one.
        self.env["PULUMI_IGNORE_AMBIENT_PLUGINS"] = "true"
        self.stack.workspace.env_vars = self.env
        version = importlib.metadata.version("pulumi-braket")
        self.run("plugin", "install", "resource", "braket", version, "-f", str(PLUGIN), stack=False)
        # A provider plugin sees its own package's config alone, not aws:region.
        self.stack.set_config("braket:region", auto.ConfigValue(self.region))
        if not self.yaml:
            # The test programs declare their resources on the plugin from here on.
            self.configure("engine-test:host", "plugin")

    def configure(self, key: str, value: Any, secret: bool = False) -> None:
        text = value if isinstance(value, str) else json.dumps(value)
        self.stack.set_config(key, auto.ConfigValue(text, secret=secret))

    def jobs(self, jobs: dict[str, dict[str, Any]]) -> None:
        self.configure("engine-test:jobs", jobs)

    def up(self) -> auto.UpResult:
        return self.stack.up(color="never")

    def preview(self) -> auto.PreviewResult:
        return self.stack.preview(color="never")

    def run(
        self, *args: str, check: bool = True, stack: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """The pulumi CLI itself, for commands the Automation API does not wrap."""
        return subprocess.run(
            ["pulumi", *args, *(["--stack", "test"] if stack else []), "--non-interactive"],
            cwd=self.root / "project",
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
        )

    def braket(self) -> Any:
        return self.service.client(region=self.region)

    @property
    def job_type(self) -> str:
        return "braket:index:Job" if self.host == "plugin" else "pulumi-python:dynamic/braket:Job"

    def outputs(self, resource_id: str) -> dict[str, Any]:
        """A resource's outputs in the state, by id, named as the core names them (snake_case)."""
        resources = self.stack.export_stack().deployment["resources"]
        found = next(r for r in resources if r.get("id") == resource_id)
        return {snake(key): value for key, value in found["outputs"].items()}


@pytest.fixture
def running(executing_service: Service) -> Service:
    """The examples run for real: tasks on the simulators, jobs from their source."""
    ensure_jobs_role(executing_service)
    # Tasks write their results to the default bucket; jobs create it, tasks do not.
    with contextlib.suppress(ClientError):
        executing_service.client("s3").create_bucket(Bucket=BUCKET)
    return executing_service


@pytest.fixture
def project(
    tmp_path: Path, pulumi_dir: Path, shared_service: Service
) -> Iterator[Callable[..., Project]]:
    made: list[Project] = []

    def make(
        service: Service | None = None,
        region: str = "us-east-1",
        program: Path = PROGRAM,
        backend: str | None = None,
        host: str = "dynamic",
    ) -> Project:
        root = tmp_path / f"p{len(made)}"
        root.mkdir()
        service = service or shared_service
        made.append(Project(root, pulumi_dir, service, region, program, backend, host))
        return made[-1]

    yield make


@pytest.fixture(params=HOSTS)
def host(request: pytest.FixtureRequest) -> str:
    """Each shared scenario runs on the dynamic providers and on the native plugin."""
    return str(request.param)
