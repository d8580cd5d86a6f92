"""The support inbox: questions in, an automatic reply at once, answers by a person.

``take_message`` records a customer's question (or a follow-up, which reopens its
ticket) and, for a new ticket, queues the automatic reply in the same transaction, with
the promise computed from business hours and the open backlog (one counter read, never
the open tickets themselves). ``answer`` records a person's reply, queues its letter and
measures the first reply in business time. Figures come from per-day items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain import support as s
from chalicelib.domain.business_hours import business_minutes_between, expected_answer_by
from chalicelib.domain.exceptions import Conflict, InvalidInput, NotFound, Unprocessable
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso, parse_iso
from chalicelib.services.exceptions import AlreadyExists, StaleWrite
from chalicelib.services.ports import (
    Clock,
    CustomerRepository,
    OrdersRepository,
    SettingsStore,
    SupportRepository,
)

MAX_METRIC_DAYS = 366
TICKET_FIELDS = (
    "ticket_id", "customer_id", "subject", "channel", "order_id", "status", "opened_at",
    "first_reply_at", "first_reply_minutes", "answered_by", "on_time", "last_reply_at",
    "updated_at",
)  # fmt: skip


@dataclass(frozen=True)
class SupportDeps:
    """What the support use cases need."""

    support: SupportRepository
    customers: CustomerRepository
    orders: OrdersRepository
    settings: SettingsStore
    clock: Clock


@dataclass(frozen=True)
class Outcome:
    """The ticket as the API shows it, and whether this request created something."""

    view: dict[str, Any]
    created: bool


def ticket_view(ticket: dict[str, Any]) -> dict[str, Any]:
    """A ticket as the API shows it; the promise in the customer's own offset."""
    view = {name: ticket.get(name) for name in TICKET_FIELDS}
    view["expected_answer_by"] = s.local_iso(parse_iso(ticket["due_at"]), ticket["time_zone"])
    return view


def _replay(guard: dict[str, Any], digest: str, deps: SupportDeps) -> Outcome:
    if "digest" not in guard:  # its customer was erased, and the question with them
        raise Unprocessable("no customer with this id", "customer_id")
    if guard.get("digest") != digest:
        raise Conflict("message_id already exists with a different message", "message_id")
    ticket = deps.support.ticket(str(guard["target"]))
    assert ticket is not None
    return Outcome(ticket_view(ticket), False)


def _check_order(order_id: str | None, customer_id: str, deps: SupportDeps) -> None:
    if order_id is None:
        return
    order = deps.orders.get(order_id)
    if order is None or order.get("customer_id") != customer_id:
        raise InvalidInput("no order with this id for this customer", "order_id")


def _promise(settings: StoreSettings, received: datetime, ahead: int) -> datetime:
    return expected_answer_by(
        settings.business_hours(),
        received,
        ahead,
        settings.support_answers_per_hour,
        settings.first_answer_minutes,
    )


def _message_item(message: s.SupportMessage, ticket_id: str, at: datetime) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id,
        "kind": "message",
        "message_id": message.message_id,
        "subject": message.subject,
        "body": message.body,
        "channel": message.channel,
        "order_id": message.order_id,
        "at": iso(at),
        "digest": message.digest(),
    }


def take_message(payload: Any, deps: SupportDeps, correlation_id: str | None) -> Outcome:
    """Record a question (201), replay (200) or conflict (409); queue the auto-reply."""
    settings = deps.settings.store()
    now = deps.clock.now()
    message = s.parse_message(payload, settings.time_bounds(now))
    digest = message.digest()
    guard = deps.support.message_guard(message.message_id)
    if guard is not None:
        return _replay(guard, digest, deps)
    profile = deps.customers.get(message.customer_id)
    if profile is None:
        raise Unprocessable("no customer with this id", "customer_id")
    _check_order(message.order_id, message.customer_id, deps)
    received = message.received_at or now
    try:
        if message.ticket_id is not None:
            ticket = _follow_up(message, settings, received, now, deps)
        else:
            ticket = _open(message, profile, settings, received, now, deps, correlation_id)
    except AlreadyExists:
        again = deps.support.message_guard(message.message_id)
        assert again is not None
        return _replay(again, digest, deps)
    except StaleWrite:
        raise Conflict(
            "the ticket changed meanwhile; send the message again", "ticket_id"
        ) from None
    return Outcome(ticket_view(ticket), True)


