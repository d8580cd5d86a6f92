"""Synthetic shop history for the import benchmarks and tests: a JSON Lines customers
file and an orders file (1 to 3 lines an order, a seeded random mix of statuses), as a
store would upload them. :mod:`bench.import_stack` imports them through the local stack,
:mod:`bench.import_memory` without AWS.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

START = datetime(2023, 12, 1, tzinfo=UTC)


def customers_file(customers: int) -> bytes:
    rows = (
        {"customer_id": f"c-{n:06d}", "email": f"c{n}@example.com", "name": f"Customer {n}"}
        for n in range(customers)
    )
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def orders_file(customers: int, orders: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = []
    for n in range(orders):
        items = [
            {"sku": f"SKU-{rng.randint(1, 300)}", "name": "Tea", "category": "tea",
             "quantity": rng.randint(1, 3), "unit_price": rng.randint(10, 400) * 100}
            for _ in range(rng.randint(1, 3))
        ]  # fmt: skip
        placed = START + timedelta(minutes=rng.randint(0, 1_050_000))
        row = {
            "order_id": f"o-{n:07d}",
            "customer_id": f"c-{rng.randrange(customers):06d}",
            "placed_at": placed.isoformat(),
            "currency": "CNY",
            "lines": items,
            "total": sum(i["quantity"] * i["unit_price"] for i in items),
            "payment_method": "card",
            "status": rng.choice(("paid", "paid", "fulfilled", "placed", "refunded")),
        }
        lines.append(json.dumps(row))
    return ("\n".join(lines) + "\n").encode()
