"""Support tickets: what a question and an answer look like, and what their letters say.

Pure rules (no I/O, time passed in). A ticket opens with a customer's question, gets an
automatic reply at once (``support_auto_reply``) that promises when a person will answer,
and is answered by an admin (``support_reply``). Statuses: ``open`` (waiting for a
person), ``answered``, ``closed``; ``overdue`` is a view of open tickets past their promise.
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.domain import validation
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.messages import Message
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import TimeBounds

OPEN = "open"
ANSWERED = "answered"
CLOSED = "closed"
OVERDUE = "overdue"
STATUSES = (OPEN, ANSWERED, CLOSED)
LIST_STATUSES = (*STATUSES, OVERDUE)
CHANNELS = ("web", "email", "chat", "phone")
MAX_BODY = 20_000
MAX_SUBJECT = 200
AUTO_REPLY = "support_auto_reply"
REPLY = "support_reply"
MESSAGE_FIELDS = (
    "message_id",
    "customer_id",
    "subject",
    "body",
    "channel",
    "order_id",
    "received_at",
    "ticket_id",
)

_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _digest(data: Mapping[str, Any]) -> str:
    raw = json.dumps(dict(data), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SupportMessage:
    """A validated ``POST /v1/support-messages`` body."""

    message_id: str
    customer_id: str
    subject: str
    body: str
    channel: str
    order_id: str | None
    received_at: datetime | None
    ticket_id: str | None

    def digest(self) -> str:
        """A fingerprint of the request (an identical replay has the same one)."""
        return _digest(asdict(self))

    def new_ticket_id(self) -> str:
        """The id of the ticket this question opens (derived, so a retry finds it)."""
        return "t-" + hashlib.sha256(self.message_id.encode("utf-8")).hexdigest()[:20]


def parse_message(payload: Any, bounds: TimeBounds) -> SupportMessage:
    """Validate a customer's question or follow-up; errors name the field."""
    body = validation.require_object(payload, "body")
    validation.reject_unknown(body, MESSAGE_FIELDS)
    received = body.get("received_at")
    order_id = body.get("order_id")
    ticket_id = body.get("ticket_id")
    return SupportMessage(
        message_id=validation.identifier(body.get("message_id"), "message_id"),
        customer_id=validation.identifier(body.get("customer_id"), "customer_id"),
        subject=validation.text(body.get("subject"), "subject", MAX_SUBJECT),
        body=_body_text(body.get("body"), "body"),
        channel=validation.choice(body.get("channel"), CHANNELS, "channel"),
        order_id=None if order_id is None else validation.identifier(order_id, "order_id"),
        received_at=None
        if received is None
        else validation.timestamp(received, "received_at", bounds),
        ticket_id=None if ticket_id is None else validation.identifier(ticket_id, "ticket_id"),
    )


def _body_text(value: Any, field: str) -> str:
    """A message's words: up to 20,000 characters, line breaks kept."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{field} must be a non-empty string", field)
    if len(value) > MAX_BODY:
        raise InvalidInput(f"{field} must be at most {MAX_BODY} characters", field)
    return value.strip()


@dataclass(frozen=True)
class SupportReply:
    """A validated admin answer."""

    reply_id: str
    body: str
    close: bool

    def digest(self) -> str:
        """A fingerprint of the reply (an identical replay has the same one)."""
        return _digest(asdict(self))


def parse_reply(payload: Any) -> SupportReply:
    """Validate ``{"reply_id", "body", "close"}``."""
    body = validation.require_object(payload, "body")
    validation.reject_unknown(body, ("reply_id", "body", "close"))
    close = body.get("close", False)
    return SupportReply(
        reply_id=validation.identifier(body.get("reply_id"), "reply_id"),
        body=_body_text(body.get("body"), "body"),
        close=validation.boolean(close, "close"),
    )


def status_after_reply(close: bool) -> str:
    """Where an answer moves a ticket."""
    return CLOSED if close else ANSWERED


def local_iso(moment: datetime, time_zone: str) -> str:
    """``moment`` as ISO 8601 with the offset of ``time_zone`` (minute precision)."""
    return moment.astimezone(ZoneInfo(time_zone)).isoformat(timespec="minutes")


def promise_words(promised: datetime, received: datetime, time_zone: str, locale: str) -> str:
    """ "by Thursday 10:00" / "周四 10:00 前" in the reader's time zone.

    The date is added when the promise lies a week or more after the question.
    """
    zone = ZoneInfo(time_zone)
    local = promised.astimezone(zone)
    far = (local.date() - received.astimezone(zone).date()).days >= 6
    clock = local.strftime("%H:%M")
    weekday = local.weekday()
    if locale == "zh-CN":
        day = _WEEKDAYS_ZH[weekday]
        if far:
            day = f"{local.month} 月 {local.day} 日{day}"
        return f"{day} {clock} 前"
    when = _WEEKDAYS_EN[weekday]
    if far:
        when = f"{when} {local.day} {_MONTHS_EN[local.month - 1]}"
    return f"by {when} {clock}"


def _letter_context(ticket: Mapping[str, Any]) -> dict[str, Any]:
    """What every support letter names: its ticket, subject and order."""
    return {
        "ticket_id": ticket["ticket_id"],
        "subject": ticket["subject"],
        "order_id": ticket.get("order_id"),
    }


def auto_reply(
    profile: Profile,
    ticket: Mapping[str, Any],
    promised: datetime,
    received: datetime,
    created_at: str,
    correlation_id: str | None,
) -> Message:
    """The automatic reply to a new ticket: received, quoted, and when a person answers."""
    context = {
        **_letter_context(ticket),
        "promise": promise_words(promised, received, profile.time_zone, profile.locale),
    }
    key = f"support-auto-reply#{ticket['ticket_id']}"
    return Message.transactional(profile, key, AUTO_REPLY, created_at, context, correlation_id)


def answer_letter(
    profile: Profile,
    ticket: Mapping[str, Any],
    question: str,
    reply: SupportReply,
    created_at: str,
    correlation_id: str | None,
) -> Message:
    """A person's answer by mail, quoting the question."""
    context = {
        **_letter_context(ticket),
        "question": question,
        "answer": reply.body,
        "closed": reply.close,
    }
    key = f"support-reply#{ticket['ticket_id']}#{reply.reply_id}"
    return Message.transactional(profile, key, REPLY, created_at, context, correlation_id)


def percentile(values: Iterable[int], share: float) -> int | None:
    """The nearest-rank percentile (``share`` 0.9 is p90); ``None`` without values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def metrics(days: Iterable[Mapping[str, Any]], start: date, end: date) -> dict[str, Any]:
    """Support figures from per-day counters: opened, answered, reply times, promises kept."""
    opened = answered = on_time = 0
    minutes: list[int] = []
    for day in days:
        opened += int(day.get("opened", 0))
        answered += int(day.get("answered", 0))
        on_time += int(day.get("on_time", 0))
        minutes.extend(int(value) for value in day.get("reply_minutes") or ())
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "opened": opened,
        "answered": answered,
        "first_reply_median_minutes": statistics.median(minutes) if minutes else None,
        "first_reply_p90_minutes": percentile(minutes, 0.9),
        "on_time_share": round(on_time / answered, 4) if answered else None,
    }
