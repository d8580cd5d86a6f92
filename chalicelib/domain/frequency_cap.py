"""The daily frequency cap: of the non-transactional mails due for one customer on one
day, only the most valuable is sent.

Seed 001 asks that a customer be cared for, never spammed. When a birthday card, a cart
reminder and a win-back letter fall due on the same day, the customer gets the birthday
card; the others are suppressed with ``frequency_cap`` and never sent later in a burst.
The day is the customer's own, in their time zone. The order of value is a store setting
(``mail_priorities``, most valuable first); a template it does not list ranks last.

The decision is made when a mail is about to be sent, among the mails known then: those
already sent that day and those still waiting (queued, or deferred to later that day).
Mail that waits through quiet hours resumes together in the morning, so the night's
mails compete with one another. A mail that falls due after another was sent that day is
suppressed: one a day is the promise. A competitor the customer would not get anyway
(no consent for its purpose, or the loyalty gate) does not push a mail out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from chalicelib.domain.messages import DEFERRED, QUEUED, SENDING, SENT

DEFAULT_PRIORITIES: tuple[str, ...] = (
    "greeting",
    "recommendations",
    "cart_reminder",
    "replenishment",
    "occasion_suggestion",
    "win_back",
    "product_update",
    "satisfaction_survey",
)
"""Most valuable first (the issue's order; ``recommendations`` is the loyal customer's
occasion card, so it ranks with the greeting card)."""

UNCAPPED = frozenset({"review_coupon"})
"""Mail the customer earned and was promised (the coupon for a written review): never
capped, like transactional mail."""

WAITING = (QUEUED, SENDING, DEFERRED)


@dataclass(frozen=True)
class RecentMail:
    """A non-transactional mail of the customer's, as the cap needs to know it."""

    message_key: str
    template: str
    status: str
    sent_at: datetime | None = None
    not_before: datetime | None = None


def rank(template: str, priorities: Sequence[str]) -> int:
    """The template's place in ``priorities`` (0 is the most valuable; unlisted last)."""
    return priorities.index(template) if template in priorities else len(priorities)


def is_capped(template: str) -> bool:
    """Whether the daily cap applies to a non-transactional ``template`` at all."""
    return template not in UNCAPPED


def loses_the_day(
    message_key: str,
    template: str,
    recent: Iterable[RecentMail],
    now: datetime,
    time_zone: str,
    priorities: Sequence[str],
    would_receive: Callable[[str], bool],
) -> bool:
    """Whether the mail must give way today: another was sent, or a worthier one waits.

    ``would_receive(template)`` says whether the customer would get a mail of that
    template at all (consent and loyalty gate), so a competitor that would be suppressed
    anyway does not win. Ties go to the smaller message key, so exactly one mail wins.
    """
    zone = ZoneInfo(time_zone)
    today = now.astimezone(zone).date()
    mine = (rank(template, priorities), message_key)
    for other in recent:
        if other.message_key == message_key or not is_capped(other.template):
            continue
        if other.status == SENT and _day(other.sent_at, zone) == today:
            return True
        if other.status in WAITING and _waits_for_today(other, now, zone, today):
            worthier = (rank(other.template, priorities), other.message_key) < mine
            if worthier and would_receive(other.template):
                return True
    return False


def _waits_for_today(mail: RecentMail, now: datetime, zone: ZoneInfo, today: date) -> bool:
    """A waiting mail competes today unless it is deferred to a later day."""
    if mail.status != DEFERRED or mail.not_before is None:
        return True
    return mail.not_before <= now or _day(mail.not_before, zone) == today


def _day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return None if moment is None else moment.astimezone(zone).date()
