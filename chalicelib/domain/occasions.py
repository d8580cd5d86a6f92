"""Birthdays and signup anniversaries (seed 001, Table 1): whose day it is, and what they get.

A day is the customer's own: at one instant the Earth holds two or three calendar dates
(UTC-12 to UTC+14), so the engagement job asks the birthday and anniversary indexes for
each of those month-days (:func:`month_days_at`) and keeps the customers whose local date
at that instant is their day (:func:`is_their_day`). A birthday on 29 February is
greeted on 28 February in other years.

What a customer gets depends on their loyalty: a very loyal customer a greeting card
that carries a few recommendations, a loyal one recommendations only, an occasional one
nothing (:func:`letter_for`). Each has a dedup key per kind and year, so a second run
for the same day queues nothing new.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BIRTHDAY = "birthday"
ANNIVERSARY = "anniversary"
KINDS = (BIRTHDAY, ANNIVERSARY)
LEAP_DAY = "02-29"
GREETING = "greeting"
RECOMMENDATIONS = "recommendations"
MIN_RECOMMENDATIONS = 2
MAX_RECOMMENDATIONS = 4
"""A greeting card carries 2 to 4 recommendations (fewer when fewer exist)."""

_EARTH_OFFSETS = (timedelta(hours=-12), timedelta(0), timedelta(hours=14))
"""The smallest and largest UTC offsets in use, and UTC itself."""
_LETTERS = {"very_loyal": GREETING, "loyal": RECOMMENDATIONS}


def month_day(day: date) -> str:
    """``MM-DD`` of ``day`` (the key of the birthday and anniversary indexes)."""
    return day.strftime("%m-%d")


def month_days_at(moment: datetime) -> list[str]:
    """The month-days some place on Earth is living at ``moment`` (two or three), with
    ``02-29`` beside ``02-28`` in a common year (those born on a leap day)."""
    utc = moment.astimezone(UTC)
    days = sorted({(utc + offset).date() for offset in _EARTH_OFFSETS})
    found: list[str] = []
    for day in days:
        found.append(month_day(day))
        if month_day(day) == "02-28" and not calendar.isleap(day.year):
            found.append(LEAP_DAY)
    return list(dict.fromkeys(found))


def local_date(moment: datetime, time_zone: str) -> date:
    """The calendar date in ``time_zone`` at ``moment``."""
    return moment.astimezone(ZoneInfo(time_zone)).date()


def is_their_day(their_month_day: str | None, today: date) -> bool:
    """Whether ``today`` (the customer's local date) is the day of ``their_month_day``."""
    if not their_month_day:
        return False
    if their_month_day == LEAP_DAY and not calendar.isleap(today.year):
        return month_day(today) == "02-28"
    return their_month_day == month_day(today)


def signup_month_day(created_at: datetime, time_zone: str) -> str:
    """The month-day of a signup in the customer's own time zone (their anniversary)."""
    return month_day(local_date(created_at, time_zone))


@dataclass(frozen=True)
class Occasion:
    """A customer's day: ``birthday`` or ``anniversary``, in which year, the how-many-th."""

    kind: str
    year: int
    years: int | None = None
    """Years since signup (anniversaries), or ``None``."""


def anniversary(signed_up: date, today: date) -> Occasion | None:
    """The anniversary ``today`` is, or ``None`` (the signup day itself is not one)."""
    years = today.year - signed_up.year
    return Occasion(ANNIVERSARY, today.year, years) if years >= 1 else None


@dataclass(frozen=True)
class Letter:
    """What to queue for an occasion: the template and its dedup key."""

    template: str
    key: str


def letter_for(loyalty: str, occasion: Occasion) -> Letter | None:
    """A greeting for the very loyal, recommendations for the loyal, nothing otherwise."""
    template = _LETTERS.get(loyalty)
    if template is None:
        return None
    return Letter(template, f"{template}#{occasion.kind}#{occasion.year}")
