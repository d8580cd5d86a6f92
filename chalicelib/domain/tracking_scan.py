"""A carrier scan: one event about one parcel, with a normalized status.

Scans are validated when built, so everything downstream (the fold, the publication
rules, storage) can rely on a known status and a time-zone aware event time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.tracking_status import require_status


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
    carried_by
        For an aggregator's scan, its code of the carrier that carries the parcel
        (Kuaidi100 ``com`` such as ``shunfeng``), if it said.
    """

    event_id: str
    tracking_number: str
    status: str
    occurred_at: datetime
    location: str | None = None
    description: str | None = None
    estimated_delivery: date | None = None
    raw_status: str | None = None
    carried_by: str | None = None

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
            "estimated_delivery": iso(self.estimated_delivery),
            "raw_status": self.raw_status,
            "carried_by": self.carried_by,
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
            carried_by=data.get("carried_by"),
        )


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


def iso(value: date | None) -> str | None:
    """Return ``value`` in ISO 8601, or ``None``."""
    return None if value is None else value.isoformat()
