"""Parcels: registration, the stream handler's fold and publication, tracking, mail."""

from __future__ import annotations

import json
import random
from urllib.parse import parse_qs, urlparse

from tests.functional.conftest import STORE, Stack
from tests.functional.shipment_fixtures import (
    LINES,
    fixture,
    outbox_keys,
    post_events,
    pump,
    put_order,
    received,
    register,
    sign_up,
    subscribe,
)

JOURNEY = fixture("carrier_events_fedex_journey.json")
TN = JOURNEY["tracking_number"]
MILESTONES = ["info_received", "in_transit", "out_for_delivery", "delivered"]


def _setup(stack: Stack, locale: str = "en") -> None:
    sign_up(stack, "c-ship", locale)
    put_order(stack, "o-ship", "c-ship", LINES)


def test_registration_is_idempotent_and_checks_the_order(stack: Stack) -> None:
    _setup(stack)
    assert register(stack, TN, "o-missing").json_body["error"]["field"] == "order_id"
    created = register(stack, TN, "o-ship")
    assert created.status_code == 201, created.body
    body = created.json_body
    assert body["status"] == "pending" and body["customer_id"] == "c-ship"
    url = urlparse(body["tracking_url"])
    assert url.path == f"/v1/track/{TN}" and parse_qs(url.query)["t"]
    replay = register(stack, TN, "o-ship")
    assert replay.status_code == 200 and replay.json_body["tracking_url"] == body["tracking_url"]
    put_order(stack, "o-other", "c-ship", LINES)
    conflict = register(stack, TN, "o-other")
    assert conflict.status_code == 409
    assert register(stack, TN, "o-ship", carrier="ups").status_code == 409
    bad = stack.http.post(
        "/v1/shipments",
        headers=STORE,
        body=json.dumps({"tracking_number": "x", "carrier": "fedex", "order_id": "o-ship"}),
    )
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "tracking_number"
    unknown = register(stack, "1Z999", "o-ship", carrier="pigeon")
    assert unknown.status_code == 400 and unknown.json_body["error"]["field"] == "carrier"
    parcel = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_SHIPMENTS_TABLE"],
        Key={"tracking_number": {"S": TN}, "record": {"S": "parcel"}},
    )["Item"]
    assert parcel["customer_id"]["S"] == "c-ship" and parcel["registered_at"]["S"]


def test_every_milestone_is_published_once_in_order_when_all_scans_are_known(
    stack: Stack,
) -> None:
    _setup(stack)
    queue = subscribe(stack)
    events = JOURNEY["events"]
    shuffled = random.Random(7).sample(events, len(events))
    # Scans first, shuffled, some twice, over three calls; the parcel is registered after.
    for chunk in (shuffled[:3], shuffled[2:6], shuffled[5:] + shuffled[:1]):
        assert post_events(stack, chunk).status_code == 200
    pump(stack)
    assert received(stack, queue) == []  # unregistered: kept, nothing published
    assert register(stack, TN, "o-ship").status_code == 201
    pump(stack)
    pump(stack)
    messages = received(stack, queue)
    assert [m["status"] for m in messages] == MILESTONES
    assert [m["previous_status"] for m in messages] == [None, *MILESTONES[:-1]]
    assert all(m["tracking_number"] == TN and m["order_id"] == "o-ship" for m in messages)
    assert messages[-1]["occurred_at"] == "2026-11-22T11:47:00+08:00"
    assert len({m["key"] for m in messages}) == 4
    assert outbox_keys(stack, "c-ship") == sorted(
        ["welcome"] + [f"shipment#{TN}#{k}" for k in ("shipped", "out_for_delivery", "delivered")]
    )
    # Everything again, twice: nothing new anywhere.
    post_events(stack, events)
    post_events(stack, events)
    pump(stack)
    assert received(stack, queue) == []


def test_shuffled_duplicated_scans_publish_each_milestone_at_most_once_in_order(
    stack: Stack,
) -> None:
    _setup(stack)
    assert register(stack, TN, "o-ship").status_code == 201
    queue = subscribe(stack, statuses=["in_transit", "out_for_delivery", "delivered"])
    events = JOURNEY["events"]
    rng = random.Random(11)
    calls = [rng.sample(events, 3) for _ in range(6)] + [events]
    for call in calls:
        assert post_events(stack, call).status_code == 200
        pump(stack)
    messages = received(stack, queue)
    statuses = [m["status"] for m in messages if m["milestone"]]
    order = ["in_transit", "out_for_delivery", "delivered"]
    assert statuses == sorted(set(statuses), key=order.index)  # once each, in order
    assert statuses[-1] == "delivered"
    assert len({m["key"] for m in messages}) == len(messages)
    assert {m["status"] for m in messages} <= set(order)  # the filter policy holds
    mails = [k for k in outbox_keys(stack, "c-ship") if k.startswith("shipment#")]
    assert f"shipment#{TN}#delivered" in mails and len(mails) == len(set(mails))


def test_delivery_mail_is_sent_once_with_a_survey_link_and_problem_mail_says_what_to_do(
    stack: Stack,
) -> None:
    _setup(stack, locale="zh-CN")
    assert register(stack, TN, "o-ship").status_code == 201
    events = JOURNEY["events"]
    for upto in (2, 6, 8):  # shipped, then the failed attempt, then delivery
        post_events(stack, events[:upto])
        pump(stack)
    post_events(stack, events)
    pump(stack)
    mails = stack.mails()
    subjects = [m["subject"] for m in mails]
    assert subjects.count("您的订单 o-ship 已签收") == 1
    assert subjects.count("您的订单 o-ship 已发货") == 1
    problem = next(m for m in mails if "派送未成功" in m["subject"])
    assert TN in problem["text"] and "改约" in problem["text"]
    delivered = next(m for m in mails if m["subject"] == "您的订单 o-ship 已签收")
    assert "/v1/surveys?t=" in delivered["text"] and "/v1/track/" in delivered["html"]
    assert "2026-11-22 11:47" in delivered["text"]  # the customer's time zone (Shanghai)


def test_tracking_link_shows_json_or_a_page_and_reveals_nothing_without_a_token(
    stack: Stack,
) -> None:
    _setup(stack, locale="zh-CN")
    url = urlparse(register(stack, TN, "o-ship").json_body["tracking_url"])
    post_events(stack, JOURNEY["events"][:5])
    pump(stack)
    path = f"{url.path}?{url.query}"
    data = stack.http.get(path).json_body
    assert data["status"] == "out_for_delivery" and data["estimated_delivery"] == "2026-11-21"
    assert [s["reached"] for s in data["progress"]] == [True, True, True, False]
    assert data["history"][0]["description"] == "On FedEx vehicle for delivery"
    assert "customer_id" not in data
    page = stack.http.get(path, headers={"Accept": "text/html"})
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.body.decode()
    assert "派送中" in html and "2026-11-21 08:15" in html and 'lang="zh-CN"' in html
    forged = stack.http.get(f"{url.path}?t=forged")
    missing = stack.http.get("/v1/track/NOPE123?t=forged")
    assert forged.status_code == missing.status_code == 404
    assert forged.json_body == missing.json_body
    other = stack.http.get(f"/v1/track/NOPE123?{url.query}")  # a real token, another parcel
    assert other.status_code == 404 and other.json_body == missing.json_body
