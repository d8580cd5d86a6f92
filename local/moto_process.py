"""moto in a process of its own, as DynamoDB, SES and the rest are services of their own.

The local stack runs the API, the stream handlers, the scheduler and the jobs in one
Python process: one interpreter lock, so at most one core. moto's work (every AWS
call's other half) was in the same process, serialized behind the same lock, measured
at about half of the CPU a replayed shop costs. Served from a child process, moto gets
a core of its own and the app's threads stop waiting for it to release the lock.

The child serves :class:`local.moto_server.SerializedMotoServer`'s app (one request at a
time, waitress, direct attribute serializer) and one path more for the mail viewer,
``/rapport-local/mail``: the mail its SES backend accepted, already in the viewer's
shape, so the viewer never asks for moto's whole state; and the requests it received, by
operation, with its peak memory (:mod:`local.moto_requests`, read by the bench).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

MAIL_PATH = "/rapport-local/mail"
READY_TIMEOUT = 60.0


def mail_route(app: Callable[..., Iterable[bytes]], region: str) -> Callable[..., Iterable[bytes]]:
    """``app`` with :data:`MAIL_PATH` answered from this process's SES backend."""
    from local import mailbox

    def application(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != MAIL_PATH:
            return app(environ, start_response)
        body = json.dumps(mailbox.from_moto_backend(region=region)).encode("utf-8")
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    return application


def serve(host: str, port: int) -> None:
    """Serve moto at ``host:port`` until killed (the child's entry point)."""
    from moto.moto_server.werkzeug_app import create_backend_app
    from waitress.server import create_server  # type: ignore[import-untyped]

    from local import moto_queries, moto_serializer, moto_transactions, moto_updates
    from local.moto_requests import RequestCounter
    from local.moto_server import (
        THREADS,
        RememberingDispatcher,
        SerializedApp,
        install_write_paths,
    )

    moto_transactions.install()
    moto_serializer.install()
    moto_updates.install()
    moto_queries.install()
    install_write_paths()
    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    counted = RequestCounter(RememberingDispatcher(create_backend_app))
    app = mail_route(SerializedApp(counted), region)
    create_server(app, host=host, port=port, threads=THREADS, ident="moto").run()


def from_mail_route(endpoint: str) -> list[dict[str, Any]]:
    """The mail a :class:`MotoProcess` at ``endpoint`` accepted, oldest first."""
    with urllib.request.urlopen(f"{endpoint}{MAIL_PATH}", timeout=30) as response:
        return list(json.load(response))


class MotoProcess:
    """A moto server in a child process (``python -m local.moto_process HOST PORT``)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        """Where AWS clients reach it."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        """Start the child and return once it accepts connections."""
        self._process = subprocess.Popen(
            [sys.executable, "-m", "local.moto_process", self.host, str(self.port)]
        )
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"moto exited with {self._process.returncode}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("moto did not start in time")

    def stop(self) -> None:
        """Stop the child (its state is in memory only, nothing to flush)."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


def _exit_with_parent(parent: int) -> None:
    """End this child when the stack that started it is gone (even if killed)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


if __name__ == "__main__":
    # Ctrl-C reaches the whole process group: the stack stops this child in its turn.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    serve(sys.argv[1], int(sys.argv[2]))
