"""Mergeable sufficient statistics of the customer-value job, one per scan segment.

The RFM quintile boundaries depend only on how many customers have each recency,
frequency and monetary value (histograms), and the BG/NBD and Gamma-Gamma likelihoods
only on each customer's ``(x, t_x, T)`` and ``(x, m)``: a :class:`ValueSummary` keeps
the histograms and the counts of identical ``(x, t_x, T, m)`` rows. Merging adds counts,
which is associative and commutative, so the merged summary of any split of the table
into segments is the same, and so are the boundaries and the fit made from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported where it is used: the job's function has it
    import numpy as np

    from chalicelib.domain.rfm import RfmBoundaries

ClvRow = tuple[int, int, int, float]
"""A customer's ``(x, t_x, T, m)``: repeat days, recency and age in days, mean spend."""


@dataclass
class ValueSummary:
    """Counts over the customers of one segment (or of several, merged)."""

    customers: int = 0
    recency: Counter[int] = field(default_factory=Counter)
    frequency: Counter[int] = field(default_factory=Counter)
    monetary: Counter[int] = field(default_factory=Counter)
    clv: Counter[ClvRow] = field(default_factory=Counter)

    @property
    def scored(self) -> int:
        """Customers with at least one counted order."""
        return sum(self.recency.values())

    def add_customer(self, rfm: tuple[int, int, int] | None, clv: ClvRow | None) -> None:
        """Count one customer: ``(recency, orders, spent)`` if they ordered, their CLV row."""
        self.customers += 1
        if rfm is not None:
            self.recency[rfm[0]] += 1
            self.frequency[rfm[1]] += 1
            self.monetary[rfm[2]] += 1
        if clv is not None:
            self.clv[clv] += 1

    def merge(self, other: ValueSummary) -> None:
        """Add ``other``'s counts to these."""
        self.customers += other.customers
        self.recency.update(other.recency)
        self.frequency.update(other.frequency)
        self.monetary.update(other.monetary)
        self.clv.update(other.clv)

    def to_dict(self) -> dict[str, Any]:
        """Plain lists (``[value, count]``, ``[x, t_x, T, m, count]``) in a stable order."""
        return {
            "customers": self.customers,
            "recency": sorted(self.recency.items()),
            "frequency": sorted(self.frequency.items()),
            "monetary": sorted(self.monetary.items()),
            "clv": [[*row, count] for row, count in sorted(self.clv.items())],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ValueSummary:
        """The summary :meth:`to_dict` gave."""
        return cls(
            customers=int(data["customers"]),
            recency=Counter({int(v): int(n) for v, n in data["recency"]}),
            frequency=Counter({int(v): int(n) for v, n in data["frequency"]}),
            monetary=Counter({int(v): int(n) for v, n in data["monetary"]}),
            clv=Counter(
                {(int(x), int(t), int(age), float(m)): int(n) for x, t, age, m, n in data["clv"]}
            ),
        )


def merged(summaries: Iterable[ValueSummary]) -> ValueSummary:
    """One summary with the counts of all ``summaries``."""
    total = ValueSummary()
    for summary in summaries:
        total.merge(summary)
    return total


def boundaries_from(summary: ValueSummary) -> RfmBoundaries:
    """The quintile cut points of :func:`chalicelib.domain.rfm.compute_boundaries`, from
    the histograms (the same ``inverted_cdf`` order statistics, without the values).

    Raises ``ValueError`` when nobody has ordered.
    """
    from chalicelib.domain.rfm import RfmBoundaries

    count = summary.scored
    if count == 0:
        raise ValueError("need the same, non-zero number of values for R, F and M")
    return RfmBoundaries(
        recency=_cuts(summary.recency, count),
        frequency=_cuts(summary.frequency, count),
        monetary=_cuts(summary.monetary, count),
        customers=count,
    )


def _cuts(histogram: Counter[int], count: int) -> tuple[int, ...]:
    import numpy as np

    from chalicelib.domain.rfm import QUANTILES

    values = np.array(sorted(histogram), dtype=np.int64)
    cumulative = np.cumsum([histogram[int(v)] for v in values])
    # numpy's own order statistics for ``count`` values: the ranks it would pick
    ranks = np.quantile(np.arange(count), QUANTILES, method="inverted_cdf")
    positions = np.searchsorted(cumulative, ranks, side="right")
    return tuple(int(values[p]) for p in positions)


def clv_columns(summary: ValueSummary) -> tuple[np.ndarray, ...]:
    """``x, t_x, T, m`` of every customer with purchase days, rows in sorted order."""
    import numpy as np

    rows = sorted(summary.clv.items())
    if not rows:
        return tuple(np.zeros(0, dtype=np.float64) for _ in range(4))
    table = np.array([row for row, _ in rows], dtype=np.float64)
    counts = np.array([n for _, n in rows], dtype=np.int64)
    expanded = np.repeat(table, counts, axis=0)
    return tuple(expanded[:, i] for i in range(4))
