"""Per-customer order aggregates: the ``stats`` block of the profile summary.

:class:`CustomerStats` holds ``orders``, ``spent``, ``currency``, ``first_order_at``,
``last_order_at``, ``average_order_value`` and ``returns``. Only orders that count (see
:func:`chalicelib.domain.orders.counts_toward_stats`) are in it.

Design
------
Stats are updated incrementally, once per fact, and can always be rebuilt:

* :func:`apply_order` adds a newly placed order. Counts and sums add up; the first and last
  order dates are a ``min``/``max``, so applying orders in any order gives the same result.
* :func:`reverse_order` removes an order that was cancelled or refunded. Counts and sums
  subtract, but a ``min``/``max`` cannot be undone from the aggregate alone: when the
  reversed order is the first or the last one, the new edge is the earliest or latest of the
  customer's *remaining* counted orders. The service passes their ``placed_at`` values
  (``remaining_order_dates``, read from the orders-by-customer index, excluding the reversed
  order); when the reversed order is strictly inside the range they are not needed.
* :func:`recompute` rebuilds the stats from the full list of counted orders (backfills,
  repair jobs). ``apply_order``/``reverse_order`` always agree with it.

Exactly-once is the service's job (a conditional per-order marker in the same transaction);
these functions are pure and assume each fact is applied once. ``returns`` counts refunded
orders; a cancellation reverses the order without counting a return.

A customer's stats are in one currency: the currency of the orders counted. An order in
another currency raises :class:`~chalicelib.domain.exceptions.Unprocessable` (field
``currency``); the API checks :func:`accepts_currency` before it accepts the order. When every
counted order has been reversed the currency is free again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from chalicelib.domain.exceptions import Unprocessable
from chalicelib.domain.orders import CANCELLED, REFUNDED, Order
from chalicelib.domain.times import iso, parse_iso


@dataclass(frozen=True)
class CustomerStats:
    """Aggregates over a customer's counted orders (money in integer minor units)."""

    orders: int = 0
    spent: int = 0
    currency: str | None = None
    first_order_at: datetime | None = None
    last_order_at: datetime | None = None
    average_order_value: int = 0
    returns: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The profile-summary form: dates as ISO 8601 UTC text, ``None`` when unknown."""
        return {
            "orders": self.orders,
            "spent": self.spent,
            "currency": self.currency,
            "first_order_at": _iso_or_none(self.first_order_at),
            "last_order_at": _iso_or_none(self.last_order_at),
            "average_order_value": self.average_order_value,
            "returns": self.returns,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CustomerStats:
        """Inverse of :meth:`to_dict` (numbers may be ``Decimal`` as DynamoDB returns them)."""
        first, last = data.get("first_order_at"), data.get("last_order_at")
        return cls(
            orders=int(data.get("orders", 0)),
            spent=int(data.get("spent", 0)),
            currency=data.get("currency"),
            first_order_at=parse_iso(first) if first else None,
            last_order_at=parse_iso(last) if last else None,
            average_order_value=int(data.get("average_order_value", 0)),
            returns=int(data.get("returns", 0)),
        )


def average_order_value(spent: int, orders: int) -> int:
    """``spent / orders`` rounded half up to a whole minor unit; 0 without orders."""
    if orders <= 0:
        return 0
    return (2 * spent + orders) // (2 * orders)


def accepts_currency(stats: CustomerStats, currency: str) -> bool:
    """Whether an order in ``currency`` can be added to ``stats``."""
    return stats.currency is None or stats.currency == currency


def apply_order(stats: CustomerStats, order: Order) -> CustomerStats:
    """Add a counted order.

    Raises
    ------
    Unprocessable
        When the order's currency differs from the stats' currency (field ``currency``).
    """
    _check_currency(stats, order)
    orders = stats.orders + 1
    spent = stats.spent + order.total
    first = stats.first_order_at
    last = stats.last_order_at
    return replace(
        stats,
        orders=orders,
        spent=spent,
        currency=order.currency,
        first_order_at=order.placed_at if first is None else min(first, order.placed_at),
        last_order_at=order.placed_at if last is None else max(last, order.placed_at),
        average_order_value=average_order_value(spent, orders),
    )


def reverse_order(
    stats: CustomerStats,
    order: Order,
    remaining_order_dates: Iterable[datetime],
    new_status: str,
) -> CustomerStats:
    """Remove a counted order that became ``cancelled`` or ``refunded``.

    Parameters
    ----------
    stats : CustomerStats
        Stats that include ``order``.
    order : Order
        The order leaving the aggregates.
    remaining_order_dates : iterable of datetime
        ``placed_at`` of the customer's other counted orders. Only read when ``order`` was
        the first or the last order and at least two orders remain (with one left, it is
        the other edge; when all orders share one instant, nothing moves).
    new_status : str
        ``"refunded"`` (also counts a return) or ``"cancelled"``.

    Raises
    ------
    Unprocessable
        When the order's currency differs from the stats' currency (field ``currency``).
    ValueError
        When ``stats`` cannot contain ``order`` (no orders, or less spent than its total),
        when ``new_status`` is not a reversing status, or when the reversed order was at an
        edge, two or more orders remain and no remaining dates were given.
    """
    if new_status not in (CANCELLED, REFUNDED):
        raise ValueError(f"{new_status!r} does not reverse an order")
    _check_currency(stats, order)
    if stats.orders < 1 or stats.spent < order.total:
        raise ValueError("stats do not contain this order")
    returns = stats.returns + (1 if new_status == REFUNDED else 0)
    orders = stats.orders - 1
    if orders == 0:
        return CustomerStats(returns=returns)
    spent = stats.spent - order.total
    first, last = stats.first_order_at, stats.last_order_at
    if first != last and order.placed_at in (first, last):
        other_edge = last if order.placed_at == first else first
        candidates = [*remaining_order_dates, other_edge]
        if orders > 1 and len(candidates) == 1:
            raise ValueError("remaining_order_dates are needed to reverse the first/last order")
        first, last = min(candidates), max(candidates)  # type: ignore[type-var]
    return replace(
        stats,
        orders=orders,
        spent=spent,
        first_order_at=first,
        last_order_at=last,
        average_order_value=average_order_value(spent, orders),
        returns=returns,
    )


def recompute(orders: Iterable[Order], returns: int = 0) -> CustomerStats:
    """Stats from scratch over a customer's counted orders and their refunded-order count.

    Raises
    ------
    Unprocessable
        When the orders are not all in one currency (field ``currency``).
    """
    stats = CustomerStats(returns=returns)
    for order in orders:
        stats = apply_order(stats, order)
    return stats


def _check_currency(stats: CustomerStats, order: Order) -> None:
    if not accepts_currency(stats, order.currency):
        raise Unprocessable(
            f"this customer's orders are in {stats.currency}, not {order.currency}", "currency"
        )


def _iso_or_none(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)