def _open(
    message: s.SupportMessage,
    profile: Profile,
    settings: StoreSettings,
    received: datetime,
    now: datetime,
    deps: SupportDeps,
    correlation_id: str | None,
) -> dict[str, Any]:
    ticket_id = message.new_ticket_id()
    due = _promise(settings, received, deps.support.open_count())
    ticket = {
        "ticket_id": ticket_id,
        "customer_id": message.customer_id,
        "subject": message.subject,
        "channel": message.channel,
        "order_id": message.order_id,
        "status": s.OPEN,
        "opened_at": iso(received),
        "due_at": iso(due),
        "time_zone": profile.time_zone,
        "updated_at": iso(now),
    }
    letter = s.auto_reply(profile, ticket, due, received, iso(now), correlation_id)
    day = settings.business_hours().local_day(received).isoformat()
    item = _message_item(message, ticket_id, received)
    deps.support.open_ticket(ticket, item, letter, day)
    return ticket


def _follow_up(
    message: s.SupportMessage,
    settings: StoreSettings,
    received: datetime,
    now: datetime,
    deps: SupportDeps,
) -> dict[str, Any]:
    assert message.ticket_id is not None
    ticket = deps.support.ticket(message.ticket_id)
    if ticket is None or ticket.get("customer_id") != message.customer_id:
        raise NotFound("no ticket with this id for this customer", "ticket_id")
    previous = str(ticket["status"])
    updated = {**ticket, "status": s.OPEN, "updated_at": iso(now)}
    if previous != s.OPEN:
        updated["due_at"] = iso(_promise(settings, received, deps.support.open_count()))
    deps.support.follow_up(updated, _message_item(message, ticket["ticket_id"], received), previous)
    return updated


def _question(thread: list[dict[str, Any]]) -> str:
    """The customer's latest words (what the answer quotes)."""
    asked = [entry for entry in thread if entry.get("kind") == "message"]
    return str(asked[-1]["body"]) if asked else ""


def answer(
    ticket_id: str, payload: Any, answered_by: str, deps: SupportDeps, correlation_id: str | None
) -> Outcome:
    """Record a person's answer and queue its letter: 201, 200 replay, 404 or 409."""
    reply = s.parse_reply(payload)
    ticket = deps.support.ticket(ticket_id)
    if ticket is None:
        raise NotFound("no ticket with this id", "ticket_id")
    stored = deps.support.reply_item(ticket_id, reply.reply_id)
    if stored is not None:
        return _reply_replay(stored, reply, ticket_id, deps)
    profile = deps.customers.get(str(ticket["customer_id"]))
    if profile is None:
        raise Unprocessable("the customer no longer exists", "ticket_id")
    now = deps.clock.now()
    settings = deps.settings.store()
    previous = str(ticket["status"])
    updated = {**ticket, "status": s.status_after_reply(reply.close), "last_reply_at": iso(now),
               "answered_by": answered_by, "updated_at": iso(now)}  # fmt: skip
    first = None
    if not ticket.get("first_reply_at"):
        first = _first_reply(ticket, settings, now)
        updated.update(first_reply_at=iso(now), first_reply_minutes=first["minutes"],
                       on_time=first["on_time"])  # fmt: skip
    item = {"ticket_id": ticket_id, "kind": "reply", "reply_id": reply.reply_id,
            "body": reply.body, "close": reply.close, "answered_by": answered_by,
            "at": iso(now), "digest": reply.digest()}  # fmt: skip
    question = _question(deps.support.thread(ticket_id))
    letter = s.answer_letter(profile, ticket, question, reply, iso(now), correlation_id)
    try:
        deps.support.answer(updated, item, previous, letter, first)
    except AlreadyExists:
        again = deps.support.reply_item(ticket_id, reply.reply_id)
        assert again is not None
        return _reply_replay(again, reply, ticket_id, deps)
    except StaleWrite:
        raise Conflict(
            "the ticket changed meanwhile; read it and answer again", "ticket_id"
        ) from None
    return Outcome(ticket_view(updated), True)


def _reply_replay(
    stored: dict[str, Any], reply: s.SupportReply, ticket_id: str, deps: SupportDeps
) -> Outcome:
    if stored.get("digest") != reply.digest():
        raise Conflict("reply_id already exists with a different reply", "reply_id")
    ticket = deps.support.ticket(ticket_id)
    assert ticket is not None
    return Outcome(ticket_view(ticket), False)


def _first_reply(ticket: dict[str, Any], settings: StoreSettings, now: datetime) -> dict[str, Any]:
    hours = settings.business_hours()
    opened = parse_iso(str(ticket["opened_at"]))
    return {
        "day": hours.local_day(now).isoformat(),
        "minutes": business_minutes_between(hours, opened, now),
        "on_time": now <= parse_iso(str(ticket["due_at"])),
    }


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
