"""Time formatting and the bounds of every time the API takes.

Time is always passed in, never read: services give the domain ``now`` from their clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.exceptions import InvalidInput

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""No fact the API takes happened before this (a birthday is bounded on its own)."""

PROMISE_HORIZON = timedelta(days=366)
"""How far ahead a promised or estimated delivery date, or a job's ``as_of``, may lie."""


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC, millisecond precision, ``Z`` suffix (sorts as text).

    A moment whose UTC form falls outside years 1 to 9999 (``0001-01-01T00:00+14:00``)
    keeps its own offset instead of overflowing, so whatever is stored can be shown.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        return moment.isoformat(timespec="milliseconds")
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_day(moment: datetime) -> date:
    """The UTC calendar day of ``moment``; the first or last representable day when UTC
    cannot express it (a time stored before the bounds existed), never an error."""
    try:
        return moment.astimezone(UTC).date()
    except OverflowError:
        return date.min if moment.year == date.min.year else date.max


def job_day(as_of: datetime | None, now: datetime) -> date:
    """The UTC calendar day a job computes for: that of ``as_of`` (a backfill or a
    rehearsal, in whatever offset it was given), else that of ``now``."""
    return utc_day(as_of or now)


def parse_iso(value: str) -> datetime:
    """Inverse of :func:`iso` (accepts any ISO 8601 with an offset)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass(frozen=True)
class TimeBounds:
    """The times the API accepts, as of ``now``.

    A fact (an order placed, a parcel scanned) happened between :data:`EARLIEST` and
    ``now`` plus ``skew``, the clock-skew allowance of the store settings. A promised
    date lies between :data:`EARLIEST` and :data:`PROMISE_HORIZON` after ``now``.
    Comparing aware datetimes never overflows, so the checks run before any conversion.
    """

    now: datetime
    skew: timedelta

    @property
    def latest(self) -> datetime:
        """The latest moment a fact may carry."""
        return self.now + self.skew

    def fact(self, moment: datetime, field: str) -> datetime:
        """``moment`` if a fact may have happened then; else ``InvalidInput`` naming ``field``."""
        if moment < EARLIEST:
            raise InvalidInput(f"{field} must not be before {EARLIEST.date().isoformat()}", field)
        if moment > self.latest:
            minutes = int(self.skew.total_seconds() // 60)
            raise InvalidInput(
                f"{field} is in the future (more than {minutes} minutes after now)", field
            )
        return moment

    def horizon_day(self, day: date, field: str) -> date:
        """``day`` if it lies from :data:`EARLIEST` to :data:`PROMISE_HORIZON` ahead.

        Promised and estimated deliveries, and a job's ``as_of`` (a backfill, or a
        rehearsal of a day to come).
        """
        if day < EARLIEST.date():
            raise InvalidInput(f"{field} must not be before {EARLIEST.date().isoformat()}", field)
        if day > (self.now + PROMISE_HORIZON).date():
            raise InvalidInput(
                f"{field} must be at most {PROMISE_HORIZON.days} days from today", field
            )
        return day

    def horizon_moment(self, moment: datetime, field: str) -> datetime:
        """``moment`` if it lies from :data:`EARLIEST` to :data:`PROMISE_HORIZON` after now
        (a job's ``as_of``: a backfill, or a rehearsal of a time to come)."""
        if moment < EARLIEST:
            raise InvalidInput(f"{field} must not be before {EARLIEST.date().isoformat()}", field)
        if moment > self.now + PROMISE_HORIZON:
            raise InvalidInput(
                f"{field} must be at most {PROMISE_HORIZON.days} days from now", field
            )
        return moment
