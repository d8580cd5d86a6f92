"""The metrics report: daily counters summed per day, ISO week or month, and the rates.

Pure functions over the day counters (``{"YYYY-MM-DD": {"orders": 3, ...}}``, see
:mod:`chalicelib.domain.metrics`). Every rate is a ratio of counts of the same period
and ``None`` when its denominator is 0 (definitions in ``docs/metrics.md``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from chalicelib.domain import metrics as mx
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.messages import DEFERRED, FAILED, SENT, SUPPRESSED

DAY = "day"
WEEK = "week"
MONTH = "month"
GRANULARITIES = (DAY, WEEK, MONTH)
MAX_DAYS = 366
"""The longest range a report covers, at any granularity (a year, leap years included)."""
RATE_DIGITS = 4

Counts = Mapping[str, int]


def check_range(start: date, end: date) -> None:
    """Refuse a range that ends before it starts or covers more than :data:`MAX_DAYS`."""
    if end < start:
        raise InvalidInput("to must not be before from", "to")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(f"a range covers at most {MAX_DAYS} days", "to")


def days_between(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end``, both included."""
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def _bucket(day: date, granularity: str) -> tuple[str, date]:
    """The label of ``day``'s period and the period's first day."""
    if granularity == WEEK:
        year, week, weekday = day.isocalendar()
        return f"{year}-W{week:02d}", day - timedelta(days=weekday - 1)
    if granularity == MONTH:
        return day.strftime("%Y-%m"), day.replace(day=1)
    return day.isoformat(), day


def periods(start: date, end: date, granularity: str) -> list[tuple[str, date, date]]:
    """``(label, first day, last day)`` per period, clipped to ``start`` and ``end``."""
    found: dict[str, list[date]] = {}
    for day in days_between(start, end):
        found.setdefault(_bucket(day, granularity)[0], []).append(day)
    return [(label, days[0], days[-1]) for label, days in found.items()]


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, RATE_DIGITS) if denominator else None


def _keyed(counts: Counts, prefix: str) -> dict[str, int]:
    """The counters ``prefix:<key>`` (one level) as ``{key: count}``."""
    head = prefix + mx.SEPARATOR
    return {
        key[len(head) :]: value
        for key, value in sorted(counts.items())
        if key.startswith(head) and mx.SEPARATOR not in key[len(head) :]
    }


def _mail(counts: Counts) -> dict[str, dict[str, Any]]:
    """Per template: sent, deferred, failed, suppressed and suppressed by reason."""
    head = mx.MAIL + mx.SEPARATOR
    templates: dict[str, dict[str, Any]] = {}
    for key, value in sorted(counts.items()):
        if not key.startswith(head):
            continue
        template, outcome, *reason = key[len(head) :].split(mx.SEPARATOR, 2)
        entry = templates.setdefault(
            template,
            {SENT: 0, SUPPRESSED: 0, "suppressed_by_reason": {}, DEFERRED: 0, FAILED: 0},
        )
        if reason:
            entry["suppressed_by_reason"][reason[0]] = value
        elif outcome in entry:
            entry[outcome] = value
    return templates


def figures(counts: Counts) -> dict[str, Any]:
    """The report's figures for one period's summed counters."""
    orders = counts.get(mx.ORDERS, 0)
    by_currency = _keyed(counts, mx.ORDERS)
    revenue = _keyed(counts, mx.REVENUE)
    reversed_ = _keyed(counts, mx.REVERSED)
    currencies = sorted({*revenue, *reversed_})
    mail = _mail(counts)
    sent = sum(entry[SENT] for entry in mail.values())
    feedback = {counter: counts.get(counter, 0) for counter in mx.FEEDBACK_COUNTERS.values()}
    return {
        "signups": counts.get(mx.SIGNUPS, 0),
        "orders": orders,
        "orders_by_currency": by_currency,
        "revenue": revenue,
        "reversed": reversed_,
        "net_revenue": {c: revenue.get(c, 0) - reversed_.get(c, 0) for c in currencies},
        "average_order_value": {
            c: round(revenue[c] / by_currency[c]) for c in revenue if by_currency.get(c)
        },
        "repeat_orders": counts.get(mx.REPEAT_ORDERS, 0),
        "repeat_purchase_rate": _rate(counts.get(mx.REPEAT_ORDERS, 0), orders),
        "returns": counts.get(mx.RETURNS, 0),
        "returns_rate": _rate(counts.get(mx.RETURNS, 0), orders),
        "cancellations": counts.get(mx.CANCELLATIONS, 0),
        "refunds": counts.get(mx.REFUNDS, 0),
        "erasures": counts.get(mx.ERASURES, 0),
        "mail": mail,
        "mail_sent": sent,
        "feedback": {
            **feedback,
            "bounce_rate": _rate(feedback[mx.BOUNCES], sent),
            "complaint_rate": _rate(feedback[mx.COMPLAINTS], sent),
        },
        "unsubscribes": _keyed(counts, mx.UNSUBSCRIBES),
    }


def _summed(days: Mapping[str, Counts], first: date, last: date) -> Counter[str]:
    total: Counter[str] = Counter()
    for day in days_between(first, last):
        total.update(days.get(day.isoformat(), {}))
    return total


def report(
    days: Mapping[str, Counts], start: date, end: date, granularity: str
) -> Iterator[dict[str, Any]]:
    """One entry per period: its label, first and last day, and its figures."""
    for label, first, last in periods(start, end, granularity):
        counts = _summed(days, first, last)
        yield {
            "period": label,
            "from": first.isoformat(),
            "to": last.isoformat(),
            **figures(counts),
        }


def total(days: Mapping[str, Counts], start: date, end: date) -> dict[str, Any]:
    """The figures of the whole range."""
    return figures(_summed(days, start, end))
