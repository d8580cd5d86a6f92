"""Replenishment rules: the interval, the median rhythm, buying again, taking back."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.domain.replenishment import (
    OWN,
    STORE,
    Interval,
    Purchase,
    Replenishable,
    days_to_query,
    due_day,
    interval_for,
    median_interval,
    reminder_key,
)

D = date(2026, 1, 1)
TEA = Replenishable("c-1", "TEA-1", "Dragon Well tea", "tea")


def bought(item: Replenishable, *offsets: int, quantity: int = 1) -> Replenishable:
    for n, offset in enumerate(offsets):
        changed = item.with_purchase(
            Purchase(f"o-{offset}-{n}", D + timedelta(offset), quantity), ""
        )
        assert changed is not None
        item = changed
    return item


def test_the_median_needs_three_purchases_on_different_days() -> None:
    assert median_interval([D, D + timedelta(20)]) is None
    assert (
        median_interval([D, D, D + timedelta(20)]) is None
    )  # two orders one day: one purchase day
    assert median_interval([D, D + timedelta(20), D + timedelta(50)]) == 25
    # an outlier does not move the median as a mean would
    days = [D + timedelta(n) for n in (0, 30, 61, 90, 300)]
    assert median_interval(days) == 30


def test_own_rhythm_wins_over_the_sku_setting_which_wins_over_the_category() -> None:
    skus, categories = {"TEA-1": 45}, {"tea": 60}
    assert interval_for(bought(TEA, 0), skus, categories) == Interval(45, STORE)
    assert interval_for(bought(TEA, 0), {}, categories) == Interval(60, STORE)
    assert interval_for(bought(TEA, 0), {}, {}) is None  # tracked, never due
    rhythm = bought(TEA, 0, 20, 40)
    assert interval_for(rhythm, skus, categories) == Interval(20, OWN)
    assert interval_for(rhythm, {}, {}) == Interval(20, OWN)  # any sku, once bought 3 times


def test_due_after_the_last_purchase_and_buying_again_moves_it() -> None:
    once = bought(TEA, 0)
    assert due_day(once, Interval(45, STORE)) == D + timedelta(45)
    again = bought(once, 30)
    assert due_day(again, Interval(45, STORE)) == D + timedelta(75)
    assert again.last is not None and again.last.order_id == "o-30-0"
    assert reminder_key(again, again.last) == "replenishment#TEA-1#o-30-0"
    assert due_day(TEA, Interval(45, STORE)) is None


def test_a_purchase_counts_once_and_late_orders_keep_their_place() -> None:
    item = bought(TEA, 30)
    purchase = Purchase("o-30-0", D + timedelta(30))
    assert item.with_purchase(purchase, "") is None  # the same order again
    earlier = item.with_purchase(Purchase("o-early", D), "")  # arrives after, placed before
    assert earlier is not None and earlier.last == purchase


def test_a_cancelled_order_or_a_whole_return_takes_the_purchase_out() -> None:
    item = bought(TEA, 0, 30, quantity=2)
    cancelled = item.without_order("o-30-1")
    assert cancelled is not None and cancelled.last is not None
    assert cancelled.last.order_id == "o-0-0"  # due again from the earlier purchase
    assert item.without_order("o-30-1", returned=1) is None  # one of two sent back: kept
    assert item.without_order("o-30-1", returned=2) == cancelled
    assert item.without_order("o-unknown") is None


def test_the_job_reads_the_days_since_its_last_run() -> None:
    day = date(2026, 3, 10)
    assert days_to_query(date(2026, 3, 9), day, 7) == [day]
    assert days_to_query(date(2026, 3, 7), day, 7) == [day - timedelta(2), day - timedelta(1), day]
    assert days_to_query(None, day, 3) == [day - timedelta(2), day - timedelta(1), day]
    assert len(days_to_query(date(2025, 1, 1), day, 7)) == 7  # a long pause: bounded
    assert days_to_query(date(2026, 4, 1), day, 7) == [day]  # a rerun or a backfill
