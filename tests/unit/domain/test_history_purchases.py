"""An imported history's purchases folded per sku: only what is still bought, the
stored item merged, old reminders not listed."""

from __future__ import annotations

from datetime import date

from chalicelib.domain.history_purchases import MAX_REPLENISHABLE, history_purchases
from chalicelib.domain.import_rows import ImportedOrder
from chalicelib.domain.orders import parse_order
from chalicelib.domain.replenishment import Purchase, Replenishable

TODAY = date(2026, 12, 2)
TEA = ({}, {"tea": 30})


def imported(order_id: str, day: str, status: str = "paid", *skus: str) -> ImportedOrder:
    lines = [
        {"sku": sku, "name": f"{sku} tea", "category": "tea", "quantity": 1, "unit_price": 100}
        for sku in (skus or ("A",))
    ]
    order = parse_order(
        {
            "order_id": order_id,
            "customer_id": "c-1",
            "placed_at": f"{day}T10:00:00Z",
            "currency": "CNY",
            "lines": lines,
            "total": 100 * len(lines),
            "payment_method": "card",
        },
        bounds=None,
    )
    return ImportedOrder(1, order, status, None)


def test_only_orders_still_bought_give_purchase_items_and_the_latest_sets_the_due_day() -> None:
    history = [
        imported("o-1", "2026-10-01"),
        imported("o-2", "2026-11-20"),
        imported("o-3", "2026-11-25", "refunded"),
    ]
    bought = history_purchases("c-1", history, {}, TEA, TODAY)
    assert [o.order_id for o in bought.orders] == ["o-1", "o-2"]
    [write] = bought.replenish
    assert [p.order_id for p in write.item.purchases] == ["o-1", "o-2"]
    assert (write.due, write.interval_days) == (date(2026, 12, 20), 30)


def test_a_reminder_already_due_by_the_import_day_is_not_listed() -> None:
    for day in ("2026-11-02", "2026-10-01"):  # due on the import day, or long ago
        [write] = history_purchases("c-1", [imported("o-1", day)], {}, TEA, TODAY).replenish
        assert write.due is None and write.interval_days == 30


def test_the_stored_item_is_merged_on_its_revision_and_a_repeat_changes_nothing() -> None:
    stored = Replenishable("c-1", "A", "A tea", "tea", (Purchase("o-live", date(2026, 11, 28)),), 3)
    bought = history_purchases("c-1", [imported("o-1", "2026-09-01")], {"A": stored}, TEA, TODAY)
    [write] = bought.replenish
    assert [p.order_id for p in write.item.purchases] == ["o-1", "o-live"]
    assert write.item.revision == 3 and write.due == date(2026, 12, 28)
    again = history_purchases("c-1", [imported("o-1", "2026-09-01")], {"A": write.item}, TEA, TODAY)
    assert again.replenish == ()


def test_a_sku_never_due_gets_no_item_and_at_most_98_are_kept() -> None:
    assert (
        history_purchases("c-1", [imported("o-1", "2026-11-30")], {}, ({}, {}), TODAY).replenish
        == ()
    )
    many = [
        imported(f"o-{n}", f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}", "paid", f"S{n}")
        for n in range(120)
    ]
    kept = history_purchases("c-1", many, {}, TEA, TODAY).replenish
    assert len(kept) == MAX_REPLENISHABLE
    assert {w.item.sku for w in kept} == {f"S{n}" for n in range(120 - MAX_REPLENISHABLE, 120)}
