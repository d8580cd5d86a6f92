"""The ``cart-reminders`` job: one reminder per cart left idle, never after an order.

Hourly (and on demand with ``as_of``). Reads only the carts due, through the sparse
open-carts index (open carts by the time of their last update), never every cart. For
each: a customer whose profile is gone, or who placed an order after the cart's last
update, gets nothing and the cart closes; anyone else gets one ``cart_reminder`` queued
in the outbox (keyed by the cart, so a second run queues nothing new) and the cart is
marked reminded. The mailer then applies the one policy at send time (``marketing``
consent, address, cap, quiet hours).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Protocol

from chalicelib.domain import carts
from chalicelib.domain.carts import Cart
from chalicelib.domain.times import iso
from chalicelib.services.ports import Outbox, ProfileReader, Retrier


class CartStore(Protocol):
    """The carts as the job reads and closes them (``adapters/activity_repository.py``)."""

    def due_carts(self, idle_before: datetime, retry: Retrier) -> Iterator[Cart]: ...

    def ordered_since(self, customer_id: str, since: datetime) -> bool: ...

    def save_cart(self, cart: Cart) -> bool: ...


def run_cart_reminders(
    store: CartStore,
    profiles: ProfileReader,
    outbox: Outbox,
    idle_minutes: int,
    at: datetime,
    now: datetime,
    retry: Retrier,
) -> dict[str, Any]:
    """Remind the carts idle for ``idle_minutes`` at ``at``; returns the run's counts.

    ``now`` is when the reminders are queued (their ``created_at``).
    """
    counts = {"due": 0, "queued": 0, "ordered": 0, "profile_gone": 0, "moved_on": 0}
    limit = carts.idle_since_limit(at, idle_minutes)
    for cart in store.due_carts(limit, retry):
        counts["due"] += 1
        counts[_remind(cart, store, profiles, outbox, iso(now), retry)] += 1
    return {"as_of": iso(at), "idle_minutes": idle_minutes, **counts}


def _remind(
    cart: Cart,
    store: CartStore,
    profiles: ProfileReader,
    outbox: Outbox,
    created_at: str,
    retry: Retrier,
) -> str:
    """Close or remind one due cart; returns the count it adds to."""
    profile = retry(lambda: profiles.get(cart.customer_id))
    if profile is None:
        outcome, after = carts.PROFILE_GONE, carts.closed(cart, carts.PROFILE_GONE)
    elif retry(lambda: store.ordered_since(cart.customer_id, cart.updated_at)):
        outcome, after = carts.ORDERED, carts.closed(cart, carts.ORDERED)
    else:
        # Queued first: a crash before the cart is marked queues the same key next run.
        message = carts.reminder(profile, cart, created_at)
        retry(lambda: outbox.enqueue(message))
        outcome, after = "queued", carts.reminded(cart)
    if not retry(lambda: store.save_cart(after)):
        return "moved_on"  # the customer changed the cart meanwhile: it waits again
    return outcome
