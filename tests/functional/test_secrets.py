"""Secrets come from Secrets Manager at run time: the app signs with the stored value."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError

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


def _secrets_time_out(**_: Any) -> None:
    raise ReadTimeoutError(endpoint_url="https://secretsmanager.us-east-1.amazonaws.com")


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.body
    assert response.json_body["error"]["code"] == "unavailable"
    assert response.headers["Retry-After"] == "5"


def test_a_secrets_manager_timeout_is_503_with_retry_after_on_every_route_that_reads_one(
    stack: Stack,
) -> None:
    later = datetime.now(UTC) + timedelta(days=1)
    dev = HmacLinkSigner(LOCAL_SECRET_VALUES[SIGNING_SECRET.logical_id].encode())
    client = bootstrap.container().client("secretsmanager")
    client.meta.events.register("before-send.secrets-manager", _secrets_time_out)
    raw = json.dumps({"events": fixture("carrier_events_fedex_journey.json")["events"][:1]})
    carrier = LOCAL_SECRET_VALUES[CARRIER_SECRET.logical_id].encode()
    headers = {
        "Content-Type": "application/json",
        "X-Rapport-Signature": signature(raw.encode(), carrier),
    }
    json_only = {"Accept": "application/json"}
    try:
        token = dev.sign("preferences", "c-1", later)
        _assert_unavailable(stack.http.get(f"/v1/preferences?t={token}", headers=json_only))
        track = dev.sign("track", "794699999999", later)
        _assert_unavailable(stack.http.get(f"/v1/track/794699999999?t={track}", headers=json_only))
        _assert_unavailable(stack.http.post("/v1/carrier-events", headers=headers, body=raw))
    finally:
        client.meta.events.unregister("before-send.secrets-manager", _secrets_time_out)
    assert stack.http.post("/v1/carrier-events", headers=headers, body=raw).status_code == 200


def test_a_welcome_letter_whose_secret_read_timed_out_is_released_and_sent_on_retry(
    stack: Stack,
) -> None:
    body = {"customer_id": "c-1", "email": "ana@example.com", "name": "Ana", "locale": "en"}
    sends: list[int] = []

    def slow_for_one_attempt(**_: Any) -> None:
        sends.append(1)
        if len(sends) <= 4:  # the first try and the SDK's 3 retries, in the first attempt
            _secrets_time_out()

    response = stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body))
    assert response.status_code == 201  # the signup reads the secret too (suppressions)
    bootstrap.container().secrets.clear_cache()  # the mailer's read is the first again
    client = bootstrap.container().client("secretsmanager")
    client.meta.events.register("before-send.secrets-manager", slow_for_one_attempt)
    try:
        stack.pump()
    finally:
        client.meta.events.unregister("before-send.secrets-manager", slow_for_one_attempt)
    (message,) = bootstrap.container().outbox.for_customer("c-1")[0]
    assert (message["status"], message["attempts"]) == ("sent", 2), message
    assert message["last_error"] == "ReadTimeoutError"
    (mail,) = stack.mails()
    assert "/v1/preferences?t=" in mail["text"]
