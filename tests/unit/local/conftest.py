"""Fixtures for the local stack's servers: a free port and moto's environment."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture()
def free_port() -> int:
    """A TCP port on the loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def moto_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials, region and endpoint mode for boto3 clients talking to a local moto
    (in-process or a server), and no ``AWS_ENDPOINT_URL`` from the shell."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    }.items():
        monkeypatch.setenv(name, value)
