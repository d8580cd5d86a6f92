"""Fake of shop activity and the cart-reminders job: ActivityStore, CartStore."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.domain.times import iso
from chalicelib.services.exceptions import (
    AlreadyExists,
    CustomerMissing,
    StaleWrite,
)

# --- shop activity and the cart-reminders job: ActivityStore, CartStore -----------------


@dataclass
class FakeActivity:
    """:class:`~chalicelib.services.activity.ActivityStore` and
    :class:`~chalicelib.services.cart_reminders.CartStore` over dicts, with the adapter's
    conditions (a known profile, a new event id, the cart version it follows)."""

    customers: set[str] = field(default_factory=set)
    events: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    carts: dict[str, Any] = field(default_factory=dict)
    views: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    orders: dict[str, list[datetime]] = field(default_factory=dict)
    carts_read: int = 0

    def record(self, event: Any, digest: str, cart: Any, now: datetime) -> dict[str, Any]:
        if event.customer_id not in self.customers:
            raise CustomerMissing()
        if (event.customer_id, event.event_id) in self.events:
            raise AlreadyExists("event_id")
        if cart is not None and not self._follows(cart):
            raise StaleWrite()
        item = {**event.to_payload(), "digest": digest, "recorded_at": iso(now)}
        self.events[(event.customer_id, event.event_id)] = item
        if cart is not None:
            self.carts[cart.customer_id] = cart
        for line in event.viewed:
            view = self.views.setdefault(event.customer_id, {}).setdefault(line.sku, {})
            view.update(
                name=line.name, seconds=view.get("seconds", 0) + (event.seconds_viewed or 0)
            )
        return item

    def _follows(self, cart: Any) -> bool:
        stored = self.carts.get(cart.customer_id)
        return (stored is None) if cart.version == 1 else stored.version == cart.version - 1

    def event(self, customer_id: str, event_id: str) -> dict[str, Any] | None:
        return self.events.get((customer_id, event_id))

    def cart(self, customer_id: str) -> Any:
        return self.carts.get(customer_id)

    def viewed(self, customer_id: str) -> dict[str, dict[str, Any]]:
        return self.views.get(customer_id, {})

    def save_cart(self, cart: Any) -> bool:
        if not self._follows(cart):
            return False
        self.carts[cart.customer_id] = cart
        return True

    def due_carts(self, idle_before: datetime, retry: Any = None) -> Any:
        due = [c for c in self.carts.values() if c.status == "open" and c.updated_at <= idle_before]
        for cart in sorted(due, key=lambda c: c.updated_at):
            self.carts_read += 1
            yield cart

    def ordered_since(self, customer_id: str, since: datetime) -> bool:
        return any(placed > since for placed in self.orders.get(customer_id, []))
