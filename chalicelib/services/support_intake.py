"""Customers' questions in: a new ticket with its automatic reply, or a follow-up that
reopens one (:func:`take_message`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain import support as s
from chalicelib.domain.business_hours import expected_answer_by
from chalicelib.domain.exceptions import Conflict, InvalidInput, NotFound, Unprocessable
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import AlreadyExists, StaleWrite
from chalicelib.services.support_deps import Outcome, SupportDeps, ticket_view


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
