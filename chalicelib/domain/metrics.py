"""Store metrics as daily counters: what each fact adds to its store day.

A :class:`Tally` is what one fact adds to the counters of the day it happened on (the
calendar day of ``at`` in the store's time zone, :func:`store_day`). Counter names are
flat: a plain name (``orders``) or a name and its keys joined by ``:``
(``revenue:CNY``, ``mail:welcome:suppressed:quiet_hours``, ``unsubscribes:marketing``).
The adapters add a fact's tally in the same DynamoDB transaction as the fact's
exactly-once marker, so a replayed fact adds nothing (``docs/metrics.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from chalicelib.domain.mail_feedback import (
    OUTCOME_BOUNCED,
    OUTCOME_COMPLAINED,
    OUTCOME_DELIVERED,
    OUTCOME_SOFT_BOUNCED,
)
from chalicelib.domain.messages import SUPPRESSED
from chalicelib.domain.orders import CANCELLED, Order

SEPARATOR = ":"
SIGNUPS = "signups"
ORDERS = "orders"
REPEAT_ORDERS = "repeat_orders"
"""Orders of customers with an earlier order already counted."""
REVENUE = "revenue"
REVERSED = "reversed"
"""Money taken back: cancelled and refunded orders, refunds of returns (per currency)."""
RETURNS = "returns"
CANCELLATIONS = "cancellations"
REFUNDS = "refunds"
ERASURES = "erasures"
MAIL = "mail"
UNSUBSCRIBES = "unsubscribes"
BOUNCES = "bounces"
COMPLAINTS = "complaints"
FEEDBACK_COUNTERS = {
    OUTCOME_BOUNCED: BOUNCES,
    OUTCOME_SOFT_BOUNCED: "soft_bounces",
    OUTCOME_COMPLAINED: COMPLAINTS,
    OUTCOME_DELIVERED: "deliveries",
}
"""SES feedback outcome to its counter."""


def name(*parts: str) -> str:
    """A counter's flat name (``revenue:CNY``)."""
    return SEPARATOR.join(parts)


@dataclass(frozen=True)
class Tally:
    """What one fact adds to the counters of its store day."""

    at: datetime
    counts: dict[str, int] = field(default_factory=dict)


def store_day(moment: datetime, time_zone: str) -> str:
    """The calendar day (``YYYY-MM-DD``) of ``moment`` in the store's time zone."""
    return moment.astimezone(ZoneInfo(time_zone)).date().isoformat()


def signup(at: datetime) -> Tally:
    """A new profile."""
    return Tally(at, {SIGNUPS: 1})


def order_placed(order: Order, repeat: bool) -> Tally:
    """An order placed (on its ``placed_at`` day): its count and revenue per currency."""
    counts = {
        ORDERS: 1,
        name(ORDERS, order.currency): 1,
        name(REVENUE, order.currency): order.total,
    }
    if repeat:
        counts[REPEAT_ORDERS] = 1
    return Tally(order.placed_at, counts)


def order_reversed(order: Order, status: str, amount: int, at: datetime) -> Tally:
    """An order cancelled or refunded (on that day): ``amount`` is what it still held."""
    kind = CANCELLATIONS if status == CANCELLED else REFUNDS
    return Tally(at, {kind: 1, name(REVERSED, order.currency): amount})


def return_recorded(currency: str, refund: int, at: datetime) -> Tally:
    """A return or exchange request recorded (a refund's money taken back with it)."""
    counts = {RETURNS: 1}
    if refund:
        counts[name(REVERSED, currency)] = refund
    return Tally(at, counts)


def mail_outcome(template: str, outcome: str, reason: str | None, at: datetime) -> Tally:
    """A message's outcome: sent, deferred or failed; suppressed by reason."""
    counts = {name(MAIL, template, outcome): 1}
    if outcome == SUPPRESSED:
        counts[name(MAIL, template, outcome, reason or "unknown")] = 1
    return Tally(at, counts)


def feedback(outcome: str, at: datetime) -> Tally | None:
    """An SES notification's outcome (``None`` for one that counts nowhere)."""
    counter = FEEDBACK_COUNTERS.get(outcome)
    return None if counter is None else Tally(at, {counter: 1})


def unsubscribes(purposes: list[str], at: datetime) -> Tally | None:
    """Consents withdrawn in one profile change (``None`` when none was)."""
    if not purposes:
        return None
    return Tally(at, {name(UNSUBSCRIBES, purpose): 1 for purpose in purposes})


def erasure(at: datetime) -> Tally:
    """A customer erased (the counters keep no person, so nothing else changes)."""
    return Tally(at, {ERASURES: 1})
