"""Shipment figures for ``make bench``: AWS API calls per scan end to end, fold speed.

``figures()`` returns ``(name, value, target)`` rows.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

SCANS = 40
SECRET = b"dev-carrier-secret"


def _scan_statuses(n: int) -> list[str]:
    middle = ["in_transit"] * (n - 4)
    return ["info_received", *middle, "out_for_delivery", "attempt_failed", "delivered"][:n]


def calls_per_scan(n: int = SCANS) -> tuple[Counter[str], int]:
    """Post ``n`` scans, one webhook call each, pumping after each; count the app's calls.

    The signup, the order and the parcel are set up first and not counted.
    """
    from bench.api_calls import count_calls
    from chalicelib.api.carrier_signature import sign

    def run(client: Any, pump: Callable[[], int], calls: Counter[str]) -> int:
        store = {"Authorization": "Bearer dev-store-key", "Content-Type": "application/json"}
        signup = {"customer_id": "b-1", "email": "b1@example.com", "consents": {"surveys": True}}
        order = {
            "order_id": "o-b",
            "customer_id": "b-1",
            "placed_at": "2026-11-19T10:00:00Z",
            "currency": "CNY",
            "payment_method": "card",
            "total": 5000,
            "lines": [
                {"sku": "S1", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 5000}
            ],
        }
        parcel = {"tracking_number": "BENCH001", "carrier": "rapport", "order_id": "o-b"}
        for path, body in (
            ("/v1/signups", signup),
            ("/v1/orders", order),
            ("/v1/shipments", parcel),
        ):
            response = client.http.post(path, headers=store, body=json.dumps(body))
            assert response.status_code == 201, response.body
        pump()
        calls.clear()
        start = datetime(2026, 11, 20, tzinfo=UTC)
        for i, status in enumerate(_scan_statuses(n)):
            event = {
                "event_id": f"e-{i}",
                "tracking_number": "BENCH001",
                "status": status,
                "occurred_at": (start + timedelta(hours=i)).isoformat(),
            }
            raw = json.dumps({"events": [event]}).encode()
            signature = sign(SECRET, raw, int(time.time()))
            headers = {"Content-Type": "application/json", "X-Rapport-Signature": signature}
            response = client.http.post("/v1/carrier-events", headers=headers, body=raw)
            assert response.status_code == 200, response.body
            pump()
        return n

    return count_calls(run)


def folds_per_second(scans: int = 200, seconds: float = 1.0) -> float:
    """Scans folded per second, folding a parcel of ``scans`` scans (shuffled) repeatedly."""
    import random

    from chalicelib.domain.tracking import Scan, fold

    start = datetime(2026, 11, 1, tzinfo=UTC)
    statuses = _scan_statuses(scans)
    parcel = [
        Scan(f"e-{i}", "BENCH", status, start + timedelta(minutes=17 * i), "Hub", "Scan")
        for i, status in enumerate(statuses)
    ]
    random.Random(1).shuffle(parcel)
    folded = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        fold(parcel)
        folded += scans
    return folded / (time.perf_counter() - began)


def figures() -> list[tuple[str, str, str]]:
    """Rows for the bench table."""
    calls, n = calls_per_scan()
    rows = [("AWS API calls per scan, end to end", f"{sum(calls.values()) / n:.2f}", "<= 6")]
    rows += [(f"  {op}", f"{count / n:.2f}", "") for op, count in sorted(calls.items())]
    rows.append(
        ("scans folded per s (parcel of 200 scans)", f"{folds_per_second():,.0f}", ">= 20,000")
    )
    return rows


if __name__ == "__main__":
    for row in figures():
        print(f"| {row[0]:<46} | {row[1]:>14} | {row[2]:<12} |")
