"""SES feedback through the feedback topic's handler, with real-shaped SNS deliveries."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib.adapters import codec
from tests.functional.conftest import ADMIN, STORE, Stack

EVENTS = Path(__file__).resolve().parents[1] / "events"
RECIPIENTS = {"Bounce": "bouncedRecipients", "Complaint": "complainedRecipients"}


def signup(stack: Stack, cid: str, email: str, **extra: Any) -> None:
    body = {"customer_id": cid, "email": email, "name": "Ana", **extra}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201
    stack.pump()


def messages(stack: Stack, cid: str) -> list[dict[str, Any]]:
    items = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_MESSAGES_TABLE"],
        KeyConditionExpression="customer_id = :c",
        ExpressionAttributeValues={":c": {"S": cid}},
    )["Items"]
    return [codec.from_item(item) for item in items]


def message(stack: Stack, cid: str, template: str) -> dict[str, Any]:
    [found] = [m for m in messages(stack, cid) if m["template"] == template]
    return found


def notify(
    stack: Stack,
    fixture: str,
    cid: str,
    email: str,
    sns_id: str = "sns-1",
    at: datetime | None = None,
) -> Any:
    """Deliver the fixture about ``cid``'s welcome mail to ``email`` as SNS would."""
    event = json.loads((EVENTS / fixture).read_text())
    sns = event["Records"][0]["Sns"]
    body = json.loads(sns["Message"])
    kind = body["notificationType"]
    body["mail"]["messageId"] = message(stack, cid, "welcome")["provider_message_id"]
    body["mail"]["destination"] = [email]
    detail = body[kind.lower()]
    if kind == "Delivery":
        detail["recipients"] = [email]
    else:
        detail[RECIPIENTS[kind]][0]["emailAddress"] = email
    if at is not None:
        detail["timestamp"] = at.isoformat().replace("+00:00", "Z")
    sns["MessageId"] = sns_id
    sns["Message"] = json.dumps(body)
    return stack.client.lambda_.invoke("on_ses_feedback", event).payload


def profile(stack: Stack, cid: str) -> dict[str, Any]:
    return stack.http.get(f"/v1/customers/{cid}", headers=STORE).json_body


def unreachable(stack: Stack, query: str = "") -> Any:
    return stack.http.get(f"/v1/admin/customers?reachable=false{query}", headers=ADMIN)


def order(oid: str, cid: str) -> dict[str, Any]:
    placed = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    line = {"sku": "TEA-1", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 900}
    return {
        "order_id": oid,
        "customer_id": cid,
        "placed_at": placed,
        "currency": "CNY",
        "lines": [line],
        "total": 900,
        "payment_method": "card",
    }


def test_a_permanent_bounce_makes_the_profile_unreachable_and_later_mail_suppressed(
    stack: Stack,
) -> None:
    signup(stack, "c-1", "ana@example.com")
    assert notify(stack, "sns_ses_bounce_permanent.json", "c-1", "ana@example.com") == {
        "outcomes": ["bounced"]
    }
    read = profile(stack, "c-1")
    assert (read["email_status"], read["reachable"]) == ("bounced", False)
    welcome = message(stack, "c-1", "welcome")
    assert (welcome["status"], welcome["feedback"]) == ("sent", "bounced")
    assert welcome["feedback_at"] == "2024-05-01T04:00:01.000Z"
    listed = unreachable(stack).json_body
    assert [p["customer_id"] for p in listed["items"]] == ["c-1"]
    assert listed["items"][0]["email_status"] == "bounced"

    sent_before = len(stack.mails())
    assert stack.http.post("/v1/orders", headers=STORE, body=json.dumps(order("o-1", "c-1")))
    stack.pump()
    confirmation = message(stack, "c-1", "order_confirmation")
    assert (confirmation["status"], confirmation["reason"]) == ("suppressed", "address_bounced")
    assert len(stack.mails()) == sent_before


def test_the_status_change_is_a_profile_version_from_mail_feedback(stack: Stack) -> None:
    signup(stack, "c-1", "ana@example.com")
    notify(stack, "sns_ses_complaint.json", "c-1", "ana@example.com")
    assert profile(stack, "c-1")["email_status"] == "complained"
    timeline = stack.http.get("/v1/admin/customers/c-1/timeline", headers=ADMIN).json_body
    [entry] = [e for e in timeline["items"] if e["entry_key"] == "profile#v00000002"]
    assert entry["changes"] == {
        "source": "mail_feedback",
        "changes": [{"field": "email_status", "old": "ok", "new": "complained"}],
    }


def test_transient_bounces_make_the_address_bounced_only_from_the_third_in_30_days(
    stack: Stack,
) -> None:
    signup(stack, "c-1", "ana@example.com")
    first = datetime(2024, 5, 1, 4, tzinfo=UTC)
    for n, day in enumerate((0, 31, 40)):
        at = first + timedelta(days=day)
        notify(stack, "sns_ses_bounce_transient.json", "c-1", "ana@example.com", f"t-{n}", at)
    assert profile(stack, "c-1")["email_status"] == "ok"  # the first fell out of the window
    assert message(stack, "c-1", "welcome")["feedback"] == "soft_bounced"
    at = first + timedelta(days=45)
    notify(stack, "sns_ses_bounce_transient.json", "c-1", "ana@example.com", "t-3", at)
    assert profile(stack, "c-1")["email_status"] == "bounced"


