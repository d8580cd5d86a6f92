"""Keep each customer's replenishable purchases as the orders stream tells them.

Per (customer, sku): the recent purchases, the reorder interval and the due day, which
the due-day index lists for the daily ``replenishment`` job
(:mod:`chalicelib.services.replenishment_job`). Each order change is applied once: a
purchase is keyed by its order, so a redelivered record changes nothing, and an order
cancelled or refunded (or a sku of it sent back for a refund) takes its purchase out,
so no reminder is sent about something the customer no longer has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Protocol

from chalicelib.domain.orders import CANCELLED, REFUNDED, Order
from chalicelib.domain.replenishment import Purchase, Replenishable, due_day, interval_for
from chalicelib.domain.returns import REFUND, StoredReturn
from chalicelib.services.exceptions import StaleWrite
from chalicelib.services.ports import (
    Clock,
    Outbox,
    ProfileReader,
    Retrier,
    SettingsStore,
    StoredOrder,
)
from chalicelib.services.retry import retry_throttled

ATTEMPTS = 5


class ReplenishmentStore(Protocol):
    """Per customer and sku, the purchases; the due-day index."""

    def get(self, customer_id: str, sku: str) -> Replenishable | None:
        """The stored purchases of ``sku`` (consistent read), or ``None``."""
        ...

    def save(self, item: Replenishable, due: date | None, interval_days: int | None) -> None:
        """Store ``item`` if its stored revision is still ``item.revision`` (then one
        more); raises ``StaleWrite`` when another change came first."""
        ...

    def due_on(self, day: date, retry: Retrier) -> Iterator[tuple[str, str]]:
        """``(customer_id, sku)`` of every item due on ``day`` (a Query of the index)."""
        ...


@dataclass(frozen=True)
class ReplenishmentDeps:
    """What the replenishment use cases need."""

    store: ReplenishmentStore
    settings: SettingsStore
    outbox: Outbox
    profiles: ProfileReader
    clock: Clock


def _skus(order: Order) -> dict[str, tuple[str, str, int]]:
    """The order's skus: name, category and units bought (lines of one sku summed)."""
    skus: dict[str, tuple[str, str, int]] = {}
    for line in order.lines:
        units = skus.get(line.sku, ("", "", 0))[2] + line.quantity
        skus[line.sku] = (line.name, line.category, units)
    return skus


def _apply(
    deps: ReplenishmentDeps,
    customer_id: str,
    sku: str,
    change: Callable[[Replenishable], Replenishable | None],
    blank: Replenishable | None,
) -> bool:
    """Apply ``change`` to the stored item (or ``blank``), re-reading on a conflict."""
    for _ in range(ATTEMPTS):
        current = retry_throttled(lambda: deps.store.get(customer_id, sku)) or blank  # noqa: B023
        changed = change(current) if current is not None else None
        if changed is None:
            return False
        settings = retry_throttled(deps.settings.store)
        interval = interval_for(
            changed, settings.replenishment_skus, settings.replenishment_categories
        )
        try:
            due, days = due_day(changed, interval), interval.days if interval else None
            retry_throttled(lambda: deps.store.save(changed, due, days))  # noqa: B023
        except StaleWrite:
            continue
        return True
    raise StaleWrite()


def purchases_placed(order: Order, deps: ReplenishmentDeps) -> int:
    """Record the order's purchase of each of its skus; returns how many changed."""
    day = order.placed_at.date()  # the day as the store recorded it (its offset)
    changed = 0
    for sku, (name, category, units) in _skus(order).items():
        purchase = Purchase(order.order_id, day, units)
        blank = Replenishable(order.customer_id, sku, name, category or None)
        add = partial(Replenishable.with_purchase, purchase=purchase, name=name)
        changed += _apply(deps, order.customer_id, sku, add, blank)
    return changed


def purchases_taken_back(
    customer_id: str, order_id: str, skus: Iterable[tuple[str, int | None]], deps: ReplenishmentDeps
) -> int:
    """Take the order's purchases of ``skus`` out (``(sku, units returned or None for
    the whole order)``); returns how many changed."""
    changed = 0
    for sku, units in skus:
        take = partial(Replenishable.without_order, order_id=order_id, returned=units)
        changed += _apply(deps, customer_id, sku, take, None)
    return changed


def on_order(old: StoredOrder | None, new: StoredOrder, deps: ReplenishmentDeps) -> int:
    """One change of an order: placed (not cancelled), or cancelled or refunded."""
    order = new.order
    if old is None:
        return 0 if new.status in (CANCELLED, REFUNDED) else purchases_placed(order, deps)
    if new.status in (CANCELLED, REFUNDED) and old.status != new.status:
        skus = [(sku, None) for sku in _skus(order)]
        return purchases_taken_back(order.customer_id, order.order_id, skus, deps)
    return 0


def on_return(customer_id: str, returned: StoredReturn, deps: ReplenishmentDeps) -> int:
    """A return for a refund takes back the purchase of each sku it sends back whole."""
    request = returned.request
    if request.kind != REFUND:
        return 0  # an exchange: the customer keeps the product
    units: dict[str, int] = {}
    for line in request.lines:
        units[line.sku] = units.get(line.sku, 0) + line.quantity
    return purchases_taken_back(customer_id, request.order_id, units.items(), deps)
