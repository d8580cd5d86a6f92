"""Helpers for the shipment, carrier-event, survey and return tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.functional.conftest import STORE, Stack, mail_at_any_hour

EVENTS = Path(__file__).resolve().parent.parent / "events"
CARRIER_SECRET = b"dev-carrier-secret"
OWN_PUMPS = ("on_customer", "mailer", "on_shipment")


def fixture(name: str) -> Any:
    return json.loads((EVENTS / name).read_text())


def pump(stack: Stack) -> int:
    """Drain the streams the shipment effects run through (the orders stream is not drained)."""
    from local.pump import drain

    return drain([p for p in stack.pumps if p.name in OWN_PUMPS])


def sign_up(stack: Stack, customer_id: str, locale: str = "en", **extra: Any) -> None:
    body = {
        "customer_id": customer_id,
        "email": f"{customer_id}@example.com",
        "name": "Mei" if locale == "zh-CN" else "Ana",
        "locale": locale,
        "time_zone": "Asia/Shanghai",
        "consents": {"surveys": True},
        **extra,
    }
    response = stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body))
    assert response.status_code == 201, response.body


def survey_taker(
    stack: Stack,
    customer_id: str,
    locale: str = "en",
    surveys: bool = True,
    time_zone: str = "Asia/Shanghai",
) -> None:
    """Ana, who said yes (or no) to surveys, in a store that mails at any hour."""
    mail_at_any_hour(stack)
    consents = {"surveys": surveys}
    sign_up(stack, customer_id, locale, name="Ana", time_zone=time_zone, consents=consents)


TEA = {"sku": "TEA", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 5_000}


def post_tea_order(stack: Stack, order_id: str, customer_id: str, placed_at: datetime) -> None:
    """The store posts the customer's order of one tea (5,000 CNY minor units, by card)."""
    body = {
        "order_id": order_id,
        "customer_id": customer_id,
        "placed_at": placed_at.isoformat(),
        "currency": "CNY",
        "payment_method": "card",
        "total": TEA["unit_price"],
        "lines": [TEA],
    }
    created = stack.http.post("/v1/orders", headers=STORE, body=json.dumps(body))
    assert created.status_code == 201, created.body


def put_order(stack: Stack, order_id: str, customer_id: str, lines: list[dict[str, Any]]) -> None:
    """Write the order item the way the orders repository stores it (the table's contract)."""
    from chalicelib.adapters import codec

    item = {
        "order_id": order_id,
        "record": "order",
        "customer_id": customer_id,
        "placed_at": "2026-11-10T08:00:00.000Z",
        "currency": "CNY",
        "lines": lines,
        "total": sum(line["unit_price"] * line["quantity"] for line in lines),
        "payment_method": "card",
        "status": "paid",
    }
    stack.dynamodb().put_item(TableName=stack.env["RAPPORT_ORDERS_TABLE"], Item=codec.to_item(item))


LINES = [
    {"sku": "TEE-M", "name": "Linen tee", "category": "tops", "quantity": 2, "unit_price": 12900},
    {"sku": "CAP", "name": "Cotton cap", "category": "hats", "quantity": 1, "unit_price": 5900},
]


def register(stack: Stack, tracking_number: str, order_id: str, carrier: str = "fedex") -> Any:
    body = {"tracking_number": tracking_number, "carrier": carrier, "order_id": order_id}
    return stack.http.post("/v1/shipments", headers=STORE, body=json.dumps(body))


def signature(raw: bytes, secret: bytes = CARRIER_SECRET, at: float | None = None) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``, signed now unless ``at``."""
    timestamp = int(time.time() if at is None else at)
    signed = f"{timestamp}.".encode() + raw
    return f"t={timestamp},v1=" + hmac.new(secret, signed, hashlib.sha256).hexdigest()


def post_events(stack: Stack, events: list[dict[str, Any]], sign: bool = True) -> Any:
    raw = json.dumps({"events": events}).encode()
    headers = {"Content-Type": "application/json"}
    if sign:
        headers["X-Rapport-Signature"] = signature(raw)
    return stack.http.post("/v1/carrier-events", headers=headers, body=raw)


def scan_delivered(
    stack: Stack, tracking_number: str, delivered_at: datetime, transit_hours: float = 1
) -> None:
    """The carrier scans the parcel in transit ``transit_hours`` before it is delivered at
    ``delivered_at`` (the events are accepted; no stream is drained)."""
    scans = [
        {
            "event_id": f"{tracking_number}-{i}",
            "tracking_number": tracking_number,
            "status": status,
            "occurred_at": (delivered_at - timedelta(hours=hours)).isoformat(),
        }
        for i, (status, hours) in enumerate((("in_transit", transit_hours), ("delivered", 0)))
    ]
    assert post_events(stack, scans).status_code == 200


def deliver(stack: Stack, order_id: str, hours_ago: float = 3) -> None:
    """The order's parcel ``T-<order_id>`` is registered, in transit, then delivered an
    hour later, starting ``hours_ago``; every stream record is handled."""
    tracking_number = f"T-{order_id}"
    assert register(stack, tracking_number, order_id).status_code == 201
    in_transit = datetime.now(UTC) - timedelta(hours=hours_ago)
    scan_delivered(stack, tracking_number, in_transit + timedelta(hours=1))
    stack.pump()


def subscribe(stack: Stack, statuses: list[str] | None = None) -> str:
    """An SQS queue on the tracking topic (raw delivery, optional filter on ``status``)."""
    sqs = stack.session.client("sqs")
    url = sqs.create_queue(QueueName="tracking-subscriber")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    attributes = {"RawMessageDelivery": "true"}
    if statuses:
        attributes["FilterPolicy"] = json.dumps({"status": statuses})
    stack.session.client("sns").subscribe(
        TopicArn=stack.env["RAPPORT_TRACKING_TOPIC_ARN"],
        Protocol="sqs",
        Endpoint=arn,
        Attributes=attributes,
    )
    return url


def received(stack: Stack, url: str) -> list[dict[str, Any]]:
    """Every message on the queue, in arrival order."""
    sqs = stack.session.client("sqs")
    messages: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            return messages
        for message in batch:
            messages.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def outbox_keys(stack: Stack, customer_id: str) -> list[str]:
    items = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_MESSAGES_TABLE"],
        KeyConditionExpression="customer_id = :c",
        ExpressionAttributeValues={":c": {"S": customer_id}},
    )["Items"]
    return sorted(item["message_key"]["S"] for item in items)
