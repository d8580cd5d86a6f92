"""Customers per segment, tier and loyalty class: counters kept by the customers stream.

After any sequence of signups, orders, a refund, nightly runs and an erasure, the counts
``GET /v1/admin/segments`` shows equal an independent count over every profile, and a
replay of the whole customers stream (records arrive at least once) changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.adapters import codec
from tests.functional.conftest import ADMIN, STORE, Stack, run_job
from tests.functional.shipment_fixtures import deliver

TOTALS = {"c-1": 30_000, "c-2": 80_000, "c-3": 250_000, "c-4": 600_000, "c-5": 12_000}


def signup(stack: Stack, cid: str) -> None:
    body = {"customer_id": cid, "email": f"{cid}@example.com", "name": "Ana"}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201


def paid_order(stack: Stack, oid: str, cid: str, total: int, days_ago: int) -> None:
    order = {
        "order_id": oid,
        "customer_id": cid,
        "placed_at": (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(),
        "currency": "CNY",
        "payment_method": "card",
        "total": total,
        "lines": [
            {"sku": "TEA", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": total}
        ],
    }
    assert stack.http.post("/v1/orders", headers=STORE, body=json.dumps(order)).status_code == 201
    paid = json.dumps({"status": "paid"})
    assert stack.http.patch(f"/v1/orders/{oid}", headers=STORE, body=paid).status_code == 200


def delivered_and_refunded(stack: Stack, oid: str) -> None:
    deliver(stack, oid)
    ret = {
        "return_id": f"r-{oid}",
        "order_id": oid,
        "lines": [{"sku": "TEA", "quantity": 1}],
        "reason": "changed my mind",
        "kind": "refund",
    }
    assert stack.http.post("/v1/returns", headers=STORE, body=json.dumps(ret)).status_code == 201


def independent_count(stack: Stack) -> dict[str, Any]:
    """Count every profile in the table (a test may scan)."""
    client = stack.dynamodb()
    items = client.scan(TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"])["Items"]
    profiles = [codec.from_item(i) for i in items if i.get("record_type", {}).get("S") == "profile"]
    segments = Counter((p.get("rfm") or {}).get("segment") or "none" for p in profiles)
    return {
        "total": len(profiles),
        "segments": segments,
        "tiers": Counter(int(p.get("tier", 1)) for p in profiles),
        "loyalty": Counter(p.get("loyalty", "occasional") for p in profiles),
    }


def shown(stack: Stack) -> dict[str, Any]:
    body = stack.http.get("/v1/admin/segments", headers=ADMIN).json_body
    segments = Counter({e["segment"]: e["customers"] for e in body["segments"]})
    segments["none"] = body["unsegmented"]
    return {
        "total": body["total"],
        "segments": +segments,
        "tiers": +Counter({e["tier"]: e["customers"] for e in body["tiers"]}),
        "loyalty": +Counter({e["loyalty"]: e["customers"] for e in body["loyalty"]}),
    }


def replay_customers_stream(stack: Stack) -> int:
    """Deliver every customers-stream record again, from the start of the stream."""
    from local.pump import drain, pumps_for_app

    again = [
        p for p in pumps_for_app(stack.app, stack.session, stack.env) if p.name == "on_customer"
    ]
    return drain(again)


def test_counts_equal_an_independent_count_after_orders_refunds_nights_and_erasure(
    stack: Stack,
) -> None:
    for cid in [*TOTALS, "c-6"]:
        signup(stack, cid)
    stack.pump()
    assert shown(stack) == independent_count(stack)
    assert shown(stack)["total"] == 6 and shown(stack)["tiers"] == {1: 6}
    for n, (cid, total) in enumerate(TOTALS.items()):
        paid_order(stack, f"o-{n}", cid, total, days_ago=40 + n * 30)
        if n % 2:
            paid_order(stack, f"o-{n}b", cid, total // 2, days_ago=5)
    stack.pump()
    counted = shown(stack)
    assert counted == independent_count(stack) and len(counted["tiers"]) >= 3
    delivered_and_refunded(stack, "o-3")  # c-4's big order: a tier down
    stack.pump()
    assert shown(stack) == independent_count(stack)
    run_job(stack, "customer-value")
    stack.pump()
    after_night = shown(stack)
    assert after_night == independent_count(stack) and after_night["segments"]["none"] == 1
    assert stack.http.delete("/v1/admin/customers/c-2", headers=ADMIN).status_code == 200
    stack.pump()
    assert shown(stack) == independent_count(stack) and shown(stack)["total"] == 5
    assert replay_customers_stream(stack) > 10
    assert shown(stack) == independent_count(stack)


def test_the_counts_need_an_admin_or_viewer_key(stack: Stack) -> None:
    assert stack.http.get("/v1/admin/segments").status_code == 401
    assert stack.http.get("/v1/admin/segments", headers=STORE).status_code == 403
