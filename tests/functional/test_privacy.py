"""Export and erasure of one customer: the admin routes, the suppression list, streams."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.shipment_fixtures import LINES, fixture, post_events, register

JOURNEY = fixture("carrier_events_fedex_journey.json")
EMAIL = "Quintessa.V@Example.com"
NAME = "Quintessa Vandermeer"
PHONE = "+8613800138000"
COMMENT = "Quintessa loved the parcel"
PERSONAL = ("quintessa", "Quintessa", "Vandermeer", PHONE, "13800138000")
QUESTION = "Can the parcel wait at the neighbour's?"
ANSWER = "Yes, we asked the carrier to leave it next door."
SUPPORT = "/v1/support-messages"


def _signup(stack: Stack, customer_id: str, email: str = EMAIL) -> Any:
    body = {
        "customer_id": customer_id,
        "email": email,
        "name": NAME,
        "phone": PHONE,
        "birthday": "1990-05-17",
        "locale": "en",
        "time_zone": "Asia/Shanghai",
        "consents": {"surveys": True, "marketing": True},
    }
    return stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body))


def _order(stack: Stack, order_id: str, customer_id: str) -> Any:
    body = {
        "order_id": order_id,
        "customer_id": customer_id,
        "placed_at": "2026-11-20T10:00:00+08:00",
        "currency": "CNY",
        "lines": LINES,
        "total": sum(line["unit_price"] * line["quantity"] for line in LINES),
        "payment_method": "card",
    }
    return stack.http.post("/v1/orders", headers=STORE, body=json.dumps(body))


def _customer_with_history(stack: Stack) -> None:
    """A customer with a corrected profile, a paid order, a parcel, a survey and a return."""
    assert _signup(stack, "c-priv").status_code == 201
    patch = {"consents": {"marketing": False}, "occupation": "Quintessa's bakery"}
    corrected = stack.http.patch("/v1/customers/c-priv", headers=STORE, body=json.dumps(patch))
    assert corrected.status_code == 200
    assert _order(stack, "o-priv", "c-priv").status_code == 201
    paid = json.dumps({"status": "paid"})
    assert stack.http.patch("/v1/orders/o-priv", headers=STORE, body=paid).status_code == 200
    stack.pump()
    redeem = json.dumps({"redemption_id": "rd-priv", "points": 10, "reason": "cap for Quintessa"})
    url = "/v1/customers/c-priv/points/redemptions"
    assert stack.http.post(url, headers=STORE, body=redeem).status_code == 201
    assert register(stack, JOURNEY["tracking_number"], "o-priv").status_code == 201
    post_events(stack, JOURNEY["events"])
    stack.pump()
    delivered = next(m for m in stack.mails() if "delivered" in m["subject"])
    link = re.search(r"http://rapport\.test(/v1/surveys\?t=\S+)", delivered["text"])
    assert link, delivered["text"]
    survey = json.dumps({"score": 4, "comment": COMMENT})
    headers = {"Content-Type": "application/json"}
    assert stack.http.post(link.group(1), headers=headers, body=survey).status_code == 201
    window = json.dumps({"return_window_days": 365})
    assert stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=window).status_code == 200
    claim = {
        "return_id": "r-priv",
        "order_id": "o-priv",
        "lines": [{"sku": "TEE-M", "quantity": 1}],
        "reason": "too small for Quintessa",
        "kind": "refund",
    }
    returned = stack.http.post("/v1/returns", headers=STORE, body=json.dumps(claim))
    assert returned.status_code == 201, returned.body
    stack.pump()
    _support_ticket(stack)


def _question(message_id: str, **extra: Any) -> str:
    body = {"message_id": message_id, "customer_id": "c-priv", "channel": "email"}
    return json.dumps({**body, "subject": "Quintessa's parcel", "body": QUESTION, **extra})


def _support_ticket(stack: Stack) -> str:
    """A question, a person's answer, and a follow-up that leaves the ticket open."""
    opened = stack.http.post(SUPPORT, headers=STORE, body=_question("m-priv", order_id="o-priv"))
    assert opened.status_code == 201, opened.body
    ticket_id = str(opened.json_body["ticket_id"])
    reply = json.dumps({"reply_id": "rp-priv", "body": ANSWER})
    url = f"/v1/admin/support-messages/{ticket_id}/replies"
    assert stack.http.post(url, headers=ADMIN, body=reply).status_code == 201
    again = _question("m-priv-2", ticket_id=ticket_id)
    assert stack.http.post(SUPPORT, headers=STORE, body=again).status_code == 201
    stack.pump()
    return ticket_id


