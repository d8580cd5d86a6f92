"""The support inbox through the API: question, automatic reply, answer, figures, 360."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest

from chalicelib.domain.business_hours import business_minutes_between
from chalicelib.domain.settings import StoreSettings
from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.shipment_fixtures import put_order, sign_up

FRIDAY_EVENING = "2026-11-27T19:30:00+08:00"
"""A Friday evening in Shanghai (support's default time zone and hours, 9 to 18 on weekdays)."""
MONDAY_MORNING = "2026-11-30T10:00+08:00"


def ask(stack: Stack, **changes: Any) -> Any:
    body = {
        "message_id": "m-1",
        "customer_id": "c-1",
        "subject": "Where is my tea?",
        "body": "I ordered last week.\nWhen does it ship?",
        "channel": "web",
        "received_at": FRIDAY_EVENING,
        **changes,
    }
    body = {key: value for key, value in body.items() if value is not None}
    return stack.http.post("/v1/support-messages", headers=STORE, body=json.dumps(body))


def answer(stack: Stack, ticket_id: str, **changes: Any) -> Any:
    body = {"reply_id": "re-1", "body": "It left this morning.", "close": False, **changes}
    path = f"/v1/admin/support-messages/{ticket_id}/replies"
    return stack.http.post(path, headers=ADMIN, body=json.dumps(body))


def mails(stack: Stack, template: str) -> list[dict[str, Any]]:
    stack.pump()
    return stack.mails_of(template)


def listed(stack: Stack, status: str, query: str = "") -> dict[str, Any]:
    response = stack.http.get(f"/v1/admin/support-messages?status={status}{query}", headers=ADMIN)
    assert response.status_code == 200, response.body
    body: dict[str, Any] = response.json_body
    return body


@pytest.fixture()
def customer(stack: Stack) -> Stack:
    sign_up(stack, "c-1")
    stack.pump()
    return stack


def test_friday_evening_question_is_promised_for_monday_and_answered_at_once(
    customer: Stack,
) -> None:
    stack = customer
    put_order(stack, "o-1", "c-1", [{"sku": "TEA", "name": "Tea", "category": "tea",
                                     "quantity": 1, "unit_price": 100}])  # fmt: skip
    created = ask(stack, order_id="o-1")
    assert created.status_code == 201, created.body
    ticket = created.json_body
    assert ticket["status"] == "open"
    assert ticket["expected_answer_by"] == MONDAY_MORNING
    assert ticket["ticket_id"].startswith("t-")
    replies = mails(stack, "support_auto_reply")
    assert len(replies) == 1
    mail = replies[0]
    assert mail["to"] == ["Ana <c-1@example.com>"] or mail["to"] == ["c-1@example.com"]
    assert mail["subject"] == "We have your message: Where is my tea?"
    assert "Dear Ana," in mail["text"]
    assert '"Where is my tea?" (about your order o-1)' in mail["text"]
    assert "answer you by Monday 10:00 (your local time)." in mail["text"]
    # A replay answers 200 and sends nothing more; other words under the same id are a 409.
    again = ask(stack, order_id="o-1")
    assert (again.status_code, again.json_body) == (200, ticket)
    assert ask(stack, body="Something else").json_body["error"]["field"] == "message_id"
    assert len(mails(stack, "support_auto_reply")) == 1


def test_the_promise_carries_the_customers_offset_and_words(stack: Stack) -> None:
    sign_up(stack, "c-2", time_zone="Europe/Berlin")
    sign_up(stack, "c-3", locale="zh-CN")
    assert ask(stack, customer_id="c-2").json_body["expected_answer_by"] == "2026-11-30T03:00+01:00"
    assert (
        ask(stack, message_id="m-2", customer_id="c-3", subject="我的茶叶到哪儿了？").status_code
        == 201
    )
    texts = {mail["subject"]: mail["text"] for mail in mails(stack, "support_auto_reply")}
    assert "by Monday 03:00" in texts["We have your message: Where is my tea?"]
    chinese = texts["我们已收到您的留言：我的茶叶到哪儿了？"]
    assert "亲爱的 Mei：" in chinese or "亲爱的Mei：" in chinese
    assert "并在周一 10:00 前（按您当地时间）给您答复。" in chinese


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"subject": ""}, 400, "subject"),
        ({"body": " "}, 400, "body"),
        ({"body": "x" * 20_001}, 400, "body"),
        ({"channel": "fax"}, 400, "channel"),
        ({"order_id": "o-none"}, 400, "order_id"),
        ({"order_id": "o-other"}, 400, "order_id"),
        ({"customer_id": "c-nobody"}, 422, "customer_id"),
        ({"ticket_id": "t-none"}, 404, "ticket_id"),
    ],
)
def test_bad_questions_are_refused_naming_the_field(
    customer: Stack, changes: dict[str, Any], status: int, field: str
) -> None:
    sign_up(customer, "c-other")
    put_order(customer, "o-other", "c-other", [{"sku": "TEA", "name": "Tea", "category": "tea",
                                                "quantity": 1, "unit_price": 100}])  # fmt: skip
    response = ask(customer, **changes)
    assert response.status_code == status, response.body
    assert response.json_body["error"]["field"] == field


