"""What the CLV models see of one customer: the purchase summary ``(x, t_x, T, m)``
(:func:`summarize`) and the columns of many summaries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from chalicelib.domain.exceptions import InvalidInput


@dataclass(frozen=True)
class CustomerSummary:
    """One customer's purchase history as the models see it, at an ``as_of`` date.

    Attributes
    ----------
    frequency : int
        Repeat purchase days: distinct purchase days minus one (``x``).
    recency : int
        Days from the first to the last purchase day (``t_x``); 0 when frequency is 0.
    age : int
        Days from the first purchase day to ``as_of`` (``T``).
    monetary_value : float
        Mean spend per repeat purchase day in minor units; 0.0 when frequency is 0.
    """

    frequency: int
    recency: int
    age: int
    monetary_value: float


def summarize(purchases: Iterable[tuple[date, int]], as_of: date) -> CustomerSummary:
    """Summarise one customer's purchases for the models.

    Parameters
    ----------
    purchases
        ``(day, amount)`` pairs in any order, amounts in integer minor units. Several
        purchases on one day count as one purchase day with their amounts summed. A
        ``datetime`` counts as its date.
    as_of
        End of the observation period; no purchase may be later.

    Returns
    -------
    CustomerSummary
        Frequency, recency, age and mean repeat spend.

    Raises
    ------
    InvalidInput
        If there are no purchases, an amount is negative or not an integer, or a
        purchase is later than ``as_of``.
    """
    totals: dict[date, int] = {}
    for day, amount in purchases:
        if isinstance(amount, bool) or not isinstance(amount, (int, np.integer)) or amount < 0:
            raise InvalidInput("purchase amounts must be non-negative integers", field="amount")
        key = as_date(day, "purchases")
        totals[key] = totals.get(key, 0) + int(amount)
    if not totals:
        raise InvalidInput("a customer summary needs at least one purchase", field="purchases")
    days = sorted(totals)
    as_of_day = as_date(as_of, "as_of")
    if days[-1] > as_of_day:
        raise InvalidInput("as_of is earlier than a purchase", field="as_of")
    repeat_amounts = [totals[day] for day in days[1:]]
    return CustomerSummary(
        frequency=len(repeat_amounts),
        recency=(days[-1] - days[0]).days,
        age=(as_of_day - days[0]).days,
        monetary_value=float(np.mean(repeat_amounts)) if repeat_amounts else 0.0,
    )


def as_date(value: date, field: str) -> date:
    """Return ``value`` as a plain date (a datetime counts as its date)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise InvalidInput(f"{field} must be a date", field=field)


def summary_columns(summaries: Sequence[CustomerSummary]) -> tuple[np.ndarray, ...]:
    """Frequency, recency, age and monetary value of the summaries as float arrays."""
    table = np.array(
        [(s.frequency, s.recency, s.age, s.monetary_value) for s in summaries],
        dtype=np.float64,
    ).reshape(-1, 4)
    return tuple(table[:, i] for i in range(4))
