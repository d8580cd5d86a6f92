"""The store's daily counters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from chalicelib.domain.metrics import Tally


class MetricsCounters(Protocol):
    """The store's daily counters (one item per store day, never a scan)."""

    @property
    def time_zone(self) -> str:
        """The zone whose calendar days the counters follow."""
        ...

    def count_once(self, fact_key: str, tally: Tally, now: datetime) -> bool:
        """Add ``tally`` unless ``fact_key`` was counted before; whether it was added now."""
        ...

    def days(self, start: date, end: date) -> dict[str, dict[str, int]]:
        """The counters of the days from ``start`` to ``end`` (inclusive) that have any."""
        ...
