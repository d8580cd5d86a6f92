"""Parcel tracking: carrier scans folded into one public status.

A parcel's state is a pure function of the *set* of its scans: :func:`fold` removes
duplicates, sorts the scans in event time and replays them through the state machine
of :mod:`chalicelib.domain.tracking_status`. The same scans in any order, delivered any
number of times, give the same :class:`ParcelState`. What to publish from one state
to the next is decided by :mod:`chalicelib.domain.tracking_publish`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.tracking_status import (
    DELIVERED,
    NO_LEVEL,
    level,
    next_status,
    require_status,
    tie_order,
)


@dataclass(frozen=True)
class Scan:
    """One carrier event about one parcel, with a normalized status.

    Attributes
    ----------
    event_id
        The carrier's (or webhook's) unique id of the event; duplicates share it.
    tracking_number
        The parcel's tracking number.
    status
        A normalized status (see :data:`~chalicelib.domain.tracking_status.STATUSES`).
    occurred_at
        When the event happened, time-zone aware.
    location, description
        Free text from the carrier, if any.
    estimated_delivery
        The carrier's delivery estimate as of this event, if it gave one.
    raw_status
        The carrier's own code, kept for support and audits.
    """

    event_id: str
    tracking_number: str
    status: str
    occurred_at: datetime
    location: str | None = None
    description: str | None = None
    estimated_delivery: date | None = None
    raw_status: str | None = None

    def __post_init__(self) -> None:
        """Validate the fields that the state machine relies on."""
        _require_text(self.event_id, "event_id")
        _require_text(self.tracking_number, "tracking_number")
        require_status(self.status)
        _require_aware(self.occurred_at, "occurred_at")
        if self.estimated_delivery is not None and (
            isinstance(self.estimated_delivery, datetime)
            or not isinstance(self.estimated_delivery, date)
        ):
            raise InvalidInput("estimated_delivery must be a date", "estimated_delivery")

    def to_dict(self) -> dict[str, Any]:
        """Return the scan as JSON-compatible data (ISO 8601 dates and times)."""
        return {
            "event_id": self.event_id,
            "tracking_number": self.tracking_number,
            "status": self.status,
            "occurred_at": self.occurred_at.isoformat(),
            "location": self.location,
            "description": self.description,
            "estimated_delivery": _iso(self.estimated_delivery),
            "raw_status": self.raw_status,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scan:
        """Build a scan from :meth:`to_dict` output.

        Raises
        ------
        InvalidInput
            If a field is missing or malformed (the error names it).
        """
        eta = data.get("estimated_delivery")
        return cls(
            event_id=data.get("event_id", ""),
            tracking_number=data.get("tracking_number", ""),
            status=data.get("status", ""),
            occurred_at=parse_datetime(data.get("occurred_at"), "occurred_at"),
            location=data.get("location"),
            description=data.get("description"),
            estimated_delivery=None if eta is None else _parse_date(eta),
            raw_status=data.get("raw_status"),
        )


@dataclass(frozen=True)
class ParcelState:
    """The folded state of one parcel.

    Attributes
    ----------
    tracking_number
        The parcel's tracking number (``None`` only for a parcel without scans).
    status
        The public status (``None`` without scans).
    previous_status
        The public status before ``status``.
    status_since
        ``occurred_at`` of the scan that set ``status``.
    milestone
        The highest milestone reached.
    milestones
        Every milestone reached, with when, in order.
    estimated_delivery
        The newest estimate: from the newest scan (by event time) that carries one.
    delivered_at
        When the ``delivered`` milestone was reached.
    last_event_at
        ``occurred_at`` of the newest scan.
    history
        Every distinct scan, in processing order: (occurred_at, tie order, event_id).
    """

    tracking_number: str | None = None
    status: str | None = None
    previous_status: str | None = None
    status_since: datetime | None = None
    milestone: str | None = None
    milestones: tuple[tuple[str, datetime], ...] = ()
    estimated_delivery: date | None = None
    delivered_at: datetime | None = None
    last_event_at: datetime | None = None
    history: tuple[Scan, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the state as JSON-compatible data (ISO 8601 dates and times)."""
        return {
            "tracking_number": self.tracking_number,
            "status": self.status,
            "previous_status": self.previous_status,
            "status_since": _iso(self.status_since),
            "milestone": self.milestone,
            "milestones": [
                {"status": status, "occurred_at": at.isoformat()}
                for status, at in self.milestones
            ],
            "estimated_delivery": _iso(self.estimated_delivery),
            "delivered_at": _iso(self.delivered_at),
            "last_event_at": _iso(self.last_event_at),
            "history": [scan.to_dict() for scan in self.history],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ParcelState:
        """Rebuild a state from :meth:`to_dict` output.

        The state is re-folded from its history, so a stored state written by an
        older rule set comes back consistent with today's rules.
        """
        return fold(Scan.from_dict(item) for item in data.get("history") or ())


def fold(scans: Iterable[Scan]) -> ParcelState:
    """Fold a parcel's scans into its state.

    Parameters
    ----------
    scans
        Scans of one parcel, in any order, possibly repeated.

    Returns
    -------
    ParcelState
        The state; identical for any permutation or repetition of ``scans``.

    Raises
    ------
    InvalidInput
        If the scans belong to more than one tracking number.
    """
    history = canonical_history(scans)
    status: str | None = None
    previous: str | None = None
    since: datetime | None = None
    reached = NO_LEVEL
    milestones: list[tuple[str, datetime]] = []
    for scan in history:
        new = next_status(status, reached, scan.status)
        if new is None or new == status:
            continue
        previous, status, since = status, new, scan.occurred_at
        if level(new) > reached:
            reached = level(new)
            milestones.append((new, scan.occurred_at))
    return ParcelState(
        tracking_number=history[0].tracking_number if history else None,
        status=status,
        previous_status=previous,
        status_since=since,
        milestone=milestones[-1][0] if milestones else None,
        milestones=tuple(milestones),
        estimated_delivery=_newest_estimate(history),
        delivered_at=dict(milestones).get(DELIVERED),
        last_event_at=history[-1].occurred_at if history else None,
        history=history,
    )


def canonical_history(scans: Iterable[Scan]) -> tuple[Scan, ...]:
    """Return the distinct scans in processing order.

    Scans are distinct by ``event_id``. When two scans share an id but differ, the
    one that sorts first by (occurred_at, tie order, status, other fields) is kept,
    whatever order they came in. The result is sorted by (occurred_at, tie order of
    the status, event_id).

    Raises
    ------
    InvalidInput
        If the scans belong to more than one tracking number.
    """
    kept: dict[str, Scan] = {}
    for scan in scans:
        other = kept.get(scan.event_id)
        if other is None or _content_key(scan) < _content_key(other):
            kept[scan.event_id] = scan
    if len({scan.tracking_number for scan in kept.values()}) > 1:
        raise InvalidInput("scans of several parcels cannot be folded together", "tracking_number")
    return tuple(sorted(kept.values(), key=_processing_key))


def parse_datetime(value: object, field: str) -> datetime:
    """Parse an ISO 8601 time-zone aware date and time.

    Raises
    ------
    InvalidInput
        If ``value`` is not such a string (or datetime), naming ``field``.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{field} must be an ISO 8601 date and time", field) from None
    return _require_aware(value, field)


def _processing_key(scan: Scan) -> tuple[datetime, int, str]:
    return (scan.occurred_at, tie_order(scan.status), scan.event_id)


def _content_key(scan: Scan) -> tuple[Any, ...]:
    def text(value: str | None) -> tuple[bool, str]:
        return (value is not None, value or "")

    return (
        scan.occurred_at,
        tie_order(scan.status),
        scan.occurred_at.isoformat(),
        text(scan.location),
        text(scan.description),
        text(_iso(scan.estimated_delivery)),
        text(scan.raw_status),
        scan.tracking_number,
    )


def _newest_estimate(history: tuple[Scan, ...]) -> date | None:
    for scan in reversed(history):
        if scan.estimated_delivery is not None:
            return scan.estimated_delivery
    return None


def _require_text(value: object, field: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{field} must be a non-empty string", field)


def _require_aware(value: object, field: str) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInput(f"{field} must be a time-zone aware date and time", field)
    return value


def _parse_date(value: object) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("estimated_delivery must be YYYY-MM-DD", "estimated_delivery") from None


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
