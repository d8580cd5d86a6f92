"""The one message policy every mail goes through, applied at send time.

In order: a deliverable address (bounced and erased addresses are suppressed; a
complained one gets only transactional mail, what the customer asked for), consent
for the message's purpose, the loyalty gate (seed 001: greeting cards to very loyal
customers only, recommendations to very and generally loyal ones; marketing mail, which
follows the customer's own behaviour, with consent to anyone), the weekly frequency cap,
quiet hours in the customer's time zone (which defer rather than drop), and the daily
cap with priorities
(:mod:`chalicelib.domain.frequency_cap`: one non-transactional mail a day, the most
valuable of those due). Transactional mail (welcome, order confirmation,
shipment milestones, support replies) passes consent, gate, cap and quiet hours: the
customer asked for it by acting.

The policy decides on the recipient as they stand at send time. The copy stored with
a message is trusted only for a transactional mail sent within ``SNAPSHOT_FRESHNESS``
of being queued (the welcome letter, an order confirmation seconds after the order);
every other message is readdressed to the live profile first, and a message whose
profile is gone (erased or unknown) is suppressed with ``PROFILE_GONE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.frequency_cap import RecentMail, is_capped, loses_the_day
from chalicelib.domain.mail_feedback import COMPLAINED
from chalicelib.domain.messages import NON_TRANSACTIONAL_TEMPLATES, Message, Recipient
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import parse_iso

SNAPSHOT_FRESHNESS = timedelta(minutes=1)

DEFAULT_LOYALTY_GATES: dict[str, frozenset[str]] = {
    "greetings": frozenset({"very_loyal"}),
    "recommendations": frozenset({"very_loyal", "loyal"}),
    # What the customer's own behaviour calls for (their cart, a product they bought and
    # use up, an update to it, coming back): consent decides, whatever the class.
    "marketing": frozenset({"very_loyal", "loyal", "occasional"}),
    "surveys": frozenset({"very_loyal", "loyal", "occasional"}),
}


@dataclass(frozen=True)
class Decision:
    """What to do with a message now: ``send``, ``suppress`` (with a reason) or ``defer``."""

    action: str
    reason: str | None = None
    not_before: datetime | None = None


SEND = Decision("send")
PROFILE_GONE = Decision("suppress", "profile_gone")


def suppressed(reason: str) -> Decision:
    """The decision for an address on the suppression list (``erased``): never mailed,
    whatever the message, consent or snapshot."""
    return Decision("suppress", reason)


def needs_live_profile(message: Message, now: datetime) -> bool:
    """Whether ``message`` must be decided on the live profile rather than its copy.

    Only a transactional message queued at most ``SNAPSHOT_FRESHNESS`` before ``now``
    may use the copy: consent, address status and suppression can have changed since
    a message was queued or deferred any longer ago.
    """
    if message.purpose != "transactional":
        return True
    return now - parse_iso(message.created_at) > SNAPSHOT_FRESHNESS


def decide(
    message: Message,
    now: datetime,
    settings: StoreSettings,
    sent_last_7_days: int = 0,
    gates: dict[str, frozenset[str]] | None = None,
    recent: Sequence[RecentMail] = (),
) -> Decision:
    """Apply the policy to ``message`` at ``now``.

    ``recent`` is the customer's other non-transactional mail: sent lately, or waiting
    (for the daily cap); ``sent_last_7_days`` how many of it were sent in the last week.
    """
    recipient = message.recipient
    status = recipient.email_status
    if status not in ("ok", "unverified", COMPLAINED):
        return Decision("suppress", f"address_{status}")
    if message.purpose == "transactional":
        return SEND  # a complaint stops what we chose to send, not what they asked for
    if status == COMPLAINED:
        return Decision("suppress", f"address_{status}")
    refusal = _refusal(message.purpose, recipient, gates)
    if refusal is not None:
        return refusal
    capped = is_capped(message.template)
    if capped and sent_last_7_days >= settings.frequency_cap_per_week:
        return Decision("suppress", "frequency_cap")
    resume = quiet_hours_end(now, recipient.time_zone, settings)
    if resume is not None:
        return Decision("defer", "quiet_hours", resume)
    if capped and loses_the_day(
        message.message_key,
        message.template,
        recent,
        now,
        recipient.time_zone,
        settings.mail_priorities,
        lambda template: would_receive(template, recipient, gates),
    ):
        return Decision("suppress", "frequency_cap")
    return SEND


def _refusal(
    purpose: str, recipient: Recipient, gates: dict[str, frozenset[str]] | None
) -> Decision | None:
    """Why a mail of ``purpose`` may not go to ``recipient`` (consent, loyalty gate)."""
    if not recipient.consents.get(purpose, False):
        return Decision("suppress", f"no_consent_{purpose}")
    allowed = (gates or DEFAULT_LOYALTY_GATES).get(purpose, frozenset())
    if recipient.loyalty not in allowed:
        return Decision("suppress", f"loyalty_gate_{recipient.loyalty}")
    return None


def would_receive(
    template: str, recipient: Recipient, gates: dict[str, frozenset[str]] | None = None
) -> bool:
    """Whether ``recipient`` consents to, and passes the gate of, a ``template`` mail."""
    purpose = NON_TRANSACTIONAL_TEMPLATES.get(template)
    return purpose is not None and _refusal(purpose, recipient, gates) is None


def quiet_hours_end(now: datetime, time_zone: str, settings: StoreSettings) -> datetime | None:
    """When quiet hours end if ``now`` falls inside them in ``time_zone``, else ``None``."""
    start, end = settings.quiet_hours_start, settings.quiet_hours_end
    if start == end:
        return None
    local = now.astimezone(ZoneInfo(time_zone))
    hour = local.hour
    inside = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not inside:
        return None
    resume = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if resume <= local:
        resume += timedelta(days=1)
    return resume.astimezone(now.tzinfo)
