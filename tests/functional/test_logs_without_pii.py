"""No email, name or phone in any log line of the signup path (API, streams, mailer)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from chalicelib.observability import logger
from tests.functional.conftest import STORE, Stack

EMAIL = "zhang.wei.private@example.com"
NAME = "张伟Secretname"
PHONE = "+8613912345678"


@pytest.fixture()
def log_lines() -> Iterator[io.StringIO]:
    """Everything the app's Powertools logger writes, as the Lambda would print it."""
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_signup_path_logs_ids_but_no_personal_data(stack: Stack, log_lines: io.StringIO) -> None:
    body = {"customer_id": "c-logs", "email": EMAIL, "name": NAME, "phone": PHONE}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201
    # a rejected request logs nothing personal either
    stack.http.post("/v1/signups", headers=STORE, body=json.dumps({**body, "customer_id": "c-x"}))
    stack.http.patch("/v1/customers/c-logs", headers=STORE, body=json.dumps({"name": NAME + "2"}))
    stack.pump()
    assert len(stack.mails()) == 1
    logs = log_lines.getvalue()
    lines = [line for line in logs.splitlines() if line.startswith("{")]
    assert any('"customer signed up"' in line and "c-logs" in line for line in lines)
    assert any('"mail outcome"' in line for line in lines)
    for secret in (EMAIL, "zhang.wei.private", NAME, "Secretname", PHONE, "13912345678"):
        assert secret not in logs
    # and every structured line carries a correlation id
    structured = [json.loads(line) for line in lines]
    assert all(
        entry.get("correlation_id") for entry in structured if entry.get("service") == "rapport"
    )
