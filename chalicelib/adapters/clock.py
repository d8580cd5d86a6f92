"""The system clock."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Implements :class:`chalicelib.services.ports.Clock`."""

    def now(self) -> datetime:
        """The time now, in UTC."""
        return datetime.now(UTC)
