"""Win-back letters when a segment becomes at risk: per order and in the nightly job.

Both write the profile; the customers stream sees the segment move and queues the
letter (Lambda-shaped fixtures in ``tests/events``, and the real stack end to end).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.functional.conftest import STORE, Stack, mail_at_any_hour, run_job
from tests.functional.shipment_fixtures import sign_up

EVENTS = Path(__file__).resolve().parent.parent / "events"


def win_backs(stack: Stack) -> dict[str, dict[str, Any]]:
    """The win-back messages by customer (one each at most)."""
    client = stack.dynamodb()
    items = client.scan(TableName=stack.env["RAPPORT_MESSAGES_TABLE"])["Items"]
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        if item["template"]["S"] == "win_back":
            assert item["customer_id"]["S"] not in found, "two win-backs for one customer"
            found[item["customer_id"]["S"]] = item
    return found


def test_a_segment_moving_into_cannot_lose_them_queues_one_win_back(stack: Stack) -> None:
    batch = json.loads((EVENTS / "customers_segment_moves.json").read_text())
    for _ in range(2):  # delivered twice
        answer = stack.client.lambda_.invoke("on_customer", batch).payload
        assert answer == {"batchItemFailures": []}
    found = win_backs(stack)
    assert sorted(found) == ["c-wb-1"]  # c-wb-2 stayed at risk: nothing new
    item = found["c-wb-1"]
    assert item["message_key"]["S"] == f"win-back#{datetime.now(UTC).date().isoformat()}"
    assert item["purpose"]["S"] == "marketing"


def order(order_id: str, customer_id: str, days_ago: int, total: int) -> str:
    placed = datetime.now(UTC) - timedelta(days=days_ago)
    line = {"sku": "TEA-1", "name": "Dragon Well tea", "category": "tea", "quantity": 1}
    return json.dumps(
        {
            "order_id": order_id,
            "customer_id": customer_id,
            "placed_at": placed.isoformat(),
            "currency": "CNY",
            "lines": [{**line, "unit_price": total}],
            "total": total,
            "payment_method": "card",
        }
    )


def shop(stack: Stack) -> None:
    """Six customers: c-a bought a lot long ago, c-b a lot and once recently, the others
    a little and recently."""
    mail_at_any_hour(stack)
    history = {
        "c-a": [(300, 30_000), (260, 30_000), (230, 30_000), (200, 30_000)],
        "c-b": [(310, 30_000), (270, 30_000), (240, 30_000), (210, 30_000), (3, 30_000)],
        **{f"c-{n}": [(n, 2_000)] for n in range(1, 5)},
    }
    for customer, orders in history.items():
        sign_up(stack, customer, consents={"marketing": True})
        for index, (days_ago, total) in enumerate(orders):
            body = order(f"o-{customer}-{index}", customer, days_ago, total)
            assert stack.http.post("/v1/orders", headers=STORE, body=body).status_code == 201
    stack.pump()


def sent_win_backs(stack: Stack) -> list[dict[str, Any]]:
    return stack.mails_of("win_back")


def test_the_nightly_job_and_a_cancelled_order_each_win_a_customer_back_once(stack: Stack) -> None:
    shop(stack)
    result = run_job(stack, "customer-value")
    stack.pump()
    assert result["rfm"] == "stored"
    assert sorted(win_backs(stack)) == ["c-a"]  # c-b ordered three days ago
    [mail] = sent_win_backs(stack)
    assert any("c-a@example.com" in to for to in mail["to"])
    assert "your last order with us was on" in mail["text"]
    assert "there is no special offer in this letter" in mail["text"]
    assert "List-Unsubscribe" in mail["headers"]

    # c-b's recent order is cancelled: the orders stream rescores c-b with the stored
    # boundaries, and the last order is now 210 days ago
    body = json.dumps({"status": "cancelled"})
    assert stack.http.patch("/v1/orders/o-c-b-4", headers=STORE, body=body).status_code == 200
    stack.pump()
    assert sorted(win_backs(stack)) == ["c-a", "c-b"]

    # the nightly job again: nobody moves, nothing new
    run_job(stack, "customer-value")
    stack.pump()
    assert sorted(win_backs(stack)) == ["c-a", "c-b"]
    assert len(sent_win_backs(stack)) == 2
