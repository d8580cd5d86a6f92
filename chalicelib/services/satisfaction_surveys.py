"""The monthly ``satisfaction-surveys`` job: one survey letter a month to recent buyers.

For ``as_of`` (a moment; the schedule's is now), every customer with an order in the
last 90 days gets the ``satisfaction_survey`` letter keyed by their own calendar month,
so a second run that month queues nothing new, unless a delivery letter (which carries
the parcel's survey) was queued for them in the last 7 days. The mailer decides consent
(``surveys``), the address, quiet hours and the daily cap at send time; the letter's
signed link to the survey page is signed then too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from chalicelib.domain.messages import non_transactional
from chalicelib.domain.satisfaction import (
    DELIVERY_SURVEY_QUIET_DAYS,
    RECENT_ORDER_DAYS,
    survey_key,
    survey_month,
)
from chalicelib.domain.times import iso
from chalicelib.services.ports import Outbox, ProfileReader, Retrier
from chalicelib.services.retry import NO_RETRY


class SurveyAudience(Protocol):
    """Recent buyers, and whether a delivery letter went to a customer lately."""

    def buyers_between(self, since: datetime, until: datetime, retry: Retrier = ...) -> list[str]:
        """Every customer with an order placed in the window, each once."""
        ...

    def delivery_letter_since(self, customer_id: str, since: datetime) -> bool:
        """Whether a delivery letter was queued for the customer since ``since``."""
        ...


@dataclass(frozen=True)
class SurveyJobDeps:
    """What the monthly survey job needs."""

    audience: SurveyAudience
    profiles: ProfileReader
    outbox: Outbox


def run_satisfaction_surveys(
    deps: SurveyJobDeps, as_of: datetime, retry: Retrier = NO_RETRY
) -> dict[str, int]:
    """Queue this month's survey letter for every recent buyer; returns the counts."""
    counts = {"buyers": 0, "queued": 0, "already_queued": 0, "delivery_week": 0, "gone": 0}
    since = as_of - timedelta(days=RECENT_ORDER_DAYS)
    for customer_id in deps.audience.buyers_between(since, as_of, retry):
        counts["buyers"] += 1
        counts[_survey_one(customer_id, deps, as_of, retry)] += 1
    return counts


def _survey_one(customer_id: str, deps: SurveyJobDeps, as_of: datetime, retry: Retrier) -> str:
    """Queue one customer's survey letter; returns what happened."""
    profile = retry(lambda: deps.profiles.get(customer_id))
    if profile is None:
        return "gone"
    quiet_since = as_of - timedelta(days=DELIVERY_SURVEY_QUIET_DAYS)
    if retry(lambda: deps.audience.delivery_letter_since(customer_id, quiet_since)):
        return "delivery_week"
    month = survey_month(as_of, profile.time_zone)
    letter = non_transactional(
        profile, survey_key(month), "satisfaction_survey", iso(as_of), {"month": month}
    )
    return "queued" if retry(lambda: deps.outbox.enqueue(letter)) else "already_queued"
