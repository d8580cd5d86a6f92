"""Product-update campaigns (seed 001: tell every past buyer of a product about its upgrade).

A campaign names a sku and the admin's subject and body in both languages; it reaches
each customer who bought the sku and did not take it back, once, through the outbox
(dedup key ``product-update#<campaign_id>``), decided by the message policy at send time.

Its life: ``scheduled`` (a ``send_at`` still ahead) → ``sending`` (fan-out in pages, then
messages waiting for their outcome) → ``done`` (every message has an outcome), or
``cancelled`` at any point before ``done``. The counts come from the messages' outcomes;
a message deferred by quiet hours keeps its campaign ``sending`` until it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain import validation
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.messages import DEFERRED, FAILED, QUEUED, SENT, SUPPRESSED
from chalicelib.domain.times import iso, parse_iso
from chalicelib.domain.vocabulary import LANGUAGES

PRODUCT_UPDATE = "product_update"
KINDS = (PRODUCT_UPDATE,)
MESSAGE_PREFIX = "product-update#"
SCHEDULED, SENDING, DONE, CANCELLED = "scheduled", "sending", "done", "cancelled"
CANCELLED_REASON = "campaign_cancelled"
SEND_AT_HORIZON = timedelta(days=90)
SEND_AT_PAST_ALLOWANCE = timedelta(minutes=5)
SUBJECT_MAX, BODY_MAX = 150, 5000
OUTCOMES = (SENT, SUPPRESSED, DEFERRED, FAILED)
FIELDS = ("campaign_id", "kind", "sku", "subject", "body", "send_at", "dry_run")


@dataclass(frozen=True)
class CampaignRequest:
    """What the admin asked for (the part that makes a campaign the same campaign)."""

    campaign_id: str
    kind: str
    sku: str
    subject: dict[str, str]
    body: dict[str, str]
    send_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The request as stored and compared (idempotency on ``campaign_id``)."""
        return {
            "campaign_id": self.campaign_id,
            "kind": self.kind,
            "sku": self.sku,
            "subject": dict(self.subject),
            "body": dict(self.body),
            "send_at": self.send_at,
        }


def _texts(payload: dict[str, Any], name: str, max_length: int) -> dict[str, str]:
    value = validation.require_object(payload.get(name), name)
    validation.reject_unknown(value, LANGUAGES, f"{name}.")
    out = {}
    for language in LANGUAGES:
        if language not in value:
            raise InvalidInput(f"{name}.{language} is required", f"{name}.{language}")
        out[language] = _text(value[language], f"{name}.{language}", max_length, name == "body")
    return out


def _text(value: Any, field: str, max_length: int, lines: bool) -> str:
    """The admin's text: trimmed, no control characters but line breaks in a body."""
    if lines:
        return validation.paragraphs(value, field, max_length)
    return validation.text(value, field, max_length)


def _send_at(value: Any, now: datetime) -> str | None:
    if value is None:
        return None
    moment = validation.timestamp(value, "send_at", None)
    if moment < now - SEND_AT_PAST_ALLOWANCE:
        raise InvalidInput("send_at must not be in the past", "send_at")
    if moment > now + SEND_AT_HORIZON:
        raise InvalidInput(f"send_at must be within {SEND_AT_HORIZON.days} days", "send_at")
    return iso(moment)


def parse_request(payload: Any, now: datetime) -> tuple[CampaignRequest, bool]:
    """The campaign and whether it is a dry run; ``InvalidInput`` names the bad field."""
    body = validation.require_object(payload)
    validation.reject_unknown(body, FIELDS)
    for name in ("campaign_id", "kind", "sku", "subject", "body"):
        if name not in body:
            raise InvalidInput(f"{name} is required", name)
    request = CampaignRequest(
        campaign_id=validation.identifier(body["campaign_id"], "campaign_id"),
        kind=validation.choice(body["kind"], KINDS, "kind"),
        sku=validation.identifier(body["sku"], "sku"),
        subject=_texts(body, "subject", SUBJECT_MAX),
        body=_texts(body, "body", BODY_MAX),
        send_at=_send_at(body.get("send_at"), now),
    )
    dry_run = validation.boolean(body.get("dry_run", False), "dry_run")
    return request, dry_run


