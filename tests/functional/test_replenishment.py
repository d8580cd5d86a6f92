"""Replenishment through the real stack: orders through the API and the orders stream,
the daily job through the admin API, the reminder read in the mail that was sent."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from chalicelib.adapters import codec
from tests.functional.conftest import ADMIN, STORE, Stack, run_job
from tests.functional.shipment_fixtures import sign_up

SETTINGS = {
    "quiet_hours_start": 0,
    "quiet_hours_end": 0,
    "replenishment_skus": {"TEA-1": 30},
    "replenishment_categories": {"soap": 20},
}
TODAY = datetime.now(UTC).date()
EVENTS = Path(__file__).resolve().parent.parent / "events"


def order(order_id: str, customer_id: str, days_ago: int, *lines: tuple[str, str, str]) -> str:
    placed = datetime.now(UTC) - timedelta(days=days_ago)
    body = [
        {"sku": sku, "name": name, "category": category, "quantity": 1, "unit_price": 5000}
        for sku, name, category in lines
    ]
    return json.dumps(
        {
            "order_id": order_id,
            "customer_id": customer_id,
            "placed_at": placed.isoformat(),
            "currency": "CNY",
            "lines": body,
            "total": 5000 * len(body),
            "payment_method": "card",
        }
    )


TEA = ("TEA-1", "Dragon Well tea 100g", "tea")
SOAP = ("SOAP-9", "Olive soap", "soap")
CUP = ("CUP-2", "Celadon cup", "cups")


def sent(stack: Stack, customer_id: str) -> list[dict[str, Any]]:
    return [
        mail
        for mail in stack.mails()
        if mail["headers"].get("X-Rapport-Message") == "replenishment"
        and any(f"{customer_id}@example.com" in to for to in mail["to"])
    ]


def shop(stack: Stack) -> None:
    answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=json.dumps(SETTINGS))
    assert answer.status_code == 200, answer.body
    for customer in ("c-r1", "c-r2", "c-r3"):
        sign_up(stack, customer, consents={"marketing": True})
    orders = [  # two orders each: loyal customers, whom the policy lets marketing reach
        order("o-0", "c-r1", 100, CUP),
        order("o-1", "c-r1", 31, TEA, CUP),  # tea due a day ago; cups are not replenished
        order("o-2", "c-r2", 31, TEA),
        order("o-3", "c-r2", 10, TEA),  # bought again in between
        order("o-6", "c-r3", 100, CUP),
        order("o-4", "c-r3", 21, SOAP),  # due by its category
        order("o-5", "c-r3", 25, TEA),  # cancelled below
    ]
    for body in orders:
        assert stack.http.post("/v1/orders", headers=STORE, body=body).status_code == 201
    cancel = json.dumps({"status": "cancelled"})
    assert stack.http.patch("/v1/orders/o-5", headers=STORE, body=cancel).status_code == 200
    stack.pump()


def test_one_reminder_per_purchase_whose_interval_has_passed(stack: Stack) -> None:
    shop(stack)
    result = run_job(stack, "replenishment")
    stack.pump()
    assert result["as_of"] == TODAY.isoformat()
    assert (result["queued"], result["due"]) == (2, 2)
    [tea] = sent(stack, "c-r1")
    assert tea["subject"] == "Ana, running low on Dragon Well tea 100g?"
    assert "you bought Dragon Well tea 100g from us" in tea["text"]
    assert "We expect it to last about 30 days" in tea["text"]
    assert "we will not remind you again about this purchase" in tea["text"]
    assert "List-Unsubscribe" in tea["headers"]
    assert sent(stack, "c-r2") == []  # bought again ten days ago
    [soap] = sent(stack, "c-r3")  # the cancelled tea order sends nothing
    assert "Olive soap" in soap["text"] and "about 20 days" in soap["text"]

    # run again, and the next days: nothing new about the same purchases
    run_job(stack, "replenishment")
    for days in (1, 2, 19):
        day = (TODAY + timedelta(days=days)).isoformat()
        run_job(stack, "replenishment", json.dumps({"as_of": day}))
    stack.pump()
    assert len(sent(stack, "c-r1")) == 1 and len(sent(stack, "c-r3")) == 1
    # c-r2's second tea falls due 30 days after it: a rehearsal of that day reminds once
    day = (TODAY + timedelta(days=20)).isoformat()
    assert run_job(stack, "replenishment", json.dumps({"as_of": day}))["queued"] == 1
    stack.pump()
    assert len(sent(stack, "c-r2")) == 1


def test_the_export_lists_the_replenishable_purchases(stack: Stack) -> None:
    shop(stack)
    answer = stack.http.get("/v1/admin/customers/c-r1/export", headers=ADMIN)
    assert answer.status_code == 200, answer.body
    kept = {entry["sku"]: entry for entry in answer.json_body["replenishment"]}
    assert sorted(kept) == ["CUP-2", "TEA-1"]
    assert kept["TEA-1"]["due_day"] == (TODAY - timedelta(days=1)).isoformat()
    assert "due_day" not in kept["CUP-2"]
    assert all(entry["kind"] == "replenishment" for entry in answer.json_body["replenishment"])
    assert not any(e.get("kind") == "replenishment" for e in answer.json_body["points_history"])


def test_bad_reorder_intervals_are_refused_naming_the_field(stack: Stack) -> None:
    for body, field in (
        ({"replenishment_skus": {"TEA-1": 0}}, "replenishment_skus.TEA-1"),
        ({"replenishment_categories": {"tea": "30"}}, "replenishment_categories.tea"),
        ({"replenishment_skus": ["TEA-1"]}, "replenishment_skus"),
        ({"win_back_days": -1}, "win_back_days"),
    ):
        answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=json.dumps(body))
        assert answer.status_code == 400, body
        assert answer.json_body["error"]["field"] == field


def test_the_orders_stream_keeps_each_purchase_once_even_when_redelivered(stack: Stack) -> None:
    """Lambda-shaped records: two orders placed, the second cancelled; delivered twice."""
    batch = json.loads((EVENTS / "orders_replenishable.json").read_text())
    answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=json.dumps(SETTINGS))
    assert answer.status_code == 200
    sign_up(stack, "c-fx-r", consents={"marketing": True})
    for _ in range(2):
        result = stack.client.lambda_.invoke("on_order", batch).payload
        assert result == {"batchItemFailures": []}
    timeline = stack.env["RAPPORT_TIMELINE_TABLE"]
    kept = {}
    for sku in ("TEA-1", "SOAP-9"):
        key = {"customer_id": {"S": "c-fx-r"}, "entry_key": {"S": f"replenish#{sku}"}}
        kept[sku] = codec.from_item(stack.dynamodb().get_item(TableName=timeline, Key=key)["Item"])
    assert [p["order_id"] for p in kept["TEA-1"]["purchases"]] == ["o-fx-r1"]
    assert kept["TEA-1"]["name"] == "西湖龙井一百克"  # as the store sent it
    assert kept["TEA-1"]["due_day"] == "2026-10-31"  # the day the store recorded + 30
    # the cancelled second soap is taken out again: due 20 days after the first
    assert [p["order_id"] for p in kept["SOAP-9"]["purchases"]] == ["o-fx-r1"]
    assert kept["SOAP-9"]["replenish_due"] == "2026-10-21"
