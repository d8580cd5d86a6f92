"""Profile changes a store reacts to reach the rapport EventBridge bus, once per change."""

from __future__ import annotations

import json
from typing import Any

from tests.functional.conftest import ADMIN, Stack
from tests.functional.test_segment_counts import paid_order, replay_customers_stream, signup

PATTERN = {"source": ["rapport.profiles"], "detail-type": [{"prefix": "Rapport."}]}


def subscribe(stack: Stack) -> str:
    """The store's rule on the bus, with a queue as its target (as docs/events.md shows)."""
    sqs, events = stack.session.client("sqs"), stack.session.client("events")
    url = sqs.create_queue(QueueName="store-profile-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    bus = stack.env["RAPPORT_EVENT_BUS"]
    events.put_rule(
        Name="store-profile-changes", EventBusName=bus, EventPattern=json.dumps(PATTERN)
    )
    events.put_targets(
        Rule="store-profile-changes", EventBusName=bus, Targets=[{"Id": "queue", "Arn": arn}]
    )
    return url


def received(stack: Stack, url: str) -> list[dict[str, Any]]:
    sqs, out = stack.session.client("sqs"), []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for message in batch:
            out.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return out


def test_a_tier_change_and_an_erasure_are_announced_once_without_personal_data(
    stack: Stack,
) -> None:
    url = subscribe(stack)
    signup(stack, "c-1")
    stack.pump()
    assert received(stack, url) == []  # a signup is not one of the changes
    paid_order(stack, "o-1", "c-1", 250_000, days_ago=3)
    stack.pump()
    events = received(stack, url)
    tiers = [e for e in events if e["detail-type"] == "Rapport.TierChanged"]
    assert [e["detail"]["tier"] for e in tiers] == [{"from": 1, "to": 3}]
    assert all(e["source"] == "rapport.profiles" for e in events)
    assert all(e["detail"]["customer_id"] == "c-1" and e["detail"]["event_id"] for e in events)
    assert "c-1@example.com" not in json.dumps(events) and "Ana" not in json.dumps(events)
    assert stack.http.delete("/v1/admin/customers/c-1", headers=ADMIN).status_code == 200
    stack.pump()
    erased = received(stack, url)
    assert [e["detail-type"] for e in erased] == ["Rapport.CustomerErased"]
    assert set(erased[0]["detail"]) == {"customer_id", "event_id", "occurred_at"}
    replay_customers_stream(stack)
    assert received(stack, url) == []  # a replayed record announces nothing again
