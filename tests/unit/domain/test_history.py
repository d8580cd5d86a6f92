"""Folding a customer's imported history: the live path's functions, in time order, once."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.history import fold_history
from chalicelib.domain.import_rows import ImportedOrder
from chalicelib.domain.order_effects import ValueState
from chalicelib.domain.orders import parse_order
from chalicelib.domain.tiers import PointsSettings, TierSettings

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def imported(
    oid: str, placed_at: str, total: int, status: str, currency: str = "CNY"
) -> ImportedOrder:
    line = {"sku": oid, "name": "n", "category": "c", "quantity": 1, "unit_price": total}
    payload = {
        "order_id": oid,
        "customer_id": "c-1",
        "placed_at": placed_at,
        "currency": currency,
        "lines": [line],
        "total": total,
        "payment_method": "card",
    }
    return ImportedOrder(1, parse_order(payload, bounds=None), status, None)


HISTORY = [
    imported("o-2", "2026-06-01T00:00:00Z", 250_000, "fulfilled"),
    imported("o-1", "2024-01-01T00:00:00Z", 600_000, "paid"),
    imported("o-3", "2026-07-01T00:00:00Z", 9_000, "cancelled"),
    imported("o-4", "2026-08-01T00:00:00Z", 1_000, "placed"),
]


def test_counting_orders_join_the_stats_and_the_tier_comes_from_the_last_12_months() -> None:
    folded = fold_history(ValueState(), HISTORY, NOW, TierSettings(), PointsSettings(), "i1")
    stats = folded.state.stats
    assert (stats.orders, stats.spent) == (3, 851_000)
    assert stats.first_order_at == datetime(2024, 1, 1, tzinfo=UTC)
    assert folded.state.tier == 3  # 2,510 yuan in the window; o-1 is older
    assert folded.state.points == 7_500 + 3_125  # the paid ones, at the tier reached
    assert folded.imported == ("o-1", "o-2", "o-3", "o-4")  # cancelled: stored, not counted
    facts = {f.entry_key: f.data for f in folded.facts}
    assert set(facts) == {"order#o-1#counted", "order#o-2#counted", "order#o-4#counted"}
    assert facts["order#o-1#counted"]["paid_points"] == 7_500
    assert "paid_points" not in facts["order#o-4#counted"]
    assert folded.paid


def test_zero_points_for_history_and_another_currency_is_refused() -> None:
    history = [*HISTORY, imported("o-5", "2026-09-01T00:00:00Z", 100, "paid", currency="USD")]
    folded = fold_history(ValueState(), history, NOW, TierSettings(), None, "i1")
    assert folded.state.points == 0
    assert [(r.field, r.line) for r in folded.rejects] == [("currency", 1)]
    assert "o-5" not in folded.imported


def test_a_fold_is_a_change_of_history_folded_at_only() -> None:
    from chalicelib.domain.history import HISTORY_FOLDED_AT, is_history_fold

    folded = {"customer_id": "c", HISTORY_FOLDED_AT: "2026-12-01T00:00:00Z"}
    assert is_history_fold({"customer_id": "c"}, folded)
    assert is_history_fold(folded, {**folded, HISTORY_FOLDED_AT: "2026-12-02T00:00:00Z"})
    assert not is_history_fold(folded, {**folded, "tier": 2})  # a later live change
    assert not is_history_fold(None, folded) and not is_history_fold(folded, None)


def test_the_first_segment_of_imported_history_is_a_placement_not_a_move() -> None:
    from chalicelib.domain.history import HISTORY_FOLDED_AT, is_history_first_segment

    folded = {"customer_id": "c", HISTORY_FOLDED_AT: "2026-12-01T00:00:00Z"}
    at_risk = {**folded, "rfm": {"segment": "at_risk"}}
    assert is_history_first_segment(folded, at_risk)
    assert is_history_first_segment({**folded, "rfm": None}, at_risk)
    assert not is_history_first_segment({**folded, "rfm": {"segment": "loyal"}}, at_risk)
    live = {"customer_id": "c"}
    assert not is_history_first_segment(live, {**live, "rfm": {"segment": "at_risk"}})
    assert not is_history_first_segment(None, at_risk)
