"""Erasure and export of one customer with 20 orders, 5 parcels and 30 messages.

The customer is built through the real API and streams (signup, orders, parcels with
signed carrier scans), topped up to 30 messages through the outbox; then one erasure's
AWS calls are counted by operation and one export is timed (median of a few runs, before
the erasure).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.api_calls import count_calls

STORE = {"Authorization": "Bearer dev-store-key", "Content-Type": "application/json"}
ADMIN = {"Authorization": "Bearer dev-admin-key", "Content-Type": "application/json"}
ORDERS, PARCELS, MESSAGES = 20, 5, 30
CUSTOMER = "bench-privacy"
CARRIER_SECRET = b"dev-carrier-secret"  # the local stack's (infra/provision.py)


def _signed(raw: bytes) -> str:
    stamp = int(time.time())
    mac = hmac.new(CARRIER_SECRET, f"{stamp}.".encode() + raw, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def _order(i: int) -> dict[str, Any]:
    line = {"sku": f"S{i}", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 5000}
    placed = (datetime.now(UTC) - timedelta(days=40 - i)).isoformat()
    return {
        "order_id": f"bp-{i}",
        "customer_id": CUSTOMER,
        "placed_at": placed,
        "currency": "CNY",
        "lines": [line],
        "total": 5000,
        "payment_method": "card",
    }


def _parcel(client: Any, i: int) -> None:
    number = f"BP{i:010d}"
    body = {"tracking_number": number, "carrier": "fedex", "order_id": f"bp-{i}"}
    assert (
        client.http.post("/v1/shipments", headers=STORE, body=json.dumps(body)).status_code == 201
    )
    at = datetime.now(UTC) - timedelta(days=2)
    events = [
        {"event_id": f"{number}-{n}", "tracking_number": number, "status": status,
         "occurred_at": (at + timedelta(hours=n)).isoformat()}
        for n, status in enumerate(("info_received", "delivered"))
    ]  # fmt: skip
    raw = json.dumps({"events": events}).encode()
    headers = {"Content-Type": "application/json", "X-Rapport-Signature": _signed(raw)}
    assert client.http.post("/v1/carrier-events", headers=headers, body=raw).status_code == 200


def _top_up_messages() -> None:
    from chalicelib import bootstrap
    from chalicelib.domain.messages import SENT, Message
    from chalicelib.domain.times import iso

    deps = bootstrap.container()
    profile = deps.customers.get(CUSTOMER)
    assert profile is not None
    have = len(deps.erasure.store.messages(CUSTOMER))
    for n in range(MESSAGES - have):
        message = Message.transactional(
            profile, f"bench#{n}", "welcome", iso(deps.clock.now()), None, None
        )
        deps.outbox.enqueue(message.__class__(**{**message.__dict__, "status": SENT}))


def _customer(client: Any, pump: Callable[[], int]) -> None:
    body = {"customer_id": CUSTOMER, "email": "privacy@example.com", "name": "Bench Person"}
    assert client.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201
    for i in range(ORDERS):
        response = client.http.post("/v1/orders", headers=STORE, body=json.dumps(_order(i)))
        assert response.status_code == 201, response.body
        paid = json.dumps({"status": "paid"})
        client.http.patch(f"/v1/orders/bp-{i}", headers=STORE, body=paid)
    pump()
    for i in range(PARCELS):
        _parcel(client, i)
    pump()
    _top_up_messages()
    pump()


def figures() -> list[tuple[str, str, str]]:
    """Rows for the bench table: export time, erasure's AWS calls by operation."""
    timings: list[float] = []
    held: list[int] = []

    def run(client: Any, pump: Callable[[], int], calls: Counter[str]) -> int:
        _customer(client, pump)
        for _ in range(5):
            start = time.perf_counter()
            response = client.http.get(f"/v1/admin/customers/{CUSTOMER}/export", headers=ADMIN)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, response.body
            held.append(len(response.json_body["messages"]))
        calls.clear()
        response = client.http.delete(f"/v1/admin/customers/{CUSTOMER}", headers=ADMIN)
        assert response.status_code == 200, response.body
        return 1

    calls, _ = count_calls(run)
    label = f"{ORDERS} orders, {PARCELS} parcels, {held[0]} messages"
    rows = [
        (
            f"export of one customer ({label}) p50 (ms)",
            f"{statistics.median(timings) * 1000:.0f}",
            "",
        ),
        (f"AWS API calls for one erasure ({label})", f"{sum(calls.values())}", ""),
    ]
    rows.extend((f"  {operation}", f"{count}", "") for operation, count in sorted(calls.items()))
    return rows


if __name__ == "__main__":
    for row in figures():
        print(row)
