"""RFM scores (recency, frequency, monetary) by quintile, and the 11 named segments.

Inputs per customer with at least one counted order: ``recency_days`` (days since the last
order, see :func:`chalicelib.domain.loyalty.days_since`), ``frequency`` (counted orders) and
``monetary`` (total spent, minor units).

Quintiles and ties
------------------
:func:`compute_boundaries` takes the 20/40/60/80 % quantiles of each measure over all scored
customers with ``numpy.quantile(..., method="inverted_cdf")``: every cut point is an observed
value (the smallest value with at least that share of customers at or below it), so cut
points are integers and store exactly. A value equal to a cut point falls in the bucket
*below* the cut (intervals closed on the right). Equal values therefore always get equal
scores; when many customers share a value (most stores: a majority with exactly one order)
several cuts coincide and buckets are unequal, e.g. cuts ``[1, 1, 1, 3]`` give every
one-order customer F=1, two- and three-order customers F=4 and more F=5. ``F`` and ``M``
score 1 + the number of cuts strictly below the value; ``R`` scores 5 - the number of cuts
strictly below the days, so the most recent customers get R=5.

Segments
--------
The widely used R x FM grid (the Putler "RFM segments" table in its common grid form), with
``FM = floor((F + M) / 2)`` and the lowest-recency, lowest-value corner split into ``lost``
(R=1) and ``hibernating`` (R=2)::

    R / FM   1               2                   3                   4          5
    5        new_customers   potential_loyalist  potential_loyalist  champions  champions
    4        promising       potential_loyalist  potential_loyalist  loyal      loyal
    3        about_to_sleep  about_to_sleep      need_attention      loyal      loyal
    2        hibernating     hibernating         at_risk             at_risk    cannot_lose_them
    1        lost            lost                at_risk             at_risk    cannot_lose_them

Every (R, F, M) in 1..5 maps to exactly one of the 11 segments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any

import numpy as np

QUANTILES = (0.2, 0.4, 0.6, 0.8)

from chalicelib.domain.segments import SEGMENTS  # noqa: E402 (numpy-free home)

_NA, _PL, _CH = "new_customers", "potential_loyalist", "champions"
_PR, _LO, _AS, _NE = "promising", "loyal", "about_to_sleep", "need_attention"
_HI, _AR, _CL, _LT = "hibernating", "at_risk", "cannot_lose_them", "lost"
SEGMENT_GRID: tuple[tuple[str, ...], ...] = (
    (_LT, _LT, _AR, _AR, _CL),  # R=1, FM=1..5
    (_HI, _HI, _AR, _AR, _CL),  # R=2
    (_AS, _AS, _NE, _LO, _LO),  # R=3
    (_PR, _PL, _PL, _LO, _LO),  # R=4
    (_NA, _PL, _PL, _CH, _CH),  # R=5
)
"""``SEGMENT_GRID[r - 1][fm - 1]`` is the segment id."""


@dataclass(frozen=True)
class RfmBoundaries:
    """The four quintile cut points of each measure and how many customers they came from."""

    recency: tuple[int, ...]
    frequency: tuple[int, ...]
    monetary: tuple[int, ...]
    customers: int

    def to_dict(self) -> dict[str, Any]:
        """Plain lists for storage."""
        return {
            "recency": list(self.recency),
            "frequency": list(self.frequency),
            "monetary": list(self.monetary),
            "customers": self.customers,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RfmBoundaries:
        """Inverse of :meth:`to_dict` (numbers may be ``Decimal``).

        Raises
        ------
        ValueError
            When a measure does not have four non-decreasing whole numbers.
        """
        cuts = {name: _cuts(data[name], name) for name in ("recency", "frequency", "monetary")}
        return cls(customers=_whole(data["customers"], "customers"), **cuts)


@dataclass(frozen=True)
class RfmScore:
    """Scores 1 to 5 (5 best: most recent, most frequent, highest spend) and the segment."""

    r: int
    f: int
    m: int
    segment: str

    @property
    def segment_name(self) -> str:
        """Display name of the segment."""
        return SEGMENTS[self.segment]

    def to_dict(self) -> dict[str, Any]:
        """The profile summary's ``rfm`` block."""
        return {"r": self.r, "f": self.f, "m": self.m, "segment": self.segment}


def compute_boundaries(
    recency_days: Sequence[int], frequency: Sequence[int], monetary: Sequence[int]
) -> RfmBoundaries:
    """Quintile cut points over all scored customers (one entry per customer in each).

    Raises
    ------
    ValueError
        When the sequences are empty or of different lengths.
    """
    arrays = [np.asarray(values, dtype=np.int64) for values in (recency_days, frequency, monetary)]
    count = len(arrays[0])
    if count == 0 or any(len(a) != count for a in arrays):
        raise ValueError("need the same, non-zero number of values for R, F and M")
    r, f, m = (
        tuple(int(x) for x in np.quantile(a, QUANTILES, method="inverted_cdf")) for a in arrays
    )
    return RfmBoundaries(recency=r, frequency=f, monetary=m, customers=count)


def segment_for(r: int, f: int, m: int) -> str:
    """The segment id of scores ``r``, ``f``, ``m`` (each 1 to 5)."""
    for value in (r, f, m):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValueError("RFM scores are integers from 1 to 5")
    return SEGMENT_GRID[r - 1][(f + m) // 2 - 1]


def score(boundaries: RfmBoundaries, recency_days: int, frequency: int, monetary: int) -> RfmScore:
    """Score one customer against stored boundaries."""
    r = 5 - _below(boundaries.recency, recency_days)
    f = 1 + _below(boundaries.frequency, frequency)
    m = 1 + _below(boundaries.monetary, monetary)
    return RfmScore(r, f, m, segment_for(r, f, m))


def score_many(
    boundaries: RfmBoundaries,
    recency_days: Sequence[int],
    frequency: Sequence[int],
    monetary: Sequence[int],
) -> list[RfmScore]:
    """Vectorized :func:`score` for a batch job (same results, one entry per customer)."""
    if not len(recency_days) == len(frequency) == len(monetary):
        raise ValueError("need the same number of values for R, F and M")
    r = 5 - np.searchsorted(boundaries.recency, np.asarray(recency_days, dtype=np.int64))
    f = 1 + np.searchsorted(boundaries.frequency, np.asarray(frequency, dtype=np.int64))
    m = 1 + np.searchsorted(boundaries.monetary, np.asarray(monetary, dtype=np.int64))
    return [
        RfmScore(ri, fi, mi, SEGMENT_GRID[ri - 1][(fi + mi) // 2 - 1])
        for ri, fi, mi in zip(r.tolist(), f.tolist(), m.tolist(), strict=True)
    ]


def _below(cuts: Sequence[int], value: int) -> int:
    """How many cut points are strictly below ``value`` (``bisect_left``)."""
    return sum(1 for cut in cuts if cut < value)


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValueError(f"{name} must hold whole numbers")
    if isinstance(value, Decimal) and value != value.to_integral_value():
        raise ValueError(f"{name} must hold whole numbers")
    return int(value)


def _cuts(values: Any, name: str) -> tuple[int, ...]:
    if not isinstance(values, (list, tuple)) or len(values) != len(QUANTILES):
        raise ValueError(f"{name} must hold {len(QUANTILES)} cut points")
    cuts = tuple(_whole(v, name) for v in values)
    if any(a > b for a, b in pairwise(cuts)):
        raise ValueError(f"{name} cut points must not decrease")
    return cuts
