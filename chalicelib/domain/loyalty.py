"""Loyalty classes and the loyalty gates of unsolicited mail (seed 001, Table 1).

Seed 001 splits customers by their dealings with the store into very loyal, generally loyal
and occasional customers, and sends greeting cards to very loyal customers only,
recommendations to very and generally loyal customers, and nothing unsolicited to occasional
ones. Rapport derives the class from the number of counted orders and the days since the
last one, as of a date the caller passes in:

============  =========================================================================
class         rule (defaults of :class:`LoyaltySettings`)
============  =========================================================================
very_loyal    at least 5 orders and the last one at most 180 days ago
loyal         otherwise, at least 2 orders and the last one at most 365 days ago
occasional    everyone else (one order, none, or a long silence)
============  =========================================================================

The gates are data (:data:`LOYALTY_GATES`, overridable from the settings table): a message
kind maps to the classes that may receive it. Kinds absent from the gates are not gated by
loyalty (transactional mail, surveys after a delivery, a consented cart reminder, a product
update to past buyers); consent, frequency caps and quiet hours still apply to them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.stats import CustomerStats
from chalicelib.domain.times import utc_day

VERY_LOYAL, LOYAL, OCCASIONAL = "very_loyal", "loyal", "occasional"
LOYALTY_CLASSES = (VERY_LOYAL, LOYAL, OCCASIONAL)

GREETING, RECOMMENDATION, OCCASION_SUGGESTION = "greeting", "recommendation", "occasion_suggestion"

LOYALTY_GATES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        GREETING: frozenset({VERY_LOYAL}),  # birthday and signup-anniversary cards
        RECOMMENDATION: frozenset({VERY_LOYAL, LOYAL}),  # cross-sell and up-sell mail
        OCCASION_SUGGESTION: frozenset({VERY_LOYAL, LOYAL}),  # learned annual occasions
    }
)
"""Message kind -> loyalty classes allowed to receive it (seed 001, Table 1)."""


@dataclass(frozen=True)
class LoyaltySettings:
    """Thresholds of the loyalty classes (orders counted over the customer's lifetime)."""

    very_loyal_min_orders: int = 5
    very_loyal_max_days: int = 180
    loyal_min_orders: int = 2
    loyal_max_days: int = 365

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidInput(f"{item.name} must be a positive integer", item.name)

    def to_dict(self) -> dict[str, int]:
        """Plain form for the settings table."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LoyaltySettings:
        """Inverse of :meth:`to_dict`; missing keys take the defaults, numbers may be Decimal."""
        known = {item.name for item in fields(cls)}
        values = {}
        for key, value in data.items():
            if key not in known:
                raise InvalidInput(f"unknown field '{key}'", key)
            integral = isinstance(value, Decimal) and value == value.to_integral_value()
            values[key] = int(value) if integral else value
        return cls(**values)


DEFAULT_LOYALTY_SETTINGS = LoyaltySettings()


def days_since(last_order_at: datetime, as_of: date | datetime) -> int:
    """Whole days from the last order to ``as_of``, counted on UTC calendar dates.

    An order dated after ``as_of`` (a backfill run for a past date) counts as 0 days.
    """
    if isinstance(as_of, datetime):
        as_of = utc_day(as_of)
    last_day = utc_day(last_order_at)
    return max(0, (as_of - last_day).days)


def classify(
    orders: int,
    days_since_last_order: int | None,
    settings: LoyaltySettings = DEFAULT_LOYALTY_SETTINGS,
) -> str:
    """The loyalty class of a customer with ``orders`` counted orders.

    Parameters
    ----------
    orders : int
        Counted orders (cancelled and refunded ones excluded).
    days_since_last_order : int or None
        From :func:`days_since`; ``None`` when there is no order.
    settings : LoyaltySettings
        Thresholds; each bound is inclusive.

    Returns
    -------
    str
        ``very_loyal``, ``loyal`` or ``occasional``.
    """
    if days_since_last_order is None or orders <= 0:
        return OCCASIONAL
    if (
        orders >= settings.very_loyal_min_orders
        and days_since_last_order <= settings.very_loyal_max_days
    ):
        return VERY_LOYAL
    if orders >= settings.loyal_min_orders and days_since_last_order <= settings.loyal_max_days:
        return LOYAL
    return OCCASIONAL


def loyalty_for(
    stats: CustomerStats,
    as_of: date | datetime,
    settings: LoyaltySettings = DEFAULT_LOYALTY_SETTINGS,
) -> str:
    """The loyalty class from a customer's stats as of a date."""
    if stats.last_order_at is None:
        return OCCASIONAL
    return classify(stats.orders, days_since(stats.last_order_at, as_of), settings)


def allowed(kind: str, loyalty: str, gates: Mapping[str, Collection[str]] = LOYALTY_GATES) -> bool:
    """Whether a message of ``kind`` may go to a customer of class ``loyalty``.

    Kinds absent from ``gates`` are not loyalty-gated and always pass this check.
    """
    if kind not in gates:
        return True
    return loyalty in gates[kind]


def gates_from_dict(data: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Validate gates stored as ``{kind: [class, ...]}`` (an empty list blocks the kind).

    Raises
    ------
    InvalidInput
        When a value is not a list of known loyalty classes (field ``loyalty_gates.<kind>``).
    """
    gates: dict[str, frozenset[str]] = {}
    for kind, classes in data.items():
        field = f"loyalty_gates.{kind}"
        if not isinstance(kind, str) or not kind:
            raise InvalidInput("message kinds must be non-empty strings", "loyalty_gates")
        if not isinstance(classes, (list, tuple, set, frozenset)) or any(
            c not in LOYALTY_CLASSES for c in classes
        ):
            raise InvalidInput(f"{field} must be a list of {', '.join(LOYALTY_CLASSES)}", field)
        gates[kind] = frozenset(classes)
    return gates


def gates_to_dict(gates: Mapping[str, Collection[str]]) -> dict[str, list[str]]:
    """Plain form of the gates, classes listed from most to least loyal."""
    return {
        kind: [c for c in LOYALTY_CLASSES if c in classes]
        for kind, classes in sorted(gates.items())
    }
