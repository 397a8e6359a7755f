"""Secrets and exposure: no sentinel in state or logs, loopback only, no escape from the tree."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pulumi_braket import BraketError, source
from pulumi_braket.local import LocalBraket, ServiceSettings
from tests.conftest import Service, session_credentials
from tests.reliability.support import FAST_FLAGS, Stack, job_spec, record

SECRET_TOKEN = "SENTINEL-HYPER-TOKEN-5d1e"
# Engine and provider host logs, as a user would collect them for a bug report.
VERBOSE = ("--verbose=9", "--logflow", "--logtostderr")


def _leaks(text: str, sentinels: list[str]) -> list[str]:
    return [sentinel for sentinel in sentinels if sentinel in text]


def _files(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.read_text(errors="replace")


@pytest.mark.engine
@pytest.mark.slow
@pytest.mark.timeout(300)
def test_stack_export_and_logs_never_hold_credentials_or_secrets(
    new_service: Callable[..., Service], stacks: Callable[..., Stack]
) -> None:
    service = new_service()
    stack = stacks(service)
    # A role session's key, secret and token, as CI has them; they and the service's own pair
    # must appear nowhere.
    session = session_credentials(service)
    stack.env.update(session)
    credentials = [*session.values(), service.access_key_id, service.secret_access_key]
    stack.configure("engine-test:apiToken", SECRET_TOKEN, secret=True)
    stack.jobs({"j": job_spec(secretHyperParameter=True)})
    fast = ("--yes", "--skip-preview", *FAST_FLAGS, *VERBOSE)
    commands = [
        ("up", *fast),
        ("preview", "--diff", *FAST_FLAGS, *VERBOSE),
        ("refresh", *fast),
        ("stack", "export"),
        ("stack", "output", "--json"),
        ("stack", "history", "--json"),
    ]
    texts: dict[str, str] = {}
    for command in commands:
        done = stack.cli(*command)
        texts[" ".join(command[:2])] = done.stdout + done.stderr
    # The secret really went through the provider host to the job, in plaintext only there.
    arn = stack.ids()["j"]
    assert service.client().get_job(jobArn=arn)["hyperParameters"]["api_token"] == SECRET_TOKEN
    # The same scan finds the secret where it is asked for: the scan can see it.
    shown = stack.cli("stack", "export", "--show-secrets").stdout
    assert _leaks(shown, [SECRET_TOKEN]) == [SECRET_TOKEN]
    done = stack.cli("destroy", *fast)
    texts["destroy"] = done.stdout + done.stderr
    everything = [*credentials, SECRET_TOKEN]
    found = {name: _leaks(text, everything) for name, text in texts.items()}
    assert {name: leaked for name, leaked in found.items() if leaked} == {}
    assert _leaks(shown, credentials) == []
    on_disk = {str(path): _leaks(text, everything) for path, text in _files(stack.root)}
    assert {path: leaked for path, leaked in on_disk.items() if leaked} == {}
    record(
        "exposure",
        "sentinels",
        {
            "commands": len(texts),
            "log_bytes": sum(len(text) for text in texts.values()),
            "files_scanned": len(on_disk),
            "plaintext_found": 0,
        },
    )


@pytest.mark.engine
@pytest.mark.timeout(120)
def test_up_failing_check_on_secret_hyperparameter_masks_it(
    new_service: Callable[..., Service], stacks: Callable[..., Stack]
) -> None:
    service = new_service()
    stack = stacks(service)
    stack.configure("engine-test:apiToken", SECRET_TOKEN, secret=True)
    # 101 hyperparameters: the engine prints the whole map with the failure.
    many = {f"h{i}": "v" for i in range(100)}
    stack.jobs({"j": job_spec(secretHyperParameter=True, hyper_parameters=many)})
    done = stack.apply(check=False)
    text = done.stdout + done.stderr
    assert done.returncode != 0
    assert "property hyper_parameters value {map[api_token:{[secret]} h0:{v}" in text
    assert "has a problem: Dictionary should have at most 100 items" in text
    assert SECRET_TOKEN not in text
    assert [call for call in service.calls() if call["operation"] == "CreateJob"] == []


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as /proc shows them) with a listening TCP socket on ``port``."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":
                found.append(address)
    return found


def _outward_address() -> str | None:
    """This machine's address towards other hosts, if it has a route (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


