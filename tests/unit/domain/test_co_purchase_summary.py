"""The co-purchases job's mergeable summary: any split of the orders gives one document."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from chalicelib.domain.co_purchase_summary import (
    Basket,
    CoPurchaseSummary,
    co_purchases_document,
    median_price,
    merged,
    summarized,
)
from chalicelib.domain.orders import OrderLine


def line(sku: str, price: int, category: str = "tea", name: str = "") -> OrderLine:
    return OrderLine(sku, name or f"{sku} name", category, 1, price)


def basket(oid: str, day: int, *lines: OrderLine, status: str = "paid") -> Basket:
    return Basket(oid, f"2026-10-{day:02d}T01:30:00.000Z", status, lines)


def generated(count: int, seed: int = 7) -> list[Basket]:
    """Orders over 40 skus in 4 categories whose names and categories change over time."""
    rng = random.Random(seed)
    baskets = []
    for n in range(count):
        day = rng.randint(1, 28)
        skus = rng.sample(range(40), rng.randint(1, 5))
        lines = [
            line(
                f"S{s:02d}",
                rng.choice((900, 1200, 1500, 2000 + s * 10)),
                f"cat-{(s + day // 15) % 4}",  # recategorized mid-month
                f"S{s:02d} v{day // 10}",
            )
            for s in skus
        ]
        status = rng.choice(("placed", "paid", "paid", "fulfilled", "cancelled", "refunded"))
        baskets.append(basket(f"o-{n:05d}", day, *lines, status=status))
    return baskets


def test_the_document_counts_pairs_prices_and_names_of_counted_orders_only() -> None:
    orders = [
        basket("o-1", 1, line("TEA", 800), line("POT", 9_000, "teapots", "Clay pot")),
        basket("o-2", 2, line("TEA", 1_000), line("POT", 9_000, "teapots", "Clay teapot")),
        basket("o-3", 3, line("TEA", 1_200), line("CUP", 500, "teapots")),
        basket("o-4", 4, line("CUP", 1), line("POT", 1, "teapots"), status="cancelled"),
        basket("o-5", 5, line("CUP", 1), line("TEA", 1), status="refunded"),
    ]
    summary = summarized(orders)
    document = co_purchases_document(summary)
    assert summary.orders == 3
    assert document["pairs"] == [["POT", "TEA", 2], ["CUP", "TEA", 1]]
    # CUP was last counted as a teapot: 500 is the entry tier beside the pot's 9,000
    assert document["catalog"] == [
        {"sku": "TEA", "category": "tea", "price_tier": 1},
        {"sku": "CUP", "category": "teapots", "price_tier": 1},
        {"sku": "POT", "category": "teapots", "price_tier": 2},
    ]
    assert document["names"] == {"CUP": "CUP name", "POT": "Clay teapot", "TEA": "TEA name"}


def test_the_newest_order_names_a_sku_whatever_order_the_scan_reads_them_in() -> None:
    new = basket("o-2", 9, line("POT", 9_000, "teapots", "Clay teapot"))
    old = basket("o-1", 2, line("POT", 9_000, "kettles", "Clay pot"))
    same_day = basket("o-3", 9, line("POT", 9_000, "teapots", "Yixing teapot"))
    for orders in ([old, new, same_day], [same_day, new, old]):
        document = co_purchases_document(summarized(orders))
        assert document["names"] == {"POT": "Yixing teapot"}  # same moment: higher order id
        assert document["catalog"][0]["category"] == "teapots"


@pytest.mark.parametrize("prices", [[5], [5, 1], [3, 3, 1, 9], [7, 1, 1, 2, 9, 9, 9]])
def test_the_median_of_the_histogram_is_the_sorted_lists_upper_median(prices: list[int]) -> None:
    assert median_price(Counter(prices)) == sorted(prices)[len(prices) // 2]


@pytest.mark.parametrize("segments", [1, 3, 8])
def test_any_split_of_the_orders_gives_the_same_document(segments: int) -> None:
    orders = generated(600)
    whole = co_purchases_document(summarized(orders))
    rng = random.Random(segments)
    shuffled = rng.sample(orders, len(orders))
    parts = [summarized(shuffled[n::segments]) for n in range(segments)]
    # each part travels as JSON, as the fan-out stores it
    again = merged(CoPurchaseSummary.from_dict(part.to_dict()) for part in parts)
    assert co_purchases_document(again) == whole
    assert again.orders == sum(1 for o in orders if o.status not in ("cancelled", "refunded"))
    assert len(whole["pairs"]) > 100 and len(whole["catalog"]) == 40


def test_the_top_pairs_are_taken_from_the_merged_counts_not_from_each_segment() -> None:
    # segment 1 alone ranks A-B first; merged, C-D (3 + 0) loses to A-B (2 + 2) and
    # beats E-F (1 + 1), though each segment's own top pair is another one
    first = [basket(f"a{n}", 1, line("A", 1), line("B", 1)) for n in range(2)]
    first += [basket(f"c{n}", 1, line("C", 1), line("D", 1)) for n in range(3)]
    second = [basket(f"b{n}", 2, line("A", 1), line("B", 1)) for n in range(2)]
    second += [basket(f"e{n}", 2, line("E", 1), line("F", 1)) for n in range(2)]
    document = co_purchases_document(merged([summarized(first), summarized(second)]), 2)
    assert document["pairs"] == [["A", "B", 4], ["C", "D", 3]]
    tied = co_purchases_document(summarized([*second, *first[:2]]), 1)
    assert tied["pairs"] == [["A", "B", 4]]
    even = co_purchases_document(summarized(second[2:] + second[:2]), 2)
    assert even["pairs"] == [["A", "B", 2], ["E", "F", 2]]  # a tie ranks by the skus
