"""A person's answer to a ticket: the reply, its letter and the first reply measured in
business time (:func:`answer`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.domain import support as s
from chalicelib.domain.business_hours import business_minutes_between
from chalicelib.domain.exceptions import Conflict, NotFound, Unprocessable
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso, parse_iso
from chalicelib.services.exceptions import AlreadyExists, StaleWrite
from chalicelib.services.support_deps import Outcome, SupportDeps, ticket_view


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
