"""An order's purchases as its count folds them: the split at the transaction's room and
the replenishable items each sku leaves."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.domain.order_purchases import FOLDED_SKUS, replenish_writes, skus, split
from chalicelib.domain.orders import Order, parse_order
from chalicelib.domain.replenishment import Purchase, Replenishable


def an_order(lines: list[tuple[str, int]], order_id: str = "o-1") -> Order:
    body: list[dict[str, Any]] = [
        {"sku": sku, "name": f"{sku} name", "category": "tea", "quantity": qty, "unit_price": 100}
        for sku, qty in lines
    ]
    return parse_order(
        {
            "order_id": order_id,
            "customer_id": "c-1",
            "placed_at": "2026-11-01T23:30:00+08:00",
            "currency": "CNY",
            "lines": body,
            "total": sum(line["quantity"] * 100 for line in body),
            "payment_method": "card",
        },
        bounds=None,
    )


def test_an_order_within_the_room_is_folded_whole() -> None:
    order = an_order([("A", 1), ("B", 2), ("A", 1)])
    folded, rest = split(order)
    assert folded == order and rest is None


def test_the_skus_past_the_room_are_left_for_after_the_count_with_all_their_lines() -> None:
    lines = [(f"S{n}", 1) for n in range(60)] + [("S0", 2), ("S59", 3)]
    folded, rest = split(an_order(lines))
    assert skus(folded) == [f"S{n}" for n in range(FOLDED_SKUS)]
    assert rest is not None and skus(rest) == [f"S{n}" for n in range(FOLDED_SKUS, 60)]
    assert sum(line.quantity for line in folded.lines if line.sku == "S0") == 3
    assert sum(line.quantity for line in rest.lines if line.sku == "S59") == 4
    assert 2 * FOLDED_SKUS + 10 <= 100  # the count's own actions fit beside them


def test_each_sku_adds_the_purchase_on_the_stores_day_with_its_units_and_due_day() -> None:
    order = an_order([("A", 1), ("A", 2), ("B", 1)])
    earlier = Replenishable("c-1", "A", "A name", "tea", (Purchase("o-0", date(2026, 10, 1)),), 4)
    writes = {w.item.sku: w for w in replenish_writes(order, {"A": earlier}, {"A": 20}, {})}
    assert writes["A"].item.purchases[-1] == Purchase("o-1", date(2026, 11, 1), 3)
    assert writes["A"].item.revision == 4  # written back on the revision read
    assert (writes["A"].due, writes["A"].interval_days) == (date(2026, 11, 21), 20)
    assert (writes["B"].due, writes["B"].interval_days) == (None, None)  # tracked, never due


def test_a_sku_that_counts_the_order_already_is_left_out() -> None:
    order = an_order([("A", 1)])
    counted = Replenishable("c-1", "A", "A name", "tea", (Purchase("o-1", date(2026, 11, 1)),), 1)
    assert replenish_writes(order, {"A": counted}, {}, {"tea": 30}) == ()