def _open_tickets(stack: Stack) -> int:
    item = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_SUPPORT_TABLE"],
        Key={"ticket_id": {"S": "metrics"}, "record": {"S": "open-count"}},
    )["Item"]
    return int(item["open_tickets"]["N"])


def _suppressions(stack: Stack) -> list[dict[str, Any]]:
    return [i for _, i in _every_item(stack) if i.get("record_type", {}).get("S") == "suppression"]


def _every_item(stack: Stack) -> list[tuple[str, dict[str, Any]]]:
    """Every item of every table of the stack (a test may scan)."""
    client = stack.dynamodb()
    found = []
    for table in client.list_tables()["TableNames"]:
        for page in client.get_paginator("scan").paginate(TableName=table):
            found.extend((table, item) for item in page["Items"])
    return found


def test_export_holds_every_kind_of_record_of_the_customer(stack: Stack) -> None:
    _customer_with_history(stack)
    response = stack.http.get("/v1/admin/customers/c-priv/export", headers=ADMIN)
    assert response.status_code == 200, response.body
    document = response.json_body
    assert document["profile"]["email"].casefold() == EMAIL.casefold()
    assert document["stored_profile"]["name"] == NAME
    versions = [v["entry_key"] for v in document["versions"]]
    assert versions == ["profile#v00000001", "profile#v00000002"]
    history = document["consents"]["history"]
    assert history and history[-1]["new"]["marketing"] is False
    assert document["consents"]["current"]["marketing"] is False
    assert [o["order_id"] for o in document["orders"]] == ["o-priv"]
    assert [r["record"] for r in document["returns"]] == ["return#r-priv"]
    parcel = document["shipments"][0]
    assert parcel["tracking_number"] == JOURNEY["tracking_number"]
    assert len(parcel["scans"]) == len({e["event_id"] for e in JOURNEY["events"]})
    templates = {m["template"]: m for m in document["messages"]}
    assert {"welcome", "order_confirmation", "delivered"} <= set(templates)
    assert templates["welcome"]["subject"] and templates["welcome"]["status"] == "sent"
    assert document["survey_answers"][0]["comment"] == COMMENT
    assert any(e.get("kind") == "order" for e in document["points_history"])
    [ticket] = document["support_tickets"]
    assert ticket["subject"] == "Quintessa's parcel" and ticket["order_id"] == "o-priv"
    thread = [(entry["kind"], entry["body"]) for entry in ticket["thread"]]
    assert thread == [("message", QUESTION), ("reply", ANSWER), ("message", QUESTION)]
    assert "digest" not in json.dumps(document["support_tickets"])


def test_export_of_an_unknown_customer_is_404(stack: Stack) -> None:
    response = stack.http.get("/v1/admin/customers/nobody/export", headers=ADMIN)
    assert response.status_code == 404
    assert response.json_body["error"]["field"] == "customer_id"
    store = stack.http.get("/v1/admin/customers/nobody/export", headers=STORE)
    assert store.status_code in (401, 403)


