"""Replenishment: a reminder once the reorder interval of a product has passed.

Per customer and sku, a :class:`Replenishable` keeps the recent purchases of the sku
(order id and UTC day). Its reorder interval is the customer's own median interval once
they bought it on :data:`MIN_OWN_PURCHASES` different days, otherwise the store's setting
for the sku, otherwise the one for its category; a sku with none of them is tracked (so
the customer's own rhythm can be learned) but never due. The due day is the last
purchase's day plus the interval; buying again moves it, a cancelled or refunded order
takes its purchase out again. One reminder per purchase: its key names the purchase's
order (``replenishment#<sku>#<order_id>``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from statistics import median
from typing import Any

from chalicelib.domain.messages import Message, non_transactional
from chalicelib.domain.profile import Profile

REPLENISHMENT_TEMPLATE = "replenishment"
MIN_OWN_PURCHASES = 3
KEPT_PURCHASES = 12
"""The purchases kept per sku (the median of the recent rhythm, bounded storage)."""
OWN, STORE = "own", "store"


@dataclass(frozen=True)
class Purchase:
    """One order's purchase of the sku."""

    order_id: str
    day: date
    quantity: int = 1


@dataclass(frozen=True)
class Interval:
    """A reorder interval and where it comes from (``own`` rhythm or the ``store``)."""

    days: int
    basis: str


@dataclass(frozen=True)
class Replenishable:
    """A sku a customer bought, with the recent purchases (oldest first)."""

    customer_id: str
    sku: str
    name: str
    category: str | None
    purchases: tuple[Purchase, ...] = ()
    revision: int = 0

    @property
    def last(self) -> Purchase | None:
        """The latest purchase (the one a reminder is about)."""
        return self.purchases[-1] if self.purchases else None

    def with_purchase(self, purchase: Purchase, name: str) -> Replenishable | None:
        """The purchase added (``None`` when that order was already counted)."""
        if any(p.order_id == purchase.order_id for p in self.purchases):
            return None
        ordered = sorted((*self.purchases, purchase), key=lambda p: (p.day, p.order_id))
        return replace(self, name=name or self.name, purchases=tuple(ordered[-KEPT_PURCHASES:]))

    def without_order(self, order_id: str, returned: int | None = None) -> Replenishable | None:
        """The order's purchase taken out (all of it, or when ``returned`` units cover
        what it bought); ``None`` when nothing changes."""
        kept = tuple(
            p
            for p in self.purchases
            if p.order_id != order_id or (returned is not None and returned < p.quantity)
        )
        return None if len(kept) == len(self.purchases) else replace(self, purchases=kept)


def median_interval(days: list[date]) -> int | None:
    """The median days between purchases on different days, once there are
    :data:`MIN_OWN_PURCHASES` of them (``None`` before)."""
    distinct = sorted(set(days))
    if len(distinct) < MIN_OWN_PURCHASES:
        return None
    gaps = [(later - earlier).days for earlier, later in zip(distinct, distinct[1:], strict=False)]
    return max(1, round(median(gaps)))


def interval_for(
    item: Replenishable, skus: dict[str, int], categories: dict[str, int]
) -> Interval | None:
    """The reorder interval of ``item``: the customer's own, else the sku's, else the
    category's setting; ``None`` when the sku is not replenishable for this customer."""
    own = median_interval([p.day for p in item.purchases])
    if own is not None:
        return Interval(own, OWN)
    if item.sku in skus:
        return Interval(skus[item.sku], STORE)
    if item.category is not None and item.category in categories:
        return Interval(categories[item.category], STORE)
    return None


def due_day(item: Replenishable, interval: Interval | None) -> date | None:
    """The day the reminder is due (``None``: nothing bought, or no interval)."""
    last = item.last
    if last is None or interval is None:
        return None
    return last.day + timedelta(days=interval.days)


def days_to_query(last_run: date | None, as_of: date, catch_up: int) -> list[date]:
    """The due days a run for ``as_of`` reads: every day after the last run up to
    ``as_of`` (at most ``catch_up`` days); a run for a day already covered (a rerun, a
    backfill) reads just that day."""
    earliest = as_of - timedelta(days=catch_up - 1)
    if last_run is None:
        start = earliest
    elif last_run >= as_of:
        start = as_of
    else:
        start = max(last_run + timedelta(days=1), earliest)
    return [start + timedelta(days=n) for n in range((as_of - start).days + 1)]


def reminder_key(item: Replenishable, purchase: Purchase) -> str:
    """The dedup key of the reminder about ``purchase``: one per purchase."""
    return f"replenishment#{item.sku}#{purchase.order_id}"


def reminder(
    profile: Profile, item: Replenishable, interval: Interval, created_at: str
) -> Message | None:
    """The reminder about the last purchase of ``item`` (``None`` without one)."""
    last = item.last
    if last is None:
        return None
    context: dict[str, Any] = {
        "sku": item.sku,
        "product": item.name,
        "purchased_day": last.day.isoformat(),
        "interval_days": interval.days,
        "basis": interval.basis,
        "purchases": len(item.purchases),
    }
    return non_transactional(
        profile, reminder_key(item, last), REPLENISHMENT_TEMPLATE, created_at, context
    )
