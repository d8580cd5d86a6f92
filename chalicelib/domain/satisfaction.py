"""The monthly satisfaction survey (seed 001: eBay asks its customers every month).

Once a calendar month (the customer's own), customers with an order in the last
``RECENT_ORDER_DAYS`` days who consented to surveys get one ``satisfaction_survey``
letter with a signed link to the survey page, never in the same week as the survey
the delivery letter carries: a customer whose delivery letter went out in the last
``DELIVERY_SURVEY_QUIET_DAYS`` days is left for next month.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

MONTHLY_SURVEY_PURPOSE = "monthly-survey"
RECENT_ORDER_DAYS = 90
DELIVERY_SURVEY_QUIET_DAYS = 7
SUBJECT_SEPARATOR = "|"
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def survey_month(moment: datetime, time_zone: str) -> str:
    """The customer's calendar month at ``moment`` (``YYYY-MM``)."""
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%Y-%m")


def survey_key(month: str) -> str:
    """The message key: one survey per customer per month."""
    return f"satisfaction-survey#{month}"


def token_subject(customer_id: str, month: str) -> str:
    """What the survey link is signed for: a customer's month."""
    return f"{customer_id}{SUBJECT_SEPARATOR}{month}"


def month_of_token(subject: str | None) -> tuple[str, str] | None:
    """``(customer_id, month)`` from a signed subject, or ``None``."""
    if not subject or SUBJECT_SEPARATOR not in subject:
        return None
    customer_id, _, month = subject.rpartition(SUBJECT_SEPARATOR)
    return (customer_id, month) if customer_id and MONTH.fullmatch(month) else None


def months_back(as_of: datetime, days: int = RECENT_ORDER_DAYS) -> list[str]:
    """Every UTC calendar month from ``days`` before ``as_of`` to ``as_of`` (``YYYY-MM``)."""
    utc = as_of.astimezone(UTC)
    first = (utc - timedelta(days=days)).date().replace(day=1)
    last = utc.date()
    months, day = [], first
    while day <= last:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def placed_month(placed_at: datetime) -> str:
    """The month an order is indexed under (UTC)."""
    return placed_at.astimezone(UTC).strftime("%Y-%m")