def test_erasure_leaves_no_personal_data_and_keeps_the_figures(stack: Stack) -> None:
    _customer_with_history(stack)
    before = stack.http.get("/v1/admin/customers/c-priv", headers=ADMIN).json_body["profile"]
    headers = {**ADMIN, "X-Correlation-Id": "req-erase-1"}
    first = stack.http.delete("/v1/admin/customers/c-priv", headers=headers)
    assert first.status_code == 200, first.body
    audit = first.json_body
    assert audit["status"] == "erased" and audit["customer_id"] == "c-priv"
    assert audit["requested_by"] == "admin:bootstrap" and audit["correlation_id"] == "req-erase-1"
    stack.pump()
    for table, item in _every_item(stack):
        text = json.dumps(item)
        assert not any(p in text for p in PERSONAL), (table, text)
        assert COMMENT not in text
        assert not any(words in text for words in (QUESTION, ANSWER, "neighbour")), (table, text)
    second = stack.http.delete("/v1/admin/customers/c-priv", headers=ADMIN)
    assert second.status_code == 200 and second.json_body == audit
    assert stack.http.get("/v1/customers/c-priv", headers=STORE).status_code == 404
    patch = json.dumps({"name": "Again"})
    assert stack.http.patch("/v1/customers/c-priv", headers=STORE, body=patch).status_code == 404
    assert _order(stack, "o-after", "c-priv").status_code in (404, 422)
    record = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"], Key={"customer_id": {"S": "c-priv"}}
    )["Item"]
    assert record["stats"]["M"]["orders"]["N"] == str(before["stats"]["orders"])
    assert record["stats"]["M"]["spent"]["N"] == str(before["stats"]["spent"])
    orders = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_ORDERS_TABLE"],
        Key={"order_id": {"S": "o-priv"}, "record": {"S": "order"}},
    )
    assert orders["Item"]["total"]["N"]  # revenue kept


def test_erasure_of_an_unknown_customer_is_404(stack: Stack) -> None:
    response = stack.http.delete("/v1/admin/customers/nobody", headers=ADMIN)
    assert response.status_code == 404
    assert response.json_body["error"]["field"] == "customer_id"


def test_mail_queued_before_erasure_is_never_sent(stack: Stack) -> None:
    assert _signup(stack, "c-q").status_code == 201
    # the welcome letter is queued by the customers stream but not yet delivered
    from local.pump import drain

    drain([p for p in stack.pumps if p.name == "on_customer"])
    assert stack.http.delete("/v1/admin/customers/c-q", headers=ADMIN).status_code == 200
    stack.pump()
    assert stack.mails() == []
    welcome = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_MESSAGES_TABLE"],
        Key={"customer_id": {"S": "c-q"}, "message_key": {"S": "welcome"}},
    )["Item"]
    assert welcome["status"]["S"] == "suppressed" and welcome["reason"]["S"] == "erased"


def test_a_new_signup_with_the_erased_address_is_a_new_person(stack: Stack) -> None:
    assert _signup(stack, "c-old").status_code == 201
    stack.pump()
    assert stack.http.delete("/v1/admin/customers/c-old", headers=ADMIN).status_code == 200
    suppressed = _suppressions(stack)
    assert len(suppressed) == 1 and suppressed[0]["reason"]["S"] == "erased"
    assert _signup(stack, "c-new").status_code == 201
    stack.pump()
    welcomes = stack.mails_of("welcome")
    assert len(welcomes) == 2  # c-old's before erasure, c-new's after
    assert not _suppressions(stack)


def test_a_late_signup_record_of_an_erased_profile_queues_no_mail(stack: Stack) -> None:
    from tests.functional.test_stream_handlers import event

    signups = event("customers_signups.json")
    customer_id = signups["Records"][0]["dynamodb"]["NewImage"]["customer_id"]["S"]
    email = signups["Records"][0]["dynamodb"]["NewImage"]["email"]["S"]
    assert _signup(stack, customer_id, email).status_code == 201
    assert stack.http.delete(f"/v1/admin/customers/{customer_id}", headers=ADMIN).status_code == 200
    stack.pump()
    assert stack.client.lambda_.invoke("on_customer", signups).payload == {"batchItemFailures": []}
    queued = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_MESSAGES_TABLE"],
        Key={"customer_id": {"S": customer_id}, "message_key": {"S": "welcome"}},
    )
    assert "Item" not in queued  # neither the stack's own record nor the late one queued it
    assert stack.mails() == []


