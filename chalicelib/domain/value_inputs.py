"""What valuing one customer reads from their profile item: counted orders, spend, the
last order and the purchase days."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain.loyalty import days_since
from chalicelib.domain.times import parse_iso


@dataclass(frozen=True)
class ValueInputs:
    """What valuing a customer needs from their profile item.

    Attributes
    ----------
    customer_id : str
        The store's id of the customer.
    orders : int
        Counted orders (``stats.orders``).
    spent : int
        Total spent over the counted orders, minor units (``stats.spent``).
    last_order_at : datetime or None
        The last counted order (``stats.last_order_at``); ``None`` without orders.
    purchase_days : Mapping[str, int]
        ``YYYY-MM-DD`` -> amount spent that day (minor units).
    """

    customer_id: str
    orders: int
    spent: int
    last_order_at: datetime | None
    purchase_days: Mapping[str, int]

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> ValueInputs:
        """Read a plain (deserialized) profile item; missing stats count as no orders."""
        stats = item.get("stats") or {}
        last = stats.get("last_order_at")
        days = item.get("purchase_days") or {}
        return cls(
            customer_id=str(item["customer_id"]),
            orders=int(stats.get("orders") or 0),
            spent=int(stats.get("spent") or 0),
            last_order_at=parse_iso(last) if last else None,
            purchase_days={str(day): int(amount) for day, amount in days.items()},
        )

    @property
    def has_orders(self) -> bool:
        """Whether the customer has at least one counted order."""
        return self.orders > 0 and self.last_order_at is not None

    def recency_days(self, as_of: date) -> int | None:
        """Days from the last order to ``as_of`` (0 for a later order); ``None`` without."""
        if not self.has_orders or self.last_order_at is None:
            return None
        return days_since(self.last_order_at, as_of)

    def purchases(self, as_of: date) -> list[tuple[date, int]]:
        """Purchase days up to ``as_of`` (later days are unknown on a backfill's date)."""
        dated = ((date.fromisoformat(day), amount) for day, amount in self.purchase_days.items())
        return sorted((day, amount) for day, amount in dated if day <= as_of)
