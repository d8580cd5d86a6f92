"""An imported customer's purchases, folded per sku for the import's own batches.

The live orders stream writes an order's purchases with its count
(:mod:`chalicelib.domain.order_purchases`). History is written by the import instead, in
the transactions that fold each customer, so the stream does nothing per historical
order: a purchase item (the ``sku-buyers`` index) per sku of every imported order still
bought (not cancelled or refunded), and per sku one replenishable item holding the
history's purchases (the latest matters). History is not news: a reminder that would
already have been due on or before the import day is not listed for the job (no due
day), so the import mails nobody about an old purchase; the next purchase of the sku
sets a due day again. A sku with no reorder interval (no setting, no own rhythm in the
history) gets no item from the import unless the customer already has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from chalicelib.domain.import_rows import ImportedOrder
from chalicelib.domain.order_purchases import ReplenishWrite
from chalicelib.domain.orders import CANCELLED, REFUNDED, Order
from chalicelib.domain.replenishment import Purchase, Replenishable, due_day, interval_for

MAX_REPLENISHABLE = 98
"""Replenishable items per customer an import writes (with the profile and the marker,
a transaction's 100 actions): the skus bought last."""


@dataclass(frozen=True)
class HistoryPurchases:
    """What an imported history adds: the orders still bought (one purchase item per
    sku each) and the replenishable items."""

    orders: tuple[Order, ...]
    replenish: tuple[ReplenishWrite, ...]


def _with_history(
    customer_id: str, bought: Sequence[ImportedOrder], found: dict[str, Replenishable]
) -> dict[str, Replenishable]:
    """Each sku's item with the history's purchases added (only the skus that changed)."""
    items: dict[str, Replenishable] = {}
    for imported in sorted(bought, key=lambda h: (h.order.placed_at, h.order.order_id)):
        order = imported.order
        units: dict[str, tuple[str, str, int]] = {}
        for line in order.lines:
            quantity = units.get(line.sku, ("", "", 0))[2] + line.quantity
            units[line.sku] = (line.name, line.category, quantity)
        for sku, (name, category, quantity) in units.items():
            blank = Replenishable(customer_id, sku, name, category or None)
            current = items.get(sku) or found.get(sku) or blank
            purchase = Purchase(order.order_id, order.placed_at.date(), quantity)
            changed = current.with_purchase(purchase, name)
            if changed is not None:
                items[sku] = changed
    return items


def history_purchases(
    customer_id: str,
    history: Sequence[ImportedOrder],
    found: dict[str, Replenishable],
    intervals: tuple[dict[str, int], dict[str, int]],
    today: date,
) -> HistoryPurchases:
    """The purchases of ``history`` (``found``: the customer's stored items of its skus;
    ``intervals``: the store's reorder days by sku and by category)."""
    bought = [h for h in history if h.status not in (CANCELLED, REFUNDED)]
    writes: list[ReplenishWrite] = []
    for sku, item in _with_history(customer_id, bought, found).items():
        interval = interval_for(item, *intervals)
        if interval is None and sku not in found:
            continue  # never due, and nothing stored to keep up to date
        due = due_day(item, interval)
        listed = due if due is not None and due > today else None
        writes.append(ReplenishWrite(item, listed, interval.days if interval else None))
    writes.sort(key=lambda w: w.item.last.day if w.item.last else date.min, reverse=True)
    return HistoryPurchases(tuple(h.order for h in bought), tuple(writes[:MAX_REPLENISHABLE]))