def test_a_redelivered_notification_changes_nothing_more(stack: Stack) -> None:
    signup(stack, "c-1", "ana@example.com")
    outcomes = [
        notify(stack, "sns_ses_bounce_transient.json", "c-1", "ana@example.com", "same")
        for _ in range(3)
    ]
    assert outcomes == [{"outcomes": ["soft_bounced"]}, *[{"outcomes": ["duplicate"]}] * 2]
    assert profile(stack, "c-1")["email_status"] == "ok"


def test_a_delivery_is_recorded_on_the_message_and_leaves_the_address_alone(
    stack: Stack,
) -> None:
    signup(stack, "c-1", "ana@example.com")
    notify(stack, "sns_ses_delivery.json", "c-1", "ana@example.com")
    assert message(stack, "c-1", "welcome")["feedback"] == "delivered"
    assert profile(stack, "c-1")["email_status"] == "ok"


def test_a_phone_keeps_a_profile_with_a_bounced_address_reachable(stack: Stack) -> None:
    signup(stack, "c-1", "ana@example.com", phone="+8613800138000")
    notify(stack, "sns_ses_bounce_permanent.json", "c-1", "ana@example.com")
    read = profile(stack, "c-1")
    assert (read["email_status"], read["reachable"]) == ("bounced", True)
    assert unreachable(stack).json_body["items"] == []


def test_correcting_the_address_starts_it_deliverable_and_old_feedback_no_longer_applies(
    stack: Stack,
) -> None:
    signup(stack, "c-1", "ana@example.com")
    notify(stack, "sns_ses_bounce_permanent.json", "c-1", "ana@example.com")
    body = json.dumps({"email": "ana.new@example.com"})
    corrected = stack.http.patch("/v1/customers/c-1", headers=STORE, body=body).json_body
    assert (corrected["email_status"], corrected["reachable"]) == ("ok", True)
    assert unreachable(stack).json_body["items"] == []
    notify(stack, "sns_ses_complaint.json", "c-1", "ana@example.com", "late")
    assert profile(stack, "c-1")["email_status"] == "ok"


def test_a_notification_that_is_not_ses_json_is_recorded_failed_not_retried(
    stack: Stack,
) -> None:
    event = json.loads((EVENTS / "sns_ses_delivery.json").read_text())
    event["Records"][0]["Sns"]["Message"] = "hello"
    invoke = stack.client.lambda_.invoke
    assert invoke("on_ses_feedback", event).payload == {"outcomes": ["failed"]}
    assert invoke("on_ses_feedback", event).payload == {"outcomes": ["duplicate"]}
    marker = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_SETTINGS_TABLE"],
        Key={"setting_id": {"S": "mail-feedback#e1d2c3b4-a596-5877-8c9d-0a1b2c3d4e5f"}},
    )["Item"]
    assert codec.from_item(marker)["reason"] == "unreadable:Message"


def test_feedback_about_mail_rapport_did_not_send_changes_nothing(stack: Stack) -> None:
    event = json.loads((EVENTS / "sns_ses_bounce_permanent.json").read_text())
    payload = stack.client.lambda_.invoke("on_ses_feedback", event).payload
    assert payload == {"outcomes": ["unknown_message"]}


def test_the_handler_logs_no_address(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    signup(stack, "c-1", "ana.private@example.com")
    caplog.clear()
    notify(stack, "sns_ses_bounce_permanent.json", "c-1", "ana.private@example.com")
    [record] = [r for r in caplog.records if r.getMessage() == "mail feedback"]
    assert (record.outcome, record.status_changes) == ("bounced", 1)  # type: ignore[attr-defined]
    assert all("ana.private" not in str(r.__dict__) for r in caplog.records)


def test_the_unreachable_list_is_paginated_with_an_opaque_cursor(stack: Stack) -> None:
    for n in range(3):
        signup(stack, f"c-{n}", f"p{n}@example.com")
        notify(stack, "sns_ses_bounce_permanent.json", f"c-{n}", f"p{n}@example.com", f"s-{n}")
    signup(stack, "c-9", "fine@example.com")
    first = unreachable(stack, "&limit=2").json_body
    assert [p["customer_id"] for p in first["items"]] == ["c-0", "c-1"]
    rest = unreachable(stack, f"&limit=2&cursor={first['next_cursor']}").json_body
    assert [p["customer_id"] for p in rest["items"]] == ["c-2"]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/v1/admin/customers?reachable=true", "reachable"),
        ("/v1/admin/customers?reachable=false&email=a@b.co", "reachable"),
        ("/v1/admin/customers?reachable=false&cursor=bm9wZQ", "cursor"),
        ("/v1/admin/customers?reachable=false&limit=0", "limit"),
    ],
)
def test_the_unreachable_list_refuses_what_it_cannot_list(
    stack: Stack, query: str, field: str
) -> None:
    response = stack.http.get(query, headers=ADMIN)
    assert response.status_code == 400
    assert response.json_body["error"]["field"] == field


def test_the_unreachable_list_needs_the_admin_key(stack: Stack) -> None:
    response = stack.http.get("/v1/admin/customers?reachable=false", headers=STORE)
    assert response.status_code in (401, 403)
