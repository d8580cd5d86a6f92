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
from chalicelib.domain.tracking_scan import Scan, iso
from chalicelib.domain.tracking_status import DELIVERED, NO_LEVEL, level, next_status, tie_order

__all__ = ["ParcelState", "Scan", "canonical_history", "fold", "status_scan"]


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
            "status_since": iso(self.status_since),
            "milestone": self.milestone,
            "milestones": [
                {"status": status, "occurred_at": at.isoformat()} for status, at in self.milestones
            ],
            "estimated_delivery": iso(self.estimated_delivery),
            "delivered_at": iso(self.delivered_at),
            "last_event_at": iso(self.last_event_at),
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


def status_scan(history: tuple[Scan, ...]) -> Scan | None:
    """The scan that set the public status of a parcel with this (canonical) history.

    Scans after it are history only: they did not change the status (a late side scan
    after delivery, an older route scan). ``None`` before any scan took effect.
    """
    status: str | None = None
    reached = NO_LEVEL
    setting: Scan | None = None
    for scan in history:
        new = next_status(status, reached, scan.status)
        if new is None or new == status:
            continue
        status, setting, reached = new, scan, max(reached, level(new))
    return setting


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
    parcels: set[str] = set()
    for scan in scans:
        parcels.add(scan.tracking_number)
        other = kept.get(scan.event_id)
        if other is None or _content_key(scan) < _content_key(other):
            kept[scan.event_id] = scan
    if len(parcels) > 1:
        raise InvalidInput("scans of several parcels cannot be folded together", "tracking_number")
    return tuple(sorted(kept.values(), key=_processing_key))


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
        text(iso(scan.estimated_delivery)),
        text(scan.raw_status),
        text(scan.carried_by),
    )


def _newest_estimate(history: tuple[Scan, ...]) -> date | None:
    for scan in reversed(history):
        if scan.estimated_delivery is not None:
            return scan.estimated_delivery
    return None
