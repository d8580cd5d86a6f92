"""Merged segment summaries give the boundaries and the CLV rows of the whole table."""

from __future__ import annotations

import random

import numpy as np
import pytest

from chalicelib.domain.rfm import compute_boundaries
from chalicelib.domain.value_summary import (
    ValueSummary,
    boundaries_from,
    clv_columns,
    merged,
)


def customers(
    count: int, seed: int
) -> list[tuple[tuple[int, int, int], tuple[int, int, int, float]]]:
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        orders = rng.choice([1, 1, 1, 1, 2, 2, 3, 5, 8])
        rfm = (rng.randint(0, 700), orders, rng.choice([1500, 2000, 2000, rng.randint(1, 9) * 999]))
        x = orders - 1
        t_x = rng.randint(0, 300) if x else 0
        row = (x, t_x, t_x + rng.randint(0, 400), rng.choice([0.0, 1250.5, 3000.0]) if x else 0.0)
        made.append((rfm, row))
    return made


def summary_of(
    rows: list[tuple[tuple[int, int, int], tuple[int, int, int, float]]],
) -> ValueSummary:
    summary = ValueSummary()
    for rfm, row in rows:
        summary.add_customer(rfm, row)
    return summary


@pytest.mark.parametrize("count", [1, 2, 4, 5, 10, 37, 100, 1001])
def test_boundaries_from_histograms_are_numpys_quantiles_of_the_values(count: int) -> None:
    rows = customers(count, seed=count)
    want = compute_boundaries(*(list(column) for column in zip(*(r for r, _ in rows), strict=True)))
    assert boundaries_from(summary_of(rows)) == want


@pytest.mark.parametrize("parts", [2, 3, 8])
def test_any_split_merges_into_the_whole_tables_summary(parts: int) -> None:
    rows = customers(500, seed=3)
    rng = random.Random(parts)
    split: list[list[tuple[tuple[int, int, int], tuple[int, int, int, float]]]] = [
        [] for _ in range(parts)
    ]
    for row in rows:
        split[rng.randrange(parts)].append(row)
    whole, pieces = summary_of(rows), merged(summary_of(piece) for piece in split)
    assert pieces == whole
    assert boundaries_from(pieces) == boundaries_from(whole)
    for got, want in zip(clv_columns(pieces), clv_columns(whole), strict=True):
        assert np.array_equal(got, want)


def test_a_summary_survives_its_plain_form() -> None:
    summary = summary_of(customers(200, seed=9))
    summary.add_customer(None, None)  # a customer without orders counts only as a customer
    again = ValueSummary.from_dict(summary.to_dict())
    assert again == summary and again.customers == 201 and again.scored == 200


def test_nobody_with_orders_has_no_boundaries() -> None:
    with pytest.raises(ValueError):
        boundaries_from(ValueSummary(customers=3))
