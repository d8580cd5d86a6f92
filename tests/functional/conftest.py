"""Functional fixtures: moto in-process, resources from ``infra/``, the real app."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from chalicelib import bootstrap
from infra.provision import create_all

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ["AWS_ACCOUNT_ID_ENDPOINT_MODE"] = "disabled"
os.environ.pop("AWS_ENDPOINT_URL", None)

STORE = {"Authorization": "Bearer dev-store-key", "Content-Type": "application/json"}
ADMIN = {"Authorization": "Bearer dev-admin-key", "Content-Type": "application/json"}


class Stack:
    """The app wired to moto, with a synchronous stream pump."""

    def __init__(self, session: Any, env: dict[str, str]) -> None:
        from chalice.test import Client

        import app as app_module
        from local.pump import drain, pumps_for_app

        self.session = session
        self.env = env
        self.app = app_module.app
        self.client = Client(self.app)
        self.http = self.client.http
        self._pumps = pumps_for_app(self.app, session, env)
        self._drain = drain

    def pump(self) -> int:
        """Deliver every pending stream record (cascading) to the handlers."""
        return self._drain(self._pumps)

    @property
    def pumps(self) -> list[Any]:
        """The stream pumps (for their stats)."""
        return self._pumps

    def mails(self) -> list[dict[str, Any]]:
        """Mail SES accepted, in the viewer's shape."""
        from local.mailbox import from_moto_backend

        return from_moto_backend()

    def dynamodb(self) -> Any:
        """A DynamoDB client on the same moto."""
        return self.session.client("dynamodb")


@pytest.fixture()
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    """A fresh moto world per test."""
    monkeypatch.setenv("RAPPORT_LOCAL", "1")
    monkeypatch.setenv("RAPPORT_PUBLIC_BASE_URL", "http://rapport.test")
    monkeypatch.delenv("RAPPORT_FAULTS", raising=False)
    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        env = create_all(session)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        bootstrap.reset(bootstrap.Container(session=session))
        yield Stack(session, env)
        bootstrap.reset(None)