@dataclass(frozen=True)
class Counts:
    """What the campaign's messages became (kept from their outcomes)."""

    recipients: int = 0
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    suppressed: dict[str, int] = field(default_factory=dict)

    @property
    def finished(self) -> int:
        """Messages with a final outcome (a deferred one still waits for its time)."""
        return self.sent + self.failed + sum(self.suppressed.values())

    def to_dict(self) -> dict[str, Any]:
        """The counts as the API answers them."""
        return {
            "recipients": self.recipients,
            "sent": self.sent,
            "suppressed": {
                "total": sum(self.suppressed.values()),
                "by_reason": {k: v for k, v in sorted(self.suppressed.items()) if v},
            },
            "deferred": self.deferred,
            "failed": self.failed,
        }


def status_of(phase: str, fanned_out: bool, counts: Counts, queued: int = 0) -> str:
    """``scheduled``, ``sending``, ``done`` or ``cancelled`` (stored phase and counts).

    Done: the fan-out finished, the stream counted at least the ``queued`` messages the
    fan-out queued, and every counted message was sent, suppressed or failed (one deferred
    by quiet hours keeps the campaign ``sending``).
    """
    if phase in (SCHEDULED, CANCELLED):
        return phase
    if fanned_out and counts.recipients >= queued and counts.finished >= counts.recipients:
        return DONE
    return SENDING


def is_campaign_message(message_key: str) -> bool:
    """Whether a message key is a campaign's (``product-update#<campaign_id>``)."""
    return message_key.startswith(MESSAGE_PREFIX)


def message_key(campaign_id: str) -> str:
    """The dedup key of a campaign's message to each recipient."""
    return f"{MESSAGE_PREFIX}{campaign_id}"


def campaign_of(message_key_: str) -> str:
    """The campaign id of a campaign message's key."""
    return message_key_.removeprefix(MESSAGE_PREFIX)


def due(send_at: str | None, now: datetime) -> bool:
    """Whether a campaign may start fanning out at ``now``."""
    return send_at is None or parse_iso(send_at) <= now


@dataclass(frozen=True)
class Change:
    """How one change of a campaign message moves its campaign's counts."""

    transition: str
    add: dict[str, int]


def counter_name(status: str, reason: str | None) -> str:
    """The counter of an outcome (``suppressed`` is kept by reason)."""
    if status == SUPPRESSED:
        return f"suppressed#{reason or 'unknown'}"
    return status


def outcome_change(old: dict[str, Any] | None, new: dict[str, Any] | None) -> Change | None:
    """The counts a messages-table change moves, from its old and new images.

    A new message counts a recipient; entering an outcome counts it; a deferred message
    queued again leaves ``deferred`` (it will get another outcome). Anything else (a
    claim, a released claim, a write that keeps the status) moves nothing.
    """
    if new is None:
        return None
    before = old.get("status") if old else None
    after = new.get("status")
    if before == after:
        return None
    stamp = str(new.get("updated_at") or new.get("created_at") or "")
    add: dict[str, int] = {}
    if old is None and after == QUEUED:
        add["recipients"] = 1
    if after in OUTCOMES:
        add[counter_name(str(after), new.get("reason"))] = 1
    if before == DEFERRED:
        add[DEFERRED] = -1
    if not add:
        return None
    return Change(transition=f"{after}@{stamp}", add=add)


def counts_from(values: dict[str, Any]) -> Counts:
    """Counts from the stored counters (``suppressed#<reason>`` per reason)."""
    suppressed = {
        name.split("#", 1)[1]: int(value)
        for name, value in values.items()
        if name.startswith("suppressed#")
    }
    return Counts(
        recipients=int(values.get("recipients", 0)),
        sent=int(values.get(SENT, 0)),
        deferred=int(values.get(DEFERRED, 0)),
        failed=int(values.get(FAILED, 0)),
        suppressed=suppressed,
    )
