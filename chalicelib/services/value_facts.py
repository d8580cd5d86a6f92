"""The machinery every customer-value fact shares (orders stream: orders and returns).

A fact reads the customer's value once (:func:`load`), computes its effect, and builds
one :class:`ValueCommit` framed by :meth:`Loaded.commit`: the new attributes rescored
from the stored models, the fact's marker, and the ``value_version`` it read.
:func:`commit_once` commits it, re-reading on concurrent updates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain import order_effects as fx
from chalicelib.domain.times import iso
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.exceptions import AlreadyApplied, StaleWrite, Superseded
from chalicelib.services.placed_ports import PlacedReads
from chalicelib.services.ports import (
    Clock,
    CustomerValue,
    Marker,
    OrdersRepository,
    SettingsStore,
    ValueCommit,
    ValueRepository,
)
from chalicelib.services.rescoring import rescored_attributes
from chalicelib.services.retry import retry_throttled

ATTEMPTS = 5


@dataclass(frozen=True)
class OrderDeps:
    """Ports the order path needs."""

    values: ValueRepository
    orders: OrdersRepository
    settings: SettingsStore
    clock: Clock
    placed: PlacedReads | None = None
    """With it, a placed order's purchases are read with the value and folded into its
    counted fact (:mod:`chalicelib.services.placed_purchases`)."""


@dataclass(frozen=True)
class Loaded:
    """A customer's value as read for one fact, and when."""

    customer_id: str
    value: CustomerValue
    state: fx.ValueState
    settings: CustomerValueSettings
    now: datetime

    @property
    def stamp(self) -> str:
        """The fact's timestamp (markers, mail)."""
        return iso(self.now)

    def marker(self, entry_key: str, data: dict[str, Any] | None = None) -> Marker:
        """A marker of this customer's timeline, stamped now."""
        return Marker(self.customer_id, entry_key, self.stamp, data or {})

    def commit(
        self,
        state: fx.ValueState,
        entry_key: str,
        data: dict[str, Any],
        deps: OrderDeps,
        extra_attributes: dict[str, Any] | None = None,
        **more: Any,
    ) -> ValueCommit:
        """The change that moves the customer to ``state``, marked by ``entry_key``.

        ``more`` takes the other :class:`ValueCommit` fields (requires, absent,
        messages, bonuses).
        """
        attributes = state.to_attributes(self.now.date(), self.settings.tiers)
        attributes.update(
            rescored_attributes(self.customer_id, state, self.settings, self.now, deps.settings)
        )
        attributes.update(extra_attributes or {})
        return ValueCommit(
            customer_id=self.customer_id,
            expected_version=self.value.version,
            attributes=attributes,
            marker=self.marker(entry_key, data),
            **more,
        )


def load(deps: OrderDeps, customer_id: str) -> Loaded:
    """Read the customer's value, the value settings and the time."""
    return loaded_from(deps, customer_id, deps.values.load(customer_id))


def loaded_from(deps: OrderDeps, customer_id: str, value: CustomerValue | None) -> Loaded:
    """The customer's value as read, with the value settings and the time."""
    if value is None:
        raise LookupError("the order's customer has no profile")
    return Loaded(customer_id, value, value.state, deps.settings.customer_value(), deps.clock.now())


def order_reversed_already(deps: OrderDeps, customer_id: str, order_id: str) -> bool:
    """Whether the order was already taken out (the stats no longer hold it)."""
    return bool(deps.values.marker(customer_id, f"order#{order_id}#reversed"))


def paid_fact(deps: OrderDeps, customer_id: str, order_id: str) -> dict[str, Any] | None:
    """The order's payment as applied: its ``paid`` marker, or for an order imported as
    paid, the points its ``counted`` marker records (``None`` while it is not paid)."""
    paid = deps.values.marker(customer_id, f"order#{order_id}#paid")
    if paid is not None:
        return paid
    counted = deps.values.marker(customer_id, f"order#{order_id}#counted") or {}
    if "paid_points" in counted:
        return {"points": int(counted["paid_points"])}
    return None


def commit_once(build: Callable[[], ValueCommit | None], deps: OrderDeps) -> str:
    """Build and commit a fact's change, re-reading on concurrent updates.

    Throttling is retried here with backoff before the record is given back to the
    stream (where a retry re-runs the whole batch from this record).
    """
    for _ in range(ATTEMPTS):
        try:
            change = retry_throttled(build)
            if change is None:
                return "skipped"
            pending: ValueCommit = change
            retry_throttled(lambda: deps.values.commit(pending))  # noqa: B023 (called at once)
        except AlreadyApplied:
            return "already_applied"
        except Superseded:
            return "superseded"
        except StaleWrite:
            continue
        return "applied"
    raise StaleWrite()
