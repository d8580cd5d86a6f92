"""Time formatting shared by the domain (time is always passed in, never read)."""

from __future__ import annotations

from datetime import UTC, datetime


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC, millisecond precision, ``Z`` suffix (sorts as text)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    """Inverse of :func:`iso` (accepts any ISO 8601 with an offset)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
