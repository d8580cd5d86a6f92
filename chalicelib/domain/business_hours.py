"""Business hours: when support works, and the promise of a first answer.

Pure rules (no I/O, no clock): the week's working intervals and the holidays are in the
store's support time zone; moments are aware datetimes. Working time is counted
interval by interval in local time, so a day on which the clocks change has the hours
it really has (a working 09:00–18:00 stays 09:00–18:00 on the wall clock).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.domain import validation
from chalicelib.domain.exceptions import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WEEK: dict[str, list[str]] = {day: ["09:00-18:00"] for day in WEEKDAYS[:5]}
SEARCH_DAYS = 3660
"""How far a walk through business time looks ahead before it gives up."""
_INTERVAL = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])")


@dataclass(frozen=True)
class BusinessHours:
    """Working intervals per weekday (local wall-clock times) and the days off."""

    time_zone: str = "Asia/Shanghai"
    week: tuple[tuple[tuple[time, time], ...], ...] = ()
    holidays: frozenset[date] = frozenset()

    def intervals_on(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The working intervals of ``day`` as aware datetimes (none on a holiday)."""
        if day in self.holidays:
            return
        zone = ZoneInfo(self.time_zone)
        for start, end in self.week[day.weekday()]:
            begin = datetime.combine(day, start, zone)
            finish = (
                datetime.combine(day + timedelta(days=1), time(0), zone)
                if end == time(0)
                else datetime.combine(day, end, zone)
            )
            yield begin.astimezone(UTC), finish.astimezone(UTC)

    def local_day(self, moment: datetime) -> date:
        """The calendar day of ``moment`` in the support time zone."""
        return moment.astimezone(ZoneInfo(self.time_zone)).date()


def _parse_interval(raw: Any, field: str) -> tuple[time, time]:
    match = _INTERVAL.fullmatch(raw) if isinstance(raw, str) else None
    if not match:
        raise InvalidInput("an interval is written HH:MM-HH:MM (24-hour clock)", field)
    start = time(int(match[1]), int(match[2]))
    end_hour, end_minute = int(match[3]), int(match[4])
    if end_hour == 24 and end_minute:
        raise InvalidInput("an interval ends at 24:00 at the latest", field)
    end = time(0) if end_hour == 24 else time(end_hour, end_minute)
    if end != time(0) and end <= start:
        raise InvalidInput("an interval must end after it starts", field)
    return start, end


def parse_week(raw: Any, field: str = "support_week") -> dict[str, list[str]]:
    """Validate weekly hours ``{"mon": ["09:00-12:00", "13:00-18:00"], ...}``."""
    body = validation.require_object(raw, field)
    validation.reject_unknown(body, WEEKDAYS, prefix=f"{field}.")
    week: dict[str, list[str]] = {}
    for day, intervals in body.items():
        where = f"{field}.{day}"
        if not isinstance(intervals, list) or len(intervals) > 6:
            raise InvalidInput("a day's hours are a list of at most 6 intervals", where)
        parsed = [_parse_interval(item, f"{where}[{i}]") for i, item in enumerate(intervals)]
        ordered = sorted(parsed)
        for (_, end), (start, _) in zip(ordered, ordered[1:], strict=False):
            if end == time(0) or end > start:
                raise InvalidInput("a day's intervals must not overlap", where)
        week[day] = [str(item) for item in intervals]
    if not any(week.values()):
        raise InvalidInput("support must work at least one interval a week", field)
    return week


def parse_holidays(raw: Any, field: str = "support_holidays") -> list[str]:
    """Validate days off: a list of at most 366 dates ``YYYY-MM-DD``."""
    if not isinstance(raw, list) or len(raw) > 366:
        raise InvalidInput("holidays are a list of at most 366 dates", field)
    return sorted({validation.day(item, f"{field}[{i}]").isoformat() for i, item in enumerate(raw)})


def business_hours(
    time_zone: str, week: dict[str, list[str]], holidays: list[str]
) -> BusinessHours:
    """Business hours from their stored (validated) form."""
    days = tuple(
        tuple(sorted(_parse_interval(item, day) for item in week.get(day, ()))) for day in WEEKDAYS
    )
    return BusinessHours(time_zone, days, frozenset(date.fromisoformat(d) for d in holidays))


def _intervals_from(hours: BusinessHours, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Working intervals from ``start`` on (the first one clipped), in order."""
    first = hours.local_day(start) - timedelta(days=1)  # an interval may begin the day before
    for offset in range(SEARCH_DAYS):
        for begin, end in hours.intervals_on(first + timedelta(days=offset)):
            if end > start:
                yield max(begin, start), end


def add_business_minutes(hours: BusinessHours, start: datetime, minutes: int) -> datetime:
    """The moment ``minutes`` of working time after ``start``."""
    left = timedelta(minutes=minutes)
    for begin, end in _intervals_from(hours, start):
        if end - begin >= left:
            return begin + left
        left -= end - begin
    raise InvalidInput("the support hours leave no working time ahead", "support_week")


def business_minutes_between(hours: BusinessHours, start: datetime, end: datetime) -> int:
    """Whole minutes of working time from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    total = timedelta()
    for begin, finish in _intervals_from(hours, start):
        if begin >= end:
            break
        total += min(finish, end) - begin
    return int(total.total_seconds() // 60)


def minutes_needed(open_ahead: int, answers_per_hour: int, first_answer_minutes: int) -> int:
    """Working minutes until a person answers: the backlog's share, at least the floor."""
    backlog = math.ceil(open_ahead * 60 / answers_per_hour) if answers_per_hour else 0
    return max(first_answer_minutes, backlog)


def expected_answer_by(
    hours: BusinessHours,
    received_at: datetime,
    open_ahead: int,
    answers_per_hour: int,
    first_answer_minutes: int,
) -> datetime:
    """When a person will have answered a question received at ``received_at``.

    ``open_ahead`` tickets wait before this one and support answers
    ``answers_per_hour`` of them per working hour; the answer never comes sooner than
    ``first_answer_minutes`` of working time. Nights, weekends and holidays do not count.
    """
    needed = minutes_needed(open_ahead, answers_per_hour, first_answer_minutes)
    return add_business_minutes(hours, received_at, needed)
