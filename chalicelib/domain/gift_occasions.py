"""Learned annual occasions (seed 001: a birthday present bought in May two years running).

A gift order (``gift{occasion}``, or a line in one of the store's gift categories) is
remembered by its calendar month (in the offset the store sent) and year, with the
occasion when the order named one: ``gift_months = {"05": {"years": [2024, 2025],
"occasion": "birthday"}}`` on the profile. A month with gifts in at least two different
years is learned; the profile's ``occasion_next`` names the learned month whose
suggestion is due next, the key of the sparse ``occasion-month`` index the engagement
job reads.

The suggestion goes out ``lead_days`` (a store setting, 14) before that month next
begins, once per year (``occasion_suggestion#<MM>#<year>``); on the later days of that
window nothing new is queued.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from chalicelib.domain.orders import Order
from chalicelib.domain.support import _MONTHS_EN  # the support letters' month names
from chalicelib.domain.vocabulary import GIFT_OCCASIONS, label, language

MIN_YEARS = 2
MAX_LEAD_DAYS = 28
"""A window shorter than the shortest month: at most one month is due on any day."""

GiftMonths = Mapping[str, Mapping[str, Any]]


def is_gift(order: Order, gift_categories: Iterable[str]) -> bool:
    """A gift order, or one with a line in a gift category."""
    categories = set(gift_categories)
    return order.gift is not None or any(line.category in categories for line in order.lines)


def with_gift(months: GiftMonths, order: Order) -> dict[str, dict[str, Any]]:
    """``months`` with ``order`` counted (the same order twice changes nothing)."""
    month = f"{order.placed_at.month:02d}"
    entry = dict(months.get(month) or {})
    years = sorted({int(year) for year in entry.get("years", ())} | {order.placed_at.year})
    entry["years"] = years
    if order.gift is not None and order.gift.occasion != "other":
        entry["occasion"] = order.gift.occasion
    else:
        entry.setdefault("occasion", None)
    return {**{k: dict(v) for k, v in months.items()}, month: entry}


def learned(months: GiftMonths) -> list[str]:
    """The months with gifts in at least :data:`MIN_YEARS` different years, in order."""
    return sorted(m for m, entry in months.items() if len(set(entry.get("years", ()))) >= MIN_YEARS)


def month_start_after(month: str, today: date) -> date:
    """The first day of ``month`` (``MM``) that comes after ``today``."""
    start = date(today.year, int(month), 1)
    return start if start > today else date(today.year + 1, int(month), 1)


def next_due(months: GiftMonths, today: date) -> str | None:
    """The learned month that next begins after ``today`` (its window is open or next)."""
    found = learned(months)
    if not found:
        return None
    return min(found, key=lambda month: month_start_after(month, today))


def after(months: GiftMonths, month: str) -> str | None:
    """The learned month that follows ``month`` (itself when it is the only one)."""
    found = learned(months)
    later = [m for m in found if m > month]
    return (later or found)[0] if found else None


@dataclass(frozen=True)
class Due:
    """The month whose suggestions are due on a day, and the year it begins in."""

    month: str
    year: int

    @property
    def start(self) -> date:
        """The first day of the month."""
        return date(self.year, int(self.month), 1)

    @property
    def key(self) -> str:
        """The suggestion's dedup key: once per month and year."""
        return f"occasion_suggestion#{self.month}#{self.year}"


def due_on(today: date, lead_days: int) -> Due | None:
    """The month that begins within ``lead_days`` after ``today``, or ``None``."""
    ahead = today + timedelta(days=min(max(lead_days, 1), MAX_LEAD_DAYS))
    if (ahead.year, ahead.month) == (today.year, today.month):
        return None
    return Due(f"{ahead.month:02d}", ahead.year)


def suggestion_context(
    months: GiftMonths, due: Due, today: date, locale: str, products: list[dict[str, Any]]
) -> dict[str, Any]:
    """What the ``occasion_suggestion`` letter says: the occasion in the reader's words,
    the month, the years they gave a gift in it, the days left and the products."""
    entry = months.get(due.month) or {}
    occasion = entry.get("occasion")
    month = int(due.month)
    chinese = language(locale) == "zh-CN"
    return {
        "occasion": occasion,
        "gift": label(GIFT_OCCASIONS, occasion, locale) if occasion else None,
        "month_name": f"{month}月" if chinese else _MONTHS_EN[month - 1],
        "years": sorted({int(year) for year in entry.get("years", ())}),
        "days_left": (due.start - today).days,
        "recommendations": products,
    }
