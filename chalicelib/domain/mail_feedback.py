"""What SES tells about the mail it took: bounces, complaints and deliveries.

SES publishes one JSON notification per event on the configuration set's SNS topic
(``notificationType``, or ``eventType`` for configuration-set event publishing:
``Bounce``, ``Complaint``, ``Delivery``), naming the mail by ``mail.messageId`` (the id
the send returned). The rules:

- a permanent bounce makes the address ``bounced``;
- a complaint makes it ``complained`` (non-transactional mail is suppressed);
- a transient (or undetermined) bounce is counted, and the address counts as bounced
  only after ``transient_bounce_limit`` of them within ``transient_bounce_window_days``;
- a delivery changes nothing about the address.

A complained address stays complained: a later bounce never turns it back into mail
the customer did not want.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain import validation
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso, parse_iso

BOUNCE = "bounce"
COMPLAINT = "complaint"
DELIVERY = "delivery"
KINDS = {"Bounce": BOUNCE, "Complaint": COMPLAINT, "Delivery": DELIVERY}
OTHER_SES_EVENTS = frozenset(
    {"Send", "Reject", "Open", "Click", "DeliveryDelay", "RenderingFailure", "Subscription"}
)
"""SES events that say nothing about the address: acknowledged and ignored."""

BOUNCED = "bounced"
COMPLAINED = "complained"

OUTCOME_BOUNCED = "bounced"
OUTCOME_SOFT_BOUNCED = "soft_bounced"
OUTCOME_COMPLAINED = "complained"
OUTCOME_DELIVERED = "delivered"


@dataclass(frozen=True)
class Feedback:
    """One SES notification about one mail."""

    kind: str
    provider_message_id: str
    recipients: tuple[str, ...]
    at: str
    permanent: bool = False

    @property
    def outcome(self) -> str:
        """What the message item records."""
        if self.kind == COMPLAINT:
            return OUTCOME_COMPLAINED
        if self.kind == DELIVERY:
            return OUTCOME_DELIVERED
        return OUTCOME_BOUNCED if self.permanent else OUTCOME_SOFT_BOUNCED

    @property
    def transient_bounce(self) -> bool:
        """A bounce that counts towards ``transient_bounce_limit``."""
        return self.kind == BOUNCE and not self.permanent


def parse_notification(text: Any) -> Feedback | None:
    """The notification in an SNS message, ``None`` for an SES event that says nothing
    about the address; raises ``InvalidInput`` naming what is wrong."""
    try:
        body = json.loads(text)
    except (TypeError, ValueError):
        raise InvalidInput("the SNS message is not JSON", "Message") from None
    if not isinstance(body, dict):
        raise InvalidInput("the SNS message is not a JSON object", "Message")
    name = str(body.get("notificationType") or body.get("eventType"))
    if name in OTHER_SES_EVENTS:
        return None
    kind = KINDS.get(name)
    if kind is None:
        raise InvalidInput("not a bounce, complaint or delivery", "notificationType")
    mail = body.get("mail")
    mail = mail if isinstance(mail, dict) else {}
    message_id = mail.get("messageId")
    if not isinstance(message_id, str) or not message_id:
        raise InvalidInput("mail.messageId is missing", "mail.messageId")
    detail = body.get(kind)
    if not isinstance(detail, dict):
        raise InvalidInput(f"{kind} is missing", kind)
    return Feedback(
        kind=kind,
        provider_message_id=message_id,
        recipients=_recipients(kind, detail),
        at=_timestamp(detail.get("timestamp") or mail.get("timestamp"), kind),
        permanent=kind == BOUNCE and detail.get("bounceType") == "Permanent",
    )


def _recipients(kind: str, detail: dict[str, Any]) -> tuple[str, ...]:
    if kind == DELIVERY:
        raw: list[Any] = list(detail.get("recipients") or [])
    else:
        listed = detail.get("bouncedRecipients" if kind == BOUNCE else "complainedRecipients")
        raw = [entry.get("emailAddress") for entry in listed or [] if isinstance(entry, dict)]
    out = []
    for address in raw:
        try:
            out.append(validation.email(address, "recipient"))
        except InvalidInput:
            continue  # an address the store could not have mailed: nothing to mark
    return tuple(dict.fromkeys(out))


def _timestamp(value: Any, kind: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{kind}.timestamp is missing", f"{kind}.timestamp")
    try:
        return iso(parse_iso(value))
    except ValueError:
        raise InvalidInput(f"{kind}.timestamp is not a time", f"{kind}.timestamp") from None


def transient_entry(at: str, notification_id: str) -> str:
    """How one transient bounce is counted (a set member: a redelivery adds nothing)."""
    return f"{at}#{notification_id}"


def recent_transient_bounces(
    entries: Iterable[str], as_of: datetime, settings: StoreSettings
) -> int:
    """How many counted transient bounces fall within the window ending at ``as_of``."""
    since = as_of - timedelta(days=settings.transient_bounce_window_days)
    count = 0
    for entry in entries:
        try:
            at = parse_iso(entry.partition("#")[0])
        except ValueError:
            continue
        if since <= at <= as_of:
            count += 1
    return count


def next_email_status(
    current: str, feedback: Feedback, transient_entries: Iterable[str], settings: StoreSettings
) -> str:
    """The address's status after ``feedback`` (``transient_entries`` include this one)."""
    if current == COMPLAINED or feedback.kind == DELIVERY:
        return current
    if feedback.kind == COMPLAINT:
        return COMPLAINED
    if feedback.permanent:
        return BOUNCED
    counted = recent_transient_bounces(transient_entries, parse_iso(feedback.at), settings)
    return BOUNCED if counted >= settings.transient_bounce_limit else current
