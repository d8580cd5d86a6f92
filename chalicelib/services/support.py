"""The support inbox: questions in, an automatic reply at once, answers by a person.

``take_message`` records a customer's question (or a follow-up, which reopens its
ticket) and, for a new ticket, queues the automatic reply in the same transaction, with
the promise computed from business hours and the open backlog (one counter read, never
the open tickets themselves). ``answer`` records a person's reply, queues its letter and
measures the first reply in business time. Figures come from per-day items.

This module reads tickets and figures; questions come in through
:mod:`~chalicelib.services.support_intake`, answers through
:mod:`~chalicelib.services.support_answers` (both offered here too).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.domain import support as s
from chalicelib.domain.exceptions import InvalidInput, NotFound
from chalicelib.domain.times import iso
from chalicelib.services.support_answers import answer
from chalicelib.services.support_deps import TICKET_FIELDS, Outcome, SupportDeps, ticket_view
from chalicelib.services.support_intake import take_message

__all__ = [
    "MAX_METRIC_DAYS",
    "TICKET_FIELDS",
    "Outcome",
    "SupportDeps",
    "answer",
    "customer_tickets",
    "list_tickets",
    "support_metrics",
    "take_message",
    "ticket_detail",
    "ticket_view",
]

MAX_METRIC_DAYS = 366


def ticket_detail(ticket_id: str, deps: SupportDeps) -> dict[str, Any]:
    """The ticket, its thread and the customer's summary."""
    ticket = deps.support.ticket(ticket_id)
    if ticket is None:
        raise NotFound("no ticket with this id", "ticket_id")
    thread = [
        {k: v for k, v in entry.items() if k not in ("digest", "record")}
        for entry in deps.support.thread(ticket_id)
    ]
    profile = deps.customers.get(str(ticket["customer_id"]))
    customer = None
    if profile is not None:
        customer = {
            "customer_id": profile.customer_id,
            "name": profile.name,
            "locale": profile.locale,
            "tier": profile.tier,
            "loyalty": profile.loyalty,
            "orders": profile.stats.orders,
            "last_order_at": profile.stats.last_order_at,
        }
    return {**ticket_view(ticket), "thread": thread, "customer": customer}


def list_tickets(
    status: str | None, limit: int, cursor: str | None, deps: SupportDeps
) -> tuple[list[dict[str, Any]], str | None]:
    """Tickets by status, oldest first; ``overdue``: open past their promise."""
    if status not in s.LIST_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(s.LIST_STATUSES)}", "status")
    if status == s.OVERDUE:
        items, more = deps.support.overdue(iso(deps.clock.now()), limit, cursor)
    else:
        items, more = deps.support.by_status(status, limit, cursor)
    return [ticket_view(item) for item in items], more


def support_metrics(start: date, end: date, deps: SupportDeps) -> dict[str, Any]:
    """Opened, answered, first-reply median and p90 (business minutes), promises kept."""
    if end < start:
        raise InvalidInput("to must not be before from", "to")
    if (end - start).days >= MAX_METRIC_DAYS:
        raise InvalidInput(f"a range covers at most {MAX_METRIC_DAYS} days", "to")
    days = deps.support.days(start.isoformat(), end.isoformat())
    return s.metrics(days, start, end)


def customer_tickets(customer_id: str, deps: SupportDeps, limit: int = 20) -> list[dict[str, Any]]:
    """The customer's newest tickets (for the customer 360)."""
    return [ticket_view(item) for item in deps.support.for_customer(customer_id, limit)]
