"""The local stack over real HTTP: signup → profile → stream → outbox → SES → mail viewer."""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest

from tests.e2e.conftest import RunningStack, start_stack, stop_stack

pytestmark = pytest.mark.e2e

VIEWER_KEYS = {"id", "from", "to", "subject", "text", "html", "headers", "sent_at"}


def test_health_and_gateway_errors_in_the_api_shape(local_stack: RunningStack) -> None:
    assert local_stack.request("GET", "/v1/health", key=None).body == {"status": "ok"}
    missing = local_stack.request("POST", "/v1/signups", {"customer_id": "x"}, key=None)
    assert missing.status == 401 and missing.body["error"]["code"] == "unauthorized"
    wrong = local_stack.request("POST", "/v1/signups", {"customer_id": "x"}, key="dev-store-key")
    assert wrong.status == 403 and wrong.body["error"]["field"] == "Authorization"


def test_signup_becomes_a_welcome_letter_in_the_viewer(local_stack: RunningStack) -> None:
    before = len(local_stack.mails())
    created = local_stack.request(
        "POST",
        "/v1/signups",
        {
            "customer_id": "e2e-1",
            "email": "Wang.Fang@Example.com",
            "name": "王芳",
            "locale": "zh-CN",
        },
    )
    assert created.status == 201
    assert created.headers.get("X-Correlation-Id")
    replay = local_stack.request(
        "POST",
        "/v1/signups",
        {
            "customer_id": "e2e-1",
            "email": "wang.fang@example.com",
            "name": "王芳",
            "locale": "zh-CN",
        },
    )
    assert replay.status == 200
    mails = local_stack.wait_for_mails(before + 1)
    mail = mails[-1]
    assert set(mail) == VIEWER_KEYS
    assert mail["to"] == ["王芳 <wang.fang@example.com>"]
    assert "欢迎" in mail["subject"] and "亲爱的王芳" in mail["text"] and "<html" in mail["html"]
    assert mail["headers"]["Reply-To"] == "support@shop.example"
    time.sleep(1.0)  # a replay never sends a second letter
    assert len(local_stack.mails()) == before + 1


def test_faults_still_give_exactly_one_letter_per_address() -> None:
    stack = start_stack(
        {
            "RAPPORT_FAULTS": "duplicate=0.5,ses_error=0.3,ddb_throttle=0.1",
            "RAPPORT_FAULT_SEED": "42",
        }
    )
    try:
        for n in range(100):
            body = {"customer_id": f"f-{n}", "email": f"fault{n}@example.com"}
            for _ in range(30):  # the store retries 503 (throttled) answers
                response = stack.request("POST", "/v1/signups", body)
                if response.status != 503:
                    break
            assert response.status in (200, 201)
        mails = stack.wait_for_mails(100, timeout=180)
        time.sleep(2.0)  # late duplicates would show up now
        recipients = Counter(mail["to"][0] for mail in stack.mails())
        assert len(mails) >= 100
        assert recipients == Counter({f"fault{n}@example.com": 1 for n in range(100)})
    finally:
        assert stop_stack(stack) == 0


def test_ctrl_c_stops_everything_cleanly() -> None:
    stack = start_stack()
    assert stop_stack(stack) == 0
    output = stack.output()
    assert "Stopped." in output and "Traceback" not in output


def test_the_console_shows_json_log_lines_and_the_viewer_a_page_per_mail(
    local_stack: RunningStack,
) -> None:
    created = local_stack.request(
        "POST",
        "/v1/signups",
        {"customer_id": "e2e-log", "email": "log.line@example.com", "name": "Lan"},
        headers={"X-Correlation-Id": "e2e-correlation-7"},
    )
    assert created.status == 201
    deadline = time.monotonic() + 60
    ours_mail = []
    while not ours_mail and time.monotonic() < deadline:
        ours_mail = [m for m in local_stack.mails() if "log.line@example.com" in m["to"][0]]
        time.sleep(0.1)
    assert ours_mail, "the welcome letter never reached the viewer"
    mail = ours_mail[0]
    assert mail["sent_at"] and mail["sent_at"].endswith("+00:00")
    assert (
        local_stack.request(
            "GET", f"/api/messages/{mail['id']}", key=None, base=local_stack.mail
        ).body
        == mail
    )
    page = local_stack.request("GET", f"/messages/{mail['id']}", key=None, base=local_stack.mail)
    assert page.status == 200 and mail["subject"] in page.body
    lines = [json.loads(line) for line in local_stack.output().splitlines() if line.startswith("{")]
    ours = [line for line in lines if line.get("correlation_id") == "e2e-correlation-7"]
    assert ours, "no JSON log line carries the request's correlation id"
    assert "log.line@example.com" not in local_stack.output()
