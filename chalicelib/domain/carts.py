"""Carts and their one reminder (seed 001: most carts are abandoned; remind once, politely).

A customer has at most one cart at a time, built from the ``cart_updated`` events:

- the first ``cart_updated`` with items opens a cart, named by that event's id;
- a later ``cart_updated`` replaces its items; with no items it closes the cart (emptied);
- ``checkout_started`` keeps the cart open and restarts its idle time (the customer is
  still there; an order placed afterwards closes the cart, an abandoned checkout is
  still an abandoned cart);
- an event older than the cart's last update changes nothing (it arrived late);
- a ``cart_updated`` after the reminder (or after the cart closed) starts a new cart.

A cart is *due* when it is open and idle for at least ``cart_idle_minutes``. The job then
closes it without mail when the customer placed an order after the cart's last update,
and otherwise queues one ``cart_reminder`` keyed by the cart (``cart-reminder#<cart_id>``),
so a cart is reminded at most once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.activity import CART_UPDATED, CHECKOUT_STARTED, ActivityEvent
from chalicelib.domain.messages import Message, non_transactional
from chalicelib.domain.orders import OrderLine
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import iso

OPEN, REMINDED, CLOSED = "open", "reminded", "closed"
CART_STATUSES = (OPEN, REMINDED, CLOSED)
EMPTIED, ORDERED, PROFILE_GONE = "emptied", "ordered", "profile_gone"
"""Why a cart closed without a reminder."""
CART_REMINDER = "cart_reminder"


@dataclass(frozen=True)
class Cart:
    """A customer's current cart; ``updated_at`` is its last cart event's time."""

    customer_id: str
    cart_id: str
    status: str
    items: tuple[OrderLine, ...]
    updated_at: datetime
    closed_reason: str | None = None
    version: int = 1

    @property
    def message_key(self) -> str:
        """The dedup key of this cart's reminder."""
        return f"cart-reminder#{self.cart_id}"

    def to_dict(self) -> dict[str, Any]:
        """Plain form (``updated_at`` as UTC ISO text)."""
        return {
            "customer_id": self.customer_id,
            "cart_id": self.cart_id,
            "status": self.status,
            "items": [asdict(item) for item in self.items],
            "updated_at": iso(self.updated_at),
            "closed_reason": self.closed_reason,
            "version": self.version,
        }


def after_event(cart: Cart | None, event: ActivityEvent) -> Cart | None:
    """The cart once ``event`` is applied, or ``None`` when the event leaves it as it is."""
    if event.type not in (CART_UPDATED, CHECKOUT_STARTED):
        return None
    if cart is not None and event.occurred_at < cart.updated_at:
        return None  # late: the cart already reflects something newer
    version = 1 if cart is None else cart.version + 1
    if event.type == CHECKOUT_STARTED:
        if cart is None or cart.status != OPEN:
            return None
        items = event.items or cart.items
        return replace(cart, items=items, updated_at=event.occurred_at, version=version)
    fresh = cart is None or cart.status != OPEN
    return Cart(
        customer_id=event.customer_id,
        cart_id=event.event_id if fresh or cart is None else cart.cart_id,
        status=OPEN if event.items else CLOSED,
        items=event.items,
        updated_at=event.occurred_at,
        closed_reason=None if event.items else EMPTIED,
        version=version,
    )


def idle_since_limit(now: datetime, idle_minutes: int) -> datetime:
    """Carts last updated at or before this moment are due at ``now``."""
    return now - timedelta(minutes=idle_minutes)


def is_due(cart: Cart, now: datetime, idle_minutes: int) -> bool:
    """Whether ``cart`` is open and idle for at least ``idle_minutes`` at ``now``."""
    return cart.status == OPEN and cart.updated_at <= idle_since_limit(now, idle_minutes)


def closed(cart: Cart, reason: str) -> Cart:
    """``cart`` closed without a reminder (an order came, the profile is gone)."""
    return replace(cart, status=CLOSED, closed_reason=reason, version=cart.version + 1)


def reminded(cart: Cart) -> Cart:
    """``cart`` once its reminder is queued (a new ``cart_updated`` starts a new cart)."""
    return replace(cart, status=REMINDED, version=cart.version + 1)


def reminder(profile: Profile, cart: Cart, created_at: str) -> Message:
    """The cart's one ``cart_reminder``: its items exactly as the store posted them."""
    context = {
        "items": [{"name": item.name, "sku": item.sku, "quantity": item.quantity}
                  for item in cart.items],
        "cart_updated_at": iso(cart.updated_at),
    }  # fmt: skip
    return non_transactional(profile, cart.message_key, CART_REMINDER, created_at, context)
