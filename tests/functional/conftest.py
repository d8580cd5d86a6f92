"""Functional fixtures: moto in-process, resources from ``infra/``, the real app."""

from __future__ import annotations

import importlib.abc
import json
import os
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest
from chalice.local import LocalGatewayException
from chalice.test import HTTPResponse, TestHTTPClient
from moto import mock_aws

from chalicelib import bootstrap
from chalicelib.domain.times import iso
from infra.provision import create_all
from local import moto_queries, moto_transactions, moto_updates
from local.gateway import gateway_error, refuse_keys_as_api_gateway
from local.moto_server import install_write_paths

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ["AWS_ACCOUNT_ID_ENDPOINT_MODE"] = "disabled"
os.environ.pop("AWS_ENDPOINT_URL", None)

SCIENCE = ("numpy", "scipy")


class WithoutScience(importlib.abc.MetaPathFinder):
    """Refuses numpy and scipy, as on a Lambda function without the science layer."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] in SCIENCE:
            raise ModuleNotFoundError(f"No module named {name!r} (no science layer)", name=name)
        return None


if os.environ.get("RAPPORT_WITHOUT_SCIENCE"):
    # tests/functional/test_functions_without_numpy.py runs some of these tests this way.
    loaded = [name for name in sys.modules if name.partition(".")[0] in SCIENCE]
    assert not loaded, f"imported before the block: {loaded}"
    sys.meta_path.insert(0, WithoutScience())

STORE = {"Authorization": "Bearer dev-store-key", "Content-Type": "application/json"}
ADMIN = {"Authorization": "Bearer dev-admin-key", "Content-Type": "application/json"}


class GatewayHTTPClient(TestHTTPClient):
    """Chalice's test HTTP client, answering for API Gateway as it does on AWS.

    Where API Gateway answers by itself (no key, a refused key, no such path), the
    answer comes from its gateway responses in ``infra/`` (through ``local/gateway.py``,
    as in the local stack), instead of ``chalice.local``'s own bodies; a key an
    authorizer refuses is a 401, as on AWS.
    """

    def __init__(self, app: Any, config: Any) -> None:
        super().__init__(app, config)
        refuse_keys_as_api_gateway(self._local_gateway, app)

    def _error_response(self, e: LocalGatewayException) -> HTTPResponse:
        status, headers, body = gateway_error(e)
        return HTTPResponse(headers=headers, body=body, status_code=status)


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
        self.http = GatewayHTTPClient(self.app, self.client._chalice_config)
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

    def mails_of(self, template: str) -> list[dict[str, Any]]:
        """The mail SES accepted whose ``X-Rapport-Message`` names ``template``."""
        mails = self.mails()
        return [mail for mail in mails if mail["headers"].get("X-Rapport-Message") == template]

    def dynamodb(self) -> Any:
        """A DynamoDB client on the same moto."""
        return self.session.client("dynamodb")


def run_job(stack: Stack, name: str, body: str = "") -> dict[str, Any]:
    """Request a run of job ``name`` and return its result (runs execute at once here)."""
    queued = stack.http.post(f"/v1/admin/jobs/{name}", headers=ADMIN, body=body)
    assert queued.status_code == 202, queued.body
    assert queued.headers["Location"] == queued.json_body["url"]
    run = stack.http.get(queued.json_body["url"], headers=ADMIN)
    assert run.status_code == 200, run.body
    assert run.json_body["status"] == "succeeded", run.json_body
    result: dict[str, Any] = run.json_body["result"]
    return result


def under_faults(stack: Stack, monkeypatch: pytest.MonkeyPatch, faults: str, seed: str) -> Any:
    """Rebuild the app's adapters with ``RAPPORT_FAULTS=faults`` (seeded), and return
    stream pumps that deliver half the batches twice and retry failed ones quickly."""
    from chalicelib.adapters.faults import parse_faults
    from local.pump import pumps_for_app

    monkeypatch.setenv("RAPPORT_FAULTS", faults)
    monkeypatch.setenv("RAPPORT_FAULT_SEED", seed)
    bootstrap.reset(bootstrap.Container(session=stack.session))
    duplicates = parse_faults("duplicate=0.5", seed)
    return pumps_for_app(stack.app, stack.session, stack.env, duplicates, max_retry_delay=0.05)


def mail_at_any_hour(stack: Stack, **settings: Any) -> None:
    """Turn the store's quiet hours off (saving any other ``settings`` with them), so the
    tests' mail goes out at once whatever the hour."""
    body = json.dumps({"quiet_hours_start": 0, "quiet_hours_end": 0, **settings})
    answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=body)
    assert answer.status_code == 200, answer.body


@pytest.fixture()
def stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stack]:
    """A fresh moto world per test."""
    monkeypatch.setenv("RAPPORT_LOCAL", "1")
    monkeypatch.setenv("RAPPORT_PUBLIC_BASE_URL", "http://rapport.test")
    monkeypatch.delenv("RAPPORT_FAULTS", raising=False)
    moto_transactions.install()
    moto_updates.install()
    moto_queries.install()  # the local stack's faster moto, each patch checked against moto
    install_write_paths()
    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        env = create_all(session)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        bootstrap.reset(bootstrap.Container(session=session))
        yield Stack(session, env)
        bootstrap.reset(None)


def sent_days_ago(stack: Stack, customer_id: str, days: int) -> None:
    """Move the customer's sent mail back in time, as if the days between runs passed."""
    client, table = stack.dynamodb(), stack.env["RAPPORT_MESSAGES_TABLE"]
    items = client.query(
        TableName=table,
        KeyConditionExpression="customer_id = :c",
        ExpressionAttributeValues={":c": {"S": customer_id}},
    )["Items"]
    for item in items:
        if "sent_at" not in item:
            continue
        sent = datetime.fromisoformat(item["sent_at"]["S"].replace("Z", "+00:00"))
        client.update_item(
            TableName=table,
            Key={"customer_id": item["customer_id"], "message_key": item["message_key"]},
            UpdateExpression="SET sent_at = :s",
            ExpressionAttributeValues={":s": {"S": iso(sent - timedelta(days=days))}},
        )
