"""The store's metrics over a range of days, per day, ISO week or month.

Reads the range's day counters (one item per store day, at most
:data:`~chalicelib.domain.metrics_report.MAX_DAYS` items, never a scan) and sums them per
period (:mod:`chalicelib.domain.metrics_report`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.domain import metrics_report as mr
from chalicelib.services.ports import MetricsCounters


def store_metrics(
    start: date, end: date, granularity: str, counters: MetricsCounters
) -> dict[str, Any]:
    """The figures per period and for the whole range (``docs/metrics.md``)."""
    mr.check_range(start, end)
    days = counters.days(start, end)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "granularity": granularity,
        "time_zone": counters.time_zone,
        "periods": list(mr.report(days, start, end, granularity)),
        "total": mr.total(days, start, end),
    }
