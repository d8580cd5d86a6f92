"""The support inbox through the local stack over HTTP: question, auto-reply, answer, figures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for

pytestmark = pytest.mark.e2e


def mail_of(stack: RunningStack, template: str, timeout: float = 30.0) -> dict[str, Any]:
    mails = wait_for(lambda: stack.mails_of(template), timeout)
    assert mails, f"no {template} mail in the viewer"
    mail: dict[str, Any] = mails[0]
    return mail


def test_a_question_gets_a_promise_at_once_and_a_measured_answer(local_stack: RunningStack) -> None:
    s = local_stack
    signup = {"customer_id": "e-sup", "email": "esup@example.com", "name": "Lan",
              "locale": "zh-CN", "time_zone": "Asia/Shanghai"}  # fmt: skip
    assert s.request("POST", "/v1/signups", signup).status == 201
    question = {
        "message_id": "e-m-1",
        "customer_id": "e-sup",
        "subject": "茶叶什么时候发货？",
        "body": "我上周下的单，请问什么时候发货？",
        "channel": "web",
        "received_at": "2026-11-27T19:30:00+08:00",  # a Friday evening
    }
    taken = s.request("POST", "/v1/support-messages", question)
    assert taken.status == 201, taken.body
    assert taken.body["expected_answer_by"] == "2026-11-30T10:00+08:00"
    ticket_id = taken.body["ticket_id"]

    auto = mail_of(s, "support_auto_reply")
    assert auto["subject"] == "我们已收到您的留言：茶叶什么时候发货？"
    assert "亲爱的 Lan：" in auto["text"]
    assert "并在周一 10:00 前（按您当地时间）给您答复。" in auto["text"]

    queue = s.request("GET", "/v1/admin/support-messages?status=overdue", key=ADMIN_KEY)
    assert [item["ticket_id"] for item in queue.body["items"]] == [ticket_id]
    reply = {"reply_id": "e-r-1", "body": "您的茶叶今天已经发出。", "close": True}
    path = f"/v1/admin/support-messages/{ticket_id}/replies"
    answered = s.request("POST", path, reply, key=ADMIN_KEY)
    assert (answered.status, answered.body["status"]) == (201, "closed"), answered.body
    letter = mail_of(s, "support_reply")
    assert letter["subject"] == "回复：茶叶什么时候发货？"
    assert "您的茶叶今天已经发出。" in letter["text"]
    assert "> 我上周下的单，请问什么时候发货？" in letter["text"]

    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()
    figures = s.request(
        "GET", f"/v1/admin/support-metrics?from=2026-11-27&to={today}", key=ADMIN_KEY
    ).body
    assert (figures["opened"], figures["answered"], figures["on_time_share"]) == (1, 1, 0.0)
    assert figures["first_reply_median_minutes"] > 0
    assert (
        s.request("GET", "/v1/admin/support-messages?status=closed", key=ADMIN_KEY).body["items"][
            0
        ]["ticket_id"]
        == ticket_id
    )
