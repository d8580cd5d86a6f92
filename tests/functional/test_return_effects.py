"""A return, end to end: order → delivery → return → aggregates, points, timeline, mail."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.shipment_fixtures import register, scan_delivered


def test_refund_reverses_its_share_once_and_is_acknowledged(stack: Stack) -> None:
    body = {"customer_id": "c-r", "email": "r@example.com", "name": "Rui", "locale": "zh-CN"}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201
    order = {
        "order_id": "o-r",
        "customer_id": "c-r",
        "placed_at": datetime.now(UTC).isoformat(),
        "currency": "CNY",
        "payment_method": "card",
        "total": 30_000,
        "lines": [
            {
                "sku": "TEE-M",
                "name": "T-shirt M",
                "category": "tees",
                "quantity": 2,
                "unit_price": 10_000,
            },
            {"sku": "CAP", "name": "Cap", "category": "hats", "quantity": 1, "unit_price": 10_000},
        ],
    }
    assert stack.http.post("/v1/orders", headers=STORE, body=json.dumps(order)).status_code == 201
    patch = json.dumps({"status": "paid"})
    assert stack.http.patch("/v1/orders/o-r", headers=STORE, body=patch).status_code == 200
    assert register(stack, "RT1", "o-r").status_code == 201
    scan_delivered(stack, "RT1", datetime.now(UTC) - timedelta(hours=23))
    stack.pump()
    before = stack.http.get("/v1/customers/c-r", headers=STORE).json_body
    assert (before["stats"]["spent"], before["points"]) == (30_000, 300)
    ret = {
        "return_id": "r-1",
        "order_id": "o-r",
        "lines": [{"sku": "TEE-M", "quantity": 1}],
        "reason": "too small",
        "kind": "refund",
    }
    assert stack.http.post("/v1/returns", headers=STORE, body=json.dumps(ret)).status_code == 201
    assert stack.http.post("/v1/returns", headers=STORE, body=json.dumps(ret)).status_code == 200
    stack.pump()
    for pump in stack.pumps:
        pump.rewind()  # every record delivered again changes nothing
    stack.pump()
    after = stack.http.get("/v1/customers/c-r", headers=STORE).json_body
    assert after["stats"]["returns"] == 1
    assert after["stats"]["spent"] == 20_000
    assert after["stats"]["orders"] == 1
    assert after["points"] == 200  # a third of the order's points came back
    acks = stack.mails_of("return_ack")
    assert len(acks) == 1
    assert "T-shirt M" in acks[0]["text"] and "¥100.00" in acks[0]["text"]
    timeline = stack.http.get("/v1/admin/customers/c-r", headers=ADMIN).json_body["timeline"]
    assert any(entry["entry_key"] == "return#r-1" for entry in timeline)
