"""Orders under duplicated deliveries and throttling: the aggregates equal what the
orders themselves say.

500 orders over 50 customers, about 2.5 minutes on moto with the item-level
transaction rollback (:mod:`local.moto_transactions`); ``RAPPORT_TEST_ORDERS`` and
``RAPPORT_TEST_CUSTOMERS`` make a quicker run while working on the order path.
"""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict

import pytest

from chalicelib import bootstrap
from local.pump import drain
from tests.functional.conftest import STORE, Stack, under_faults

CUSTOMERS = int(os.environ.get("RAPPORT_TEST_CUSTOMERS", "50"))
ORDERS = int(os.environ.get("RAPPORT_TEST_ORDERS", "500"))


def send(stack: Stack, method: str, path: str, body: dict[str, object]) -> int:
    for _ in range(40):  # a store retries 503 (throttled) answers
        call = getattr(stack.http, method)
        status = call(path, headers=STORE, body=json.dumps(body)).status_code
        if status != 503:
            return status
    raise AssertionError("still throttled after 40 tries")


def test_aggregates_match_the_orders_under_faults(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    pumps = under_faults(stack, monkeypatch, "duplicate=0.5,ddb_throttle=0.2", "11")
    rng = random.Random(5)
    for n in range(CUSTOMERS):
        assert send(
            stack, "post", "/v1/signups", {"customer_id": f"c-{n}", "email": f"c{n}@example.com"}
        ) in (200, 201)
    expected: dict[str, dict[str, int]] = defaultdict(
        lambda: {"orders": 0, "spent": 0, "returns": 0}
    )
    for n in range(ORDERS):
        cid = f"c-{rng.randrange(CUSTOMERS)}"
        price = rng.randrange(100, 20_000)
        quantity = rng.randrange(1, 4)
        body = {
            "order_id": f"o-{n}",
            "customer_id": cid,
            "placed_at": f"2026-{rng.randrange(1, 12):02d}-{rng.randrange(1, 28):02d}T12:00:00Z",
            "currency": "CNY",
            "payment_method": "card",
            "total": price * quantity,
            "lines": [
                {
                    "sku": f"S{rng.randrange(30)}",
                    "name": "Thing",
                    "category": "things",
                    "quantity": quantity,
                    "unit_price": price,
                }
            ],
        }
        assert send(stack, "post", "/v1/orders", body) in (200, 201)
        fate = rng.random()
        if fate < 0.1:
            assert send(stack, "patch", f"/v1/orders/o-{n}", {"status": "cancelled"}) == 200
        else:
            expected[cid]["orders"] += 1
            expected[cid]["spent"] += price * quantity
            if fate < 0.15:
                assert send(stack, "patch", f"/v1/orders/o-{n}", {"status": "paid"}) == 200
                assert send(stack, "patch", f"/v1/orders/o-{n}", {"status": "refunded"}) == 200
                expected[cid]["orders"] -= 1
                expected[cid]["spent"] -= price * quantity
                expected[cid]["returns"] += 1
        if n % 50 == 49:
            drain(pumps)
    for _ in range(10):
        drain(pumps)
    plan = bootstrap.container().faults
    assert plan.injected.get("ddb_throttle", 0) > 0
    assert sum(p.stats.duplicates for p in pumps) > 0
    assert all(p.stats.dead_letters == [] for p in pumps)
    monkeypatch.delenv("RAPPORT_FAULTS")
    bootstrap.reset(bootstrap.Container(session=stack.session))  # read without faults
    for n in range(CUSTOMERS):
        cid = f"c-{n}"
        body = stack.http.get(f"/v1/customers/{cid}", headers=STORE).json_body
        assert "stats" in body, body
        stats = body["stats"]
        want = expected[cid]
        assert (stats["orders"], stats["spent"], stats["returns"]) == (
            want["orders"],
            want["spent"],
            want["returns"],
        ), cid
