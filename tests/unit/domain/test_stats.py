"""Customer aggregates: incremental updates, reversals and recomputation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.exceptions import Unprocessable
from chalicelib.domain.orders import Order, OrderLine
from chalicelib.domain.stats import (
    CustomerStats,
    accepts_currency,
    apply_order,
    average_order_value,
    recompute,
    reverse_order,
)

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def order(n: int, total: int, day: int, currency: str = "USD") -> Order:
    return Order(
        order_id=f"o{n}",
        customer_id="c1",
        placed_at=T0 + timedelta(days=day),
        currency=currency,
        lines=(OrderLine("SKU", "Thing", "misc", 1, total),),
        total=total,
        payment_method="card",
    )


def test_empty_stats() -> None:
    assert CustomerStats() == CustomerStats(0, 0, None, None, None, 0, 0)


def test_first_order() -> None:
    stats = apply_order(CustomerStats(), order(1, 1_000, 3))
    assert stats == CustomerStats(
        orders=1,
        spent=1_000,
        currency="USD",
        first_order_at=T0 + timedelta(days=3),
        last_order_at=T0 + timedelta(days=3),
        average_order_value=1_000,
        returns=0,
    )


def test_orders_applied_out_of_order() -> None:
    stats = CustomerStats()
    for o in (order(1, 100, 5), order(2, 200, 1), order(3, 300, 9), order(4, 400, 4)):
        stats = apply_order(stats, o)
    assert stats.orders == 4
    assert stats.spent == 1_000
    assert stats.first_order_at == T0 + timedelta(days=1)
    assert stats.last_order_at == T0 + timedelta(days=9)
    assert stats.average_order_value == 250


@pytest.mark.parametrize(
    ("spent", "orders", "expected"),
    [(0, 0, 0), (5, 0, 0), (5, 2, 3), (7, 2, 4), (10, 3, 3), (11, 3, 4), (1, 3, 0), (2, 3, 1)],
)
def test_average_order_value_rounds_half_up(spent: int, orders: int, expected: int) -> None:
    assert average_order_value(spent, orders) == expected


def test_dates_with_offsets_compare_as_instants() -> None:
    # 01:00 on 2 January in Shanghai is 17:00Z on 1 January, earlier than 13:00 in New York.
    shanghai, new_york = timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))
    east = replace(order(1, 100, 0), placed_at=datetime(2025, 1, 2, 1, tzinfo=shanghai))
    west = replace(order(2, 100, 0), placed_at=datetime(2025, 1, 1, 13, tzinfo=new_york))
    stats = apply_order(apply_order(CustomerStats(), west), east)
    assert stats.first_order_at == east.placed_at
    assert stats.last_order_at == west.placed_at
    assert stats.to_dict()["first_order_at"] == "2025-01-01T17:00:00.000Z"
    assert stats.to_dict()["last_order_at"] == "2025-01-01T18:00:00.000Z"


def test_other_currency_is_refused() -> None:
    stats = apply_order(CustomerStats(), order(1, 100, 0, "USD"))
    assert accepts_currency(stats, "USD")
    assert not accepts_currency(stats, "EUR")
    assert accepts_currency(CustomerStats(), "EUR")
    with pytest.raises(Unprocessable) as caught:
        apply_order(stats, order(2, 100, 1, "EUR"))
    assert caught.value.field == "currency"
    with pytest.raises(Unprocessable):
        reverse_order(stats, order(1, 100, 0, "EUR"), [], "cancelled")


def three_orders() -> tuple[CustomerStats, list[Order]]:
    orders = [order(1, 100, 1), order(2, 200, 5), order(3, 600, 9)]
    stats = CustomerStats()
    for o in orders:
        stats = apply_order(stats, o)
    return stats, orders


def test_reverse_middle_order_needs_no_dates() -> None:
    stats, orders = three_orders()
    after = reverse_order(stats, orders[1], [], "cancelled")
    assert after == recompute([orders[0], orders[2]])
    assert after.average_order_value == 350


def test_reverse_last_order_uses_remaining_dates() -> None:
    stats, orders = three_orders()
    after = reverse_order(stats, orders[2], [orders[0].placed_at, orders[1].placed_at], "refunded")
    assert after.last_order_at == orders[1].placed_at
    assert after.first_order_at == orders[0].placed_at
    assert after.orders == 2 and after.spent == 300 and after.returns == 1


def test_reverse_first_order_uses_remaining_dates() -> None:
    stats, orders = three_orders()
    after = reverse_order(stats, orders[0], [orders[1].placed_at, orders[2].placed_at], "cancelled")
    assert after == recompute(orders[1:])


def test_reverse_edge_order_of_two_needs_no_dates() -> None:
    a, b = order(1, 100, 1), order(2, 300, 7)
    stats = apply_order(apply_order(CustomerStats(), a), b)
    assert reverse_order(stats, b, [], "cancelled") == recompute([a])
    assert reverse_order(stats, a, [], "cancelled") == recompute([b])


def test_reverse_with_two_orders_at_the_same_moment() -> None:
    a, b, c = order(1, 100, 2), order(2, 300, 2), order(3, 50, 2)
    stats = recompute([a, b, c])
    assert reverse_order(stats, a, [], "cancelled") == recompute([b, c])
    assert reverse_order(stats, a, [b.placed_at, c.placed_at], "cancelled") == recompute([b, c])


def test_reverse_the_only_order_empties_the_stats_but_keeps_returns() -> None:
    stats = apply_order(CustomerStats(returns=2), order(1, 500, 0))
    assert reverse_order(stats, order(1, 500, 0), [], "refunded") == CustomerStats(returns=3)
    assert reverse_order(stats, order(1, 500, 0), [], "cancelled") == CustomerStats(returns=2)


def test_currency_is_free_again_after_everything_is_reversed() -> None:
    stats = apply_order(CustomerStats(), order(1, 500, 0, "USD"))
    stats = reverse_order(stats, order(1, 500, 0, "USD"), [], "cancelled")
    assert apply_order(stats, order(2, 9, 1, "JPY")).currency == "JPY"


def test_only_refunds_count_as_returns() -> None:
    stats, orders = three_orders()
    assert reverse_order(stats, orders[1], [], "refunded").returns == 1
    assert reverse_order(stats, orders[1], [], "cancelled").returns == 0


@pytest.mark.parametrize("status", ["paid", "placed", "fulfilled", "lost"])
def test_reverse_needs_a_reversing_status(status: str) -> None:
    stats, orders = three_orders()
    with pytest.raises(ValueError):
        reverse_order(stats, orders[1], [], status)


def test_reverse_from_stats_that_cannot_hold_the_order() -> None:
    with pytest.raises(ValueError):
        reverse_order(CustomerStats(), order(1, 100, 0), [], "cancelled")
    stats = apply_order(CustomerStats(), order(1, 100, 0))
    with pytest.raises(ValueError):
        reverse_order(stats, order(2, 101, 0), [], "cancelled")


def test_reverse_edge_without_any_remaining_date_is_an_error() -> None:
    stats, orders = three_orders()
    for edge in (orders[0], orders[2]):
        with pytest.raises(ValueError):
            reverse_order(stats, edge, [], "cancelled")


def test_dict_round_trip_uses_profile_summary_names() -> None:
    stats, _ = three_orders()
    data = stats.to_dict()
    assert list(data) == [
        "orders", "spent", "currency", "first_order_at", "last_order_at",
        "average_order_value", "returns",
    ]  # fmt: skip
    assert data["first_order_at"] == "2025-01-02T00:00:00.000Z"
    assert CustomerStats.from_dict(data) == stats
    stored = {k: Decimal(v) if isinstance(v, int) else v for k, v in data.items()}
    assert CustomerStats.from_dict(stored) == stats
    assert CustomerStats.from_dict(CustomerStats().to_dict()) == CustomerStats()
    assert CustomerStats.from_dict({}) == CustomerStats()


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 60), st.booleans(), st.booleans()),
        min_size=1,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_incremental_updates_agree_with_recompute(
    specs: list[tuple[int, int, bool, bool]], rnd: object
) -> None:
    orders = [order(i, total, day) for i, (total, day, _, _) in enumerate(specs)]
    applied = list(orders)
    rnd.shuffle(applied)  # type: ignore[attr-defined]
    stats = CustomerStats()
    for o in applied:
        stats = apply_order(stats, o)
    assert stats == recompute(orders)

    remaining = list(orders)
    returns = 0
    for o, (_, _, reverse, refund) in zip(orders, specs, strict=True):
        if not reverse:
            continue
        remaining.remove(o)
        status = "refunded" if refund else "cancelled"
        returns += refund
        stats = reverse_order(stats, o, [r.placed_at for r in remaining], status)
        assert stats == recompute(remaining, returns)
