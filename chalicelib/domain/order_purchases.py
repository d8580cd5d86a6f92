"""What an order's placement writes with its ``counted`` fact, in the same transaction.

The orders stream counts a placed order in one transaction (the marker, the profile,
the mail, the day's counters). The order's purchases ride in it: per sku, the purchase
item of the ``sku-buyers`` index and the customer's replenishable item, so they are
written exactly when the order is counted (a redelivery is refused by the marker, a
cancelled order's withdrawal comes after its count). A DynamoDB transaction takes at
most 100 actions, so an order folds its first :data:`FOLDED_SKUS` skus (two actions
each, beside at most ten of the fact's own); the rest are written after the fact, each
write idempotent on its own (see :func:`split`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from chalicelib.domain.orders import Order
from chalicelib.domain.replenishment import Replenishable

FOLDED_SKUS = 45
"""The skus of an order written in its counted transaction (2 actions each: 90 of 100)."""


@dataclass(frozen=True)
class ReplenishWrite:
    """A replenishable item as the fact leaves it (``item.revision`` is the one read)."""

    item: Replenishable
    due: date | None
    interval_days: int | None


@dataclass(frozen=True)
class PlacedPurchases:
    """The order's folded skus (``order`` keeps only their lines) and their
    replenishable items."""

    order: Order
    replenish: tuple[ReplenishWrite, ...]


def skus(order: Order) -> list[str]:
    """The order's distinct skus, in line order."""
    return list(dict.fromkeys(line.sku for line in order.lines))


def split(order: Order) -> tuple[Order, Order | None]:
    """The order with only its folded skus' lines, and with only the rest (``None``
    when every sku is folded)."""
    folded = set(skus(order)[:FOLDED_SKUS])
    inside = tuple(line for line in order.lines if line.sku in folded)
    outside = tuple(line for line in order.lines if line.sku not in folded)
    rest = replace(order, lines=outside) if outside else None
    return replace(order, lines=inside), rest


def replenish_writes(
    order: Order,
    found: dict[str, Replenishable],
    sku_days: dict[str, int],
    category_days: dict[str, int],
) -> tuple[ReplenishWrite, ...]:
    """Each sku's replenishable item (``found``, or a new one) with the order's
    purchase added, its interval and due day; a sku that already counts the order is
    left out."""
    from chalicelib.domain.replenishment import Purchase, due_day, interval_for

    day = order.placed_at.date()  # the day as the store recorded it (its offset)
    bought: dict[str, tuple[str, str, int]] = {}
    for line in order.lines:
        units = bought.get(line.sku, ("", "", 0))[2] + line.quantity
        bought[line.sku] = (line.name, line.category, units)
    writes = []
    for sku, (name, category, units) in bought.items():
        current = found.get(sku) or Replenishable(order.customer_id, sku, name, category or None)
        changed = current.with_purchase(Purchase(order.order_id, day, units), name)
        if changed is None:
            continue
        interval = interval_for(changed, sku_days, category_days)
        days = interval.days if interval else None
        writes.append(ReplenishWrite(changed, due_day(changed, interval), days))
    return tuple(writes)
