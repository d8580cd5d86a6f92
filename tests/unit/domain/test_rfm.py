"""RFM quintiles, scoring and the 11 named segments."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.rfm import (
    SEGMENT_GRID,
    SEGMENTS,
    RfmBoundaries,
    RfmScore,
    compute_boundaries,
    score,
    score_many,
    segment_for,
)

SCORES = range(1, 6)

# The documented grid, written out again: rows R=5..1, columns FM=1..5.
DOCUMENTED = """
5 new_customers  potential_loyalist potential_loyalist champions champions
4 promising      potential_loyalist potential_loyalist loyal     loyal
3 about_to_sleep about_to_sleep     need_attention     loyal     loyal
2 hibernating    hibernating        at_risk            at_risk   cannot_lose_them
1 lost           lost               at_risk            at_risk   cannot_lose_them
"""


def documented_segment(r: int, fm: int) -> str:
    rows = {int(line.split()[0]): line.split()[1:] for line in DOCUMENTED.strip().splitlines()}
    return rows[r][fm - 1]


def test_eleven_segments_with_display_names() -> None:
    assert dict(SEGMENTS) == {
        "champions": "Champions",
        "loyal": "Loyal",
        "potential_loyalist": "Potential loyalist",
        "new_customers": "New customers",
        "promising": "Promising",
        "need_attention": "Need attention",
        "about_to_sleep": "About to sleep",
        "at_risk": "At risk",
        "cannot_lose_them": "Cannot lose them",
        "hibernating": "Hibernating",
        "lost": "Lost",
    }


def test_every_rfm_combination_maps_to_exactly_one_segment() -> None:
    seen: Counter[str] = Counter()
    for r, f, m in itertools.product(SCORES, repeat=3):
        segment = segment_for(r, f, m)
        assert segment in SEGMENTS, (r, f, m)
        assert segment == documented_segment(r, (f + m) // 2), (r, f, m)
        seen[segment] += 1
    assert sum(seen.values()) == 125
    assert set(seen) == set(SEGMENTS)  # every segment is reachable


def test_grid_shape() -> None:
    assert len(SEGMENT_GRID) == 5
    assert all(len(row) == 5 for row in SEGMENT_GRID)
    assert {cell for row in SEGMENT_GRID for cell in row} == set(SEGMENTS)


@pytest.mark.parametrize(
    ("rfm", "segment"),
    [
        ((5, 5, 5), "champions"),
        ((5, 4, 4), "champions"),
        ((4, 5, 5), "loyal"),
        ((3, 4, 4), "loyal"),
        ((5, 2, 3), "potential_loyalist"),
        ((4, 3, 3), "potential_loyalist"),
        ((5, 1, 1), "new_customers"),
        ((5, 1, 2), "new_customers"),  # FM = floor(1.5) = 1
        ((4, 1, 1), "promising"),
        ((3, 3, 3), "need_attention"),
        ((3, 1, 2), "about_to_sleep"),
        ((2, 3, 4), "at_risk"),
        ((1, 5, 4), "at_risk"),  # FM = floor(4.5) = 4
        ((1, 5, 5), "cannot_lose_them"),
        ((2, 5, 5), "cannot_lose_them"),
        ((2, 1, 1), "hibernating"),
        ((2, 2, 2), "hibernating"),
        ((1, 1, 1), "lost"),
        ((1, 2, 2), "lost"),
    ],
)
def test_named_cells(rfm: tuple[int, int, int], segment: str) -> None:
    assert segment_for(*rfm) == segment


@pytest.mark.parametrize("rfm", [(0, 1, 1), (1, 6, 1), (1, 1, -1), (2.0, 1, 1)])
def test_segment_for_rejects_out_of_range_scores(rfm: tuple[Any, int, int]) -> None:
    with pytest.raises(ValueError):
        segment_for(*rfm)


def test_boundaries_of_distinct_values() -> None:
    values = list(range(1, 101))
    b = compute_boundaries(values, values, values)
    assert b == RfmBoundaries((20, 40, 60, 80), (20, 40, 60, 80), (20, 40, 60, 80), 100)


@pytest.mark.parametrize(
    ("value", "high_is_good", "low_is_good"),
    [(1, 1, 5), (20, 1, 5), (21, 2, 4), (40, 2, 4), (41, 3, 3), (60, 3, 3), (61, 4, 2),
     (80, 4, 2), (81, 5, 1), (10_000, 5, 1), (0, 1, 5)],
)  # fmt: skip
def test_value_on_a_cut_scores_in_the_bucket_below(
    value: int, high_is_good: int, low_is_good: int
) -> None:
    values = list(range(1, 101))
    b = compute_boundaries(values, values, values)
    s = score(b, value, value, value)
    assert (s.r, s.f, s.m) == (low_is_good, high_is_good, high_is_good)


def test_quintiles_are_balanced_for_distinct_values() -> None:
    rng = random.Random(7)
    values = rng.sample(range(10**6), 10_000)
    b = compute_boundaries(values, values, values)
    counts = Counter(s.f for s in score_many(b, values, values, values))
    assert all(counts[k] == 2_000 for k in SCORES)


def test_ties_get_equal_scores() -> None:
    frequency = [1] * 60 + [2] * 15 + [3] * 10 + [4] * 10 + [9] * 5
    b = compute_boundaries([10] * 100, frequency, list(range(100)))
    assert b.frequency == (1, 1, 1, 3)
    assert {score(b, 10, 1, 0).f} == {1}
    assert score(b, 10, 2, 0).f == 4
    assert score(b, 10, 3, 0).f == 4
    assert score(b, 10, 4, 0).f == 5
    # Everyone has the same recency: every cut is 10 and everyone scores R=5.
    assert b.recency == (10, 10, 10, 10)
    assert score(b, 10, 1, 0).r == 5
    assert score(b, 11, 1, 0).r == 1


def test_recency_five_is_most_recent() -> None:
    days = list(range(0, 500, 5))
    b = compute_boundaries(days, [1] * 100, [1] * 100)
    assert score(b, 0, 1, 1).r == 5
    assert score(b, 499, 1, 1).r == 1


def test_single_customer() -> None:
    b = compute_boundaries([3], [1], [5_000])
    assert b.customers == 1
    assert score(b, 3, 1, 5_000) == RfmScore(5, 1, 1, "new_customers")


def test_compute_boundaries_input_errors() -> None:
    with pytest.raises(ValueError):
        compute_boundaries([], [], [])
    with pytest.raises(ValueError):
        compute_boundaries([1, 2], [1], [1, 2])


def test_score_many_matches_score() -> None:
    rng = random.Random(1)
    n = 2_000
    recency = [rng.randint(0, 720) for _ in range(n)]
    frequency = [rng.choice([1, 1, 1, 2, 2, 3, 5, 8]) for _ in range(n)]
    monetary = [rng.randint(100, 500_000) for _ in range(n)]
    b = compute_boundaries(recency, frequency, monetary)
    many = score_many(b, recency, frequency, monetary)
    assert many == [score(b, *x) for x in zip(recency, frequency, monetary, strict=True)]
    assert score_many(b, [], [], []) == []
    with pytest.raises(ValueError):
        score_many(b, [1], [1, 2], [1])


def test_boundaries_round_trip() -> None:
    b = RfmBoundaries((7, 30, 90, 200), (1, 1, 2, 4), (1_000, 5_000, 9_000, 40_000), 1234)
    data = b.to_dict()
    assert data == {
        "recency": [7, 30, 90, 200],
        "frequency": [1, 1, 2, 4],
        "monetary": [1_000, 5_000, 9_000, 40_000],
        "customers": 1234,
    }
    assert all(type(x) is int for x in data["monetary"])
    assert RfmBoundaries.from_dict(data) == b
    stored = {
        k: [Decimal(x) for x in v] if isinstance(v, list) else Decimal(v) for k, v in data.items()
    }
    assert RfmBoundaries.from_dict(stored) == b


@pytest.mark.parametrize(
    "change",
    [
        {"recency": [1, 2, 3]},
        {"frequency": [1, 2, 3, 4, 5]},
        {"monetary": [4, 3, 2, 1]},
        {"monetary": [1, 2, 3, Decimal("4.5")]},
        {"monetary": [1, 2, 3, True]},
        {"recency": "1,2,3,4"},
        {"customers": 1.5},
    ],
)
def test_boundaries_from_bad_dict(change: dict[str, Any]) -> None:
    data = {"recency": [1, 2, 3, 4], "frequency": [1, 2, 3, 4], "monetary": [1, 2, 3, 4]}
    data["customers"] = 4  # type: ignore[assignment]
    data.update(change)
    with pytest.raises(ValueError):
        RfmBoundaries.from_dict(data)


def test_score_dict_and_display_name() -> None:
    s = RfmScore(1, 5, 5, "cannot_lose_them")
    assert s.to_dict() == {"r": 1, "f": 5, "m": 5, "segment": "cannot_lose_them"}
    assert s.segment_name == "Cannot lose them"