def test_serve_binds_loopback_only_by_default(new_service: Callable[..., Service]) -> None:
    service = new_service()  # `pulumi-braket-local serve --port 0`, no --host
    assert service.endpoint.startswith("http://127.0.0.1:")
    assert _listening(service.port) == ["0100007F"]
    with LocalBraket(settings=ServiceSettings()) as embedded:
        assert embedded.host == "127.0.0.1"
        assert _listening(embedded.port) == ["0100007F"]
    outward = _outward_address()
    if outward is not None:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((outward, service.port), timeout=5).close()
    record("exposure", "loopback", {"bound": "127.0.0.1", "outward_address_refused": outward})


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """program/algo (the source tree) beside outside/credentials (what must never be packed)."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "credentials").write_text(f"aws_secret_access_key = {SECRET_TOKEN}\n")
    algo = tmp_path / "program" / "algo"
    (algo / "sub").mkdir(parents=True)
    (algo / "run.py").write_text("def main():\n    return 0\n")
    return algo


ESCAPES = [
    ("file-outside", "creds", "../../outside/credentials", "points outside the source tree"),
    ("absolute-file", "passwd", "/etc/passwd", "points outside the source tree"),
    ("dir-outside", "data", "../../outside", "points outside the source tree"),
    ("parent-dir", "up", "..", "points outside the source tree"),
    ("cycle", "sub/loop", "..", "(a cycle)"),
    ("dangling", "gone", "../../outside/nothing", "does not resolve"),
]


@pytest.mark.parametrize(
    ("case", "link", "target", "rule"), ESCAPES, ids=[case for case, *_ in ESCAPES]
)
def test_pack_refuses_link_leaving_tree(
    tree: Path, case: str, link: str, target: str, rule: str
) -> None:
    (tree / link).symlink_to(target)
    with pytest.raises(BraketError) as caught:
        source.pack(tree)
    message = str(caught.value)
    assert f"link algo/{link} -> {target}" in message
    assert rule in message
    record("exposure", f"pack:{case}", {"refused": True})


def test_pack_refuses_relative_path_with_dotdot(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    with pytest.raises(BraketError) as caught:
        source.pack("../../outside")
    assert "'..' in a relative source path leaves the program's directory" in str(caught.value)
    record("exposure", "pack:dotdot", {"refused": True})


def test_pack_keeps_links_inside_tree_and_nothing_else(tree: Path) -> None:
    (tree / "alias.py").symlink_to("run.py")
    packed = source.pack(tree)
    assert packed.files == ("algo", "algo/alias.py", "algo/run.py", "algo/sub")
    listing = subprocess.run(
        ["tar", "-xzOf", "-"], input=packed.data, capture_output=True, check=True
    ).stdout
    assert SECRET_TOKEN.encode() not in listing
    assert os.path.exists(tree.parent.parent / "outside" / "credentials")


@pytest.mark.engine
@pytest.mark.timeout(120)
def test_up_job_source_leaving_tree_refused_at_check_nothing_uploaded(
    new_service: Callable[..., Service], stacks: Callable[..., Stack]
) -> None:
    service = new_service()
    stack = stacks(service)
    (stack.root / "outside").mkdir()
    (stack.root / "outside" / "credentials").write_text(f"token = {SECRET_TOKEN}\n")
    algo = stack.root / "project" / "algo"
    algo.mkdir()
    (algo / "run.py").write_text("def main():\n    return 0\n")
    (algo / "creds").symlink_to("../../outside/credentials")
    spec = job_spec(source="algo", entry_point="algo.run:main")
    del spec["algorithm_specification"]
    cases = {
        # A link in the tree to a file outside it, and a path that climbs out of the program.
        "algo": "link algo/creds -> ../../outside/credentials points outside the source tree",
        "../outside": "'..' in a relative source path leaves the program's directory",
    }
    for path, rule in cases.items():
        stack.jobs({"j": {**spec, "source": path}})
        done = stack.apply(check=False)
        text = done.stdout + done.stderr
        assert done.returncode != 0
        line = f"resource 'j': property source value {{{path}}} has a problem: "
        assert [row for row in text.splitlines() if line in row and rule in row], text[-3000:]
        assert SECRET_TOKEN not in text
        record("exposure", f"pack:engine:{path}", {"refused": True})
    # Nothing was packed, uploaded or created.
    written = [c["operation"] for c in service.calls() if c["operation"].startswith("s3:")]
    assert written == []
    assert [c for c in service.calls() if c["operation"] == "CreateJob"] == []