def test_an_order_fact_read_after_erasure_is_dropped_not_retried(stack: Stack) -> None:
    from local.pump import drain

    assert _signup(stack, "c-late-order").status_code == 201
    drain([p for p in stack.pumps if p.name in ("on_customer", "mailer")])
    assert _order(stack, "o-late", "c-late-order").status_code == 201
    # the orders stream has not run yet when the erasure happens
    assert stack.http.delete("/v1/admin/customers/c-late-order", headers=ADMIN).status_code == 200
    stack.pump()
    orders = next(p for p in stack.pumps if p.name == "on_order")
    assert orders.stats.retries == 0 and orders.stats.dead_letters == []
    for table, item in _every_item(stack):
        assert "quintessa" not in json.dumps(item).casefold(), table
    queued = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_MESSAGES_TABLE"],
        KeyConditionExpression="customer_id = :c",
        ExpressionAttributeValues={":c": {"S": "c-late-order"}},
    )["Items"]
    assert all(m["message_key"]["S"] == "welcome" for m in queued)


def test_erasure_closes_the_customers_open_ticket_and_the_backlog_follows(stack: Stack) -> None:
    _customer_with_history(stack)
    assert _open_tickets(stack) == 1
    assert stack.http.delete("/v1/admin/customers/c-priv", headers=ADMIN).status_code == 200
    assert _open_tickets(stack) == 0
    assert stack.http.delete("/v1/admin/customers/c-priv", headers=ADMIN).status_code == 200
    assert _open_tickets(stack) == 0  # a second erasure closes nothing twice
    listed = stack.http.get("/v1/admin/support-messages?status=closed", headers=ADMIN).json_body
    [ticket] = [t for t in listed["items"] if t["customer_id"] == "c-priv"]
    assert ticket["subject"] is None and ticket["expected_answer_by"]
    for status in ("open", "overdue"):
        url = f"/v1/admin/support-messages?status={status}"
        assert stack.http.get(url, headers=ADMIN).json_body["items"] == []
    replay = stack.http.post(SUPPORT, headers=STORE, body=_question("m-priv", order_id="o-priv"))
    assert replay.status_code == 422 and replay.json_body["error"]["field"] == "customer_id"
    reply = json.dumps({"reply_id": "rp-late", "body": ANSWER})
    url = f"/v1/admin/support-messages/{ticket['ticket_id']}/replies"
    assert stack.http.post(url, headers=ADMIN, body=reply).status_code == 422


def test_erasure_by_an_issued_admin_key_records_its_id(stack: Stack) -> None:
    assert _signup(stack, "c-priv").status_code == 201
    body = json.dumps({"name": "privacy desk", "role": "admin"})
    issued = stack.http.post("/v1/admin/keys", headers=ADMIN, body=body).json_body
    headers = {"Authorization": f"Bearer {issued['key']}"}
    erased = stack.http.delete("/v1/admin/customers/c-priv", headers=headers)
    assert erased.status_code == 200, erased.body
    assert erased.json_body["requested_by"] == f"admin:{issued['key_id']}"


def test_an_erasure_during_a_reply_queues_no_letter(stack: Stack) -> None:
    """The reply's transaction checks the customer is not erased (no read-then-write gap)."""
    from chalicelib import bootstrap
    from chalicelib.domain import support as s
    from chalicelib.services.exceptions import CustomerErased

    assert _signup(stack, "c-priv").status_code == 201
    opened = stack.http.post(SUPPORT, headers=STORE, body=_question("m-race"))
    ticket_id = str(opened.json_body["ticket_id"])
    container = bootstrap.container()
    profile = container.customers.get("c-priv")
    ticket = container.support_deps.support.ticket(ticket_id)
    assert profile is not None and ticket is not None
    assert stack.http.delete("/v1/admin/customers/c-priv", headers=ADMIN).status_code == 200
    reply = s.SupportReply("rp-race", ANSWER, False)
    letter = s.answer_letter(profile, ticket, QUESTION, reply, "2026-12-01T10:00:00.000Z", None)
    item = {"ticket_id": ticket_id, "reply_id": "rp-race", "body": ANSWER, "at": "x"}
    updated = {**ticket, "status": "answered"}
    with pytest.raises(CustomerErased):
        container.support_deps.support.answer(updated, item, "closed", letter, None)
    keys = [m["message_key"] for m in container.erasure.store.messages("c-priv")]
    assert letter.message_key not in keys
