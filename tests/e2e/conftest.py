"""End-to-end fixtures: the real local stack (``python -m local.stack``) on free ports."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
STORE_KEY = "e2e-store-key"
ADMIN_KEY = "e2e-admin-key"


def wait_for(check: Any, timeout: float = 30.0) -> Any:
    """The first true value of ``check()`` within ``timeout`` seconds, else its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    return check()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Response:
    status: int
    body: Any
    headers: dict[str, str]


@dataclass
class RunningStack:
    """A local stack in a child process, driven over HTTP."""

    process: subprocess.Popen[str]
    api: str
    mail: str
    aws: str
    log: Path  # the stack's console (banner and JSON log lines), in a file it cannot fill

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        key: str | None = STORE_KEY,
        headers: dict[str, str] | None = None,
        base: str | None = None,
    ) -> Response:
        data = (
            None
            if body is None
            else (body if isinstance(body, bytes) else json.dumps(body).encode())
        )
        request = urllib.request.Request(f"{base or self.api}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if key:
            request.add_header("Authorization", f"Bearer {key}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                status, response_headers = response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            raw, status, response_headers = error.read(), error.code, dict(error.headers)
        text = raw.decode("utf-8")
        try:
            parsed: Any = json.loads(text)
        except ValueError:
            parsed = text
        return Response(status, parsed, response_headers)

    def mails(self) -> list[dict[str, Any]]:
        return self.request("GET", "/api/messages", key=None, base=self.mail).body["messages"]

    def mails_of(self, template: str, address: str = "") -> list[dict[str, Any]]:
        """The viewer's mail whose ``X-Rapport-Message`` names ``template`` (to ``address``,
        any case, when given)."""
        return [
            mail
            for mail in self.mails()
            if mail["headers"].get("X-Rapport-Message") == template
            and any(address.lower() in to.lower() for to in mail["to"])
        ]

    def wait_for_mails(self, count: int, timeout: float = 60.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            mails = self.mails()
            if len(mails) >= count:
                return mails
            time.sleep(0.1)
        return self.mails()

    def finished_run(self, url: str, timeout: float = 60.0) -> dict[str, Any]:
        """The job run at ``url`` once it succeeded or failed (its last state on timeout)."""

        def finished() -> Any:
            run = self.request("GET", url, key=ADMIN_KEY).body
            return run if run["status"] in ("succeeded", "failed") else None

        run: dict[str, Any] = (
            wait_for(finished, timeout) or self.request("GET", url, key=ADMIN_KEY).body
        )
        return run

    def run_job(self, name: str, body: Any = None, timeout: float = 60.0) -> dict[str, Any]:
        """Request a run of job ``name`` (202, queued), wait for it, and return the run,
        which succeeded."""
        queued = self.request("POST", f"/v1/admin/jobs/{name}", body, key=ADMIN_KEY)
        assert queued.status == 202 and queued.body["status"] == "queued", queued.body
        run = self.finished_run(queued.body["url"], timeout)
        assert run["status"] == "succeeded", run
        return run


def start_stack(extra_env: dict[str, str] | None = None) -> RunningStack:
    ports = {
        "RAPPORT_PORT": free_port(),
        "RAPPORT_AWS_PORT": free_port(),
        "RAPPORT_MAIL_PORT": free_port(),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAPPORT_", "AWS_"))}
    env.update({k: str(v) for k, v in ports.items()})
    env.update(
        {"RAPPORT_STORE_KEY": STORE_KEY, "RAPPORT_ADMIN_KEY": ADMIN_KEY, **(extra_env or {})}
    )
    handle, name = tempfile.mkstemp(prefix="rapport-stack-", suffix=".log")
    with os.fdopen(handle, "w") as console:
        process = subprocess.Popen(
            [sys.executable, "-m", "local.stack"],
            cwd=ROOT,
            env=env,
            stdout=console,
            stderr=subprocess.STDOUT,
            text=True,
        )
    stack = RunningStack(
        process,
        api=f"http://127.0.0.1:{ports['RAPPORT_PORT']}",
        mail=f"http://127.0.0.1:{ports['RAPPORT_MAIL_PORT']}",
        aws=f"http://127.0.0.1:{ports['RAPPORT_AWS_PORT']}",
        log=Path(name),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"local stack exited: {stack.output()}")
        try:
            if stack.request("GET", "/v1/health", key=None).status == 200:
                return stack
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("local stack did not become healthy in 60 s")


def stop_stack(stack: RunningStack) -> int:
    stack.process.send_signal(signal.SIGINT)
    try:
        return stack.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        stack.process.kill()
        return -9


@pytest.fixture(scope="module")
def local_stack() -> Iterator[RunningStack]:
    stack = start_stack()
    yield stack
    stop_stack(stack)
