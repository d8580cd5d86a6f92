"""Secrets come from Secrets Manager at run time: the app signs with the stored value."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.signer import HmacLinkSigner
from chalicelib.config import ConfigurationError
from infra.provision import LOCAL_SECRET_VALUES
from infra.resources import CARRIER_SECRET, SIGNING_SECRET
from tests.functional.conftest import STORE, Stack
from tests.functional.shipment_fixtures import fixture, signature

SIGNING_VALUE = "signing-value-only-in-secrets-manager"
CARRIER_VALUE = "carrier-value-only-in-secrets-manager"


def store_secret(stack: Stack, variable: str, value: str) -> None:
    client = stack.session.client("secretsmanager")
    client.put_secret_value(SecretId=stack.env[variable], SecretString=value)


def test_links_are_signed_with_the_value_stored_in_secrets_manager(stack: Stack) -> None:
    store_secret(stack, SIGNING_SECRET.env, SIGNING_VALUE)
    body = {"customer_id": "c-1", "email": "ana@example.com", "name": "Ana", "locale": "en"}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201
    stack.pump()
    (mail,) = stack.mails()
    token = re.search(r"/v1/preferences\?t=([\w.-]+)", mail["text"]).group(1)  # type: ignore[union-attr]
    now = datetime.now(UTC)
    assert HmacLinkSigner(SIGNING_VALUE.encode()).verify("preferences", token, now) == "c-1"
    dev = LOCAL_SECRET_VALUES[SIGNING_SECRET.logical_id].encode()
    assert HmacLinkSigner(dev).verify("preferences", token, now) is None
    page = stack.http.get(f"/v1/preferences?t={token}", headers={"Accept": "application/json"})
    assert page.status_code == 200, page.body


def test_carrier_webhooks_are_checked_against_the_stored_carrier_secret(stack: Stack) -> None:
    store_secret(stack, CARRIER_SECRET.env, CARRIER_VALUE)
    raw = json.dumps({"events": fixture("carrier_events_fedex_journey.json")["events"][:1]})
    dev = LOCAL_SECRET_VALUES[CARRIER_SECRET.logical_id].encode()
    for secret, status in ((dev, 401), (CARRIER_VALUE.encode(), 200)):
        headers = {
            "Content-Type": "application/json",
            "X-Rapport-Signature": signature(raw.encode(), secret),
        }
        response = stack.http.post("/v1/carrier-events", headers=headers, body=raw)
        assert response.status_code == status, response.body


def test_the_secret_value_is_nowhere_in_the_environment(stack: Stack) -> None:
    values = set(LOCAL_SECRET_VALUES.values())
    assert not [name for name, value in os.environ.items() if value in values]
    assert stack.env[SIGNING_SECRET.env].startswith("arn:aws:secretsmanager:")


def test_a_function_without_the_secret_arn_fails_loudly_on_use(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SIGNING_SECRET.env)
    bootstrap.reset(bootstrap.Container(session=stack.session))
    with pytest.raises(ConfigurationError, match=SIGNING_SECRET.env):
        bootstrap.container().signer.sign("preferences", "c-1", datetime.now(UTC))