def test_the_backlog_moves_the_promise(customer: Stack) -> None:
    stack = customer
    always = {day: ["00:00-24:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    settings = {"support_week": always, "support_answers_per_hour": 1, "first_answer_minutes": 60}
    saved = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=json.dumps(settings))
    assert saved.status_code == 200, saved.body
    promises = [
        ask(stack, message_id=f"m-{n}", received_at="2026-11-27T10:00:00Z").json_body[
            "expected_answer_by"
        ]
        for n in range(4)
    ]
    # 0 and 1 ahead: the 60-minute floor; 2 and 3 ahead at one answer an hour: 2 and 3 hours.
    assert promises == [
        "2026-11-27T19:00+08:00",
        "2026-11-27T19:00+08:00",
        "2026-11-27T20:00+08:00",
        "2026-11-27T21:00+08:00",
    ]


def test_answering_follow_ups_figures_and_the_customer_360(customer: Stack) -> None:
    stack = customer
    ticket_id = ask(stack).json_body["ticket_id"]
    later = ask(stack, message_id="m-later", subject="Another one", received_at=None)
    assert later.status_code == 201
    # Oldest first, one page at a time; the Friday ticket is already past its promise.
    first = listed(stack, "open", "&limit=1")
    assert [item["ticket_id"] for item in first["items"]] == [ticket_id]
    rest = listed(stack, "open", f"&limit=1&cursor={quote(first['next_cursor'])}")
    assert [item["subject"] for item in rest["items"]] == ["Another one"]
    assert [item["ticket_id"] for item in listed(stack, "overdue")["items"]] == [ticket_id]

    detail = stack.http.get(f"/v1/admin/support-messages/{ticket_id}", headers=ADMIN).json_body
    assert [entry["body"] for entry in detail["thread"]] == [
        "I ordered last week.\nWhen does it ship?"
    ]
    assert detail["customer"]["tier"] == 1 and detail["customer"]["loyalty"] == "occasional"

    before = datetime.now(UTC)
    replied = answer(stack, ticket_id)
    after = datetime.now(UTC)
    assert replied.status_code == 201, replied.body
    assert replied.json_body["status"] == "answered"
    assert replied.json_body["answered_by"] == "bootstrap"
    assert answer(stack, ticket_id).status_code == 200
    assert answer(stack, ticket_id, body="Other words").json_body["error"]["field"] == "reply_id"
    letters = mails(stack, "support_reply")
    assert len(letters) == 1
    assert letters[0]["subject"] == "Re: Where is my tea?"
    assert "It left this morning." in letters[0]["text"]
    assert "> I ordered last week.\n> When does it ship?" in letters[0]["text"]
    assert listed(stack, "overdue")["items"] == []
    assert [item["ticket_id"] for item in listed(stack, "answered")["items"]] == [ticket_id]

    # A follow-up reopens the ticket without a second automatic reply.
    follow = ask(stack, message_id="m-follow", ticket_id=ticket_id, body="Thanks! And the cup?")
    assert (follow.status_code, follow.json_body["status"]) == (201, "open")
    assert len(mails(stack, "support_auto_reply")) == 2  # the two tickets, not the follow-up
    closed = answer(stack, ticket_id, reply_id="re-2", body="The cup too.", close=True)
    assert closed.json_body["status"] == "closed"
    assert "> Thanks! And the cup?" in mails(stack, "support_reply")[-1]["text"]

    hours = StoreSettings().business_hours()
    opened = datetime.fromisoformat(FRIDAY_EVENING)
    today = hours.local_day(after).isoformat()
    figures = stack.http.get(
        f"/v1/admin/support-metrics?from=2026-11-27&to={today}", headers=ADMIN
    ).json_body
    assert figures["opened"] == 2 and figures["answered"] == 1  # the first reply counts once
    low, high = (business_minutes_between(hours, opened, t) for t in (before, after))
    assert low <= figures["first_reply_median_minutes"] <= high
    assert figures["first_reply_p90_minutes"] == figures["first_reply_median_minutes"]
    assert figures["on_time_share"] == (1.0 if after.isoformat() <= "2026-11-30T02:00" else 0.0)

    profile = stack.http.get("/v1/admin/customers/c-1", headers=ADMIN).json_body
    assert {item["ticket_id"]: item["status"] for item in profile["support_tickets"]}[
        ticket_id
    ] == "closed"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=pending", "status"),
        ("status=open&limit=0", "limit"),
        ("status=open&cursor=x", "cursor"),
    ],
)
def test_bad_list_queries_name_the_field(stack: Stack, query: str, field: str) -> None:
    response = stack.http.get(f"/v1/admin/support-messages?{query}", headers=ADMIN)
    assert (response.status_code, response.json_body["error"]["field"]) == (400, field)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-12-01", "to"),
        ("from=2026-12-02&to=2026-12-01", "to"),
        ("from=x&to=2026-12-01", "from"),
    ],
)
def test_bad_metric_ranges_name_the_field(stack: Stack, query: str, field: str) -> None:
    response = stack.http.get(f"/v1/admin/support-metrics?{query}", headers=ADMIN)
    assert (response.status_code, response.json_body["error"]["field"]) == (400, field)


def test_unknown_tickets_and_bad_replies(customer: Stack) -> None:
    assert answer(customer, "t-none").status_code == 404
    assert customer.http.get("/v1/admin/support-messages/t-none", headers=ADMIN).status_code == 404
    ticket_id = ask(customer).json_body["ticket_id"]
    response = answer(customer, ticket_id, close="yes")
    assert (response.status_code, response.json_body["error"]["field"]) == (400, "close")
    assert (
        customer.http.post(
            "/v1/support-messages",
            headers=ADMIN,  # the admin key is no store key
            body="{}",
        ).status_code
        == 403
    )
