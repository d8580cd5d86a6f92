"""Loyalty classes and the loyalty gates of seed 001, Table 1."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.loyalty import (
    DEFAULT_LOYALTY_SETTINGS,
    LOYALTY_CLASSES,
    LOYALTY_GATES,
    LoyaltySettings,
    allowed,
    classify,
    days_since,
    gates_from_dict,
    gates_to_dict,
    loyalty_for,
)
from chalicelib.domain.stats import CustomerStats


@pytest.mark.parametrize(
    ("orders", "days", "expected"),
    [
        (5, 0, "very_loyal"),
        (5, 180, "very_loyal"),
        (50, 180, "very_loyal"),
        (5, 181, "loyal"),
        (5, 365, "loyal"),
        (5, 366, "occasional"),
        (4, 0, "loyal"),
        (2, 365, "loyal"),
        (2, 366, "occasional"),
        (1, 0, "occasional"),
        (0, 0, "occasional"),
        (3, None, "occasional"),
        (0, None, "occasional"),
    ],
)
def test_classify_default_thresholds(orders: int, days: int | None, expected: str) -> None:
    assert classify(orders, days) == expected


def test_classify_custom_thresholds() -> None:
    strict = LoyaltySettings(
        very_loyal_min_orders=10, very_loyal_max_days=30, loyal_min_orders=3, loyal_max_days=90
    )
    assert classify(10, 30, strict) == "very_loyal"
    assert classify(9, 1, strict) == "loyal"
    assert classify(10, 31, strict) == "loyal"
    assert classify(2, 1, strict) == "occasional"
    assert classify(3, 91, strict) == "occasional"


def test_days_since_counts_utc_calendar_days() -> None:
    last = datetime(2025, 3, 1, 23, 30, tzinfo=UTC)
    assert days_since(last, date(2025, 3, 1)) == 0
    assert days_since(last, date(2025, 3, 2)) == 1
    assert days_since(last, date(2026, 3, 1)) == 365
    # 07:30 on 2 March in Shanghai is still 1 March in UTC.
    shanghai = datetime(2025, 3, 2, 7, 30, tzinfo=timezone(timedelta(hours=8)))
    assert days_since(shanghai, date(2025, 3, 2)) == 1
    assert days_since(last, datetime(2025, 3, 3, 1, tzinfo=timezone(timedelta(hours=5)))) == 1


def test_days_since_an_order_after_as_of_is_zero() -> None:
    assert days_since(datetime(2025, 3, 5, tzinfo=UTC), date(2025, 3, 1)) == 0


def test_loyalty_for_stats() -> None:
    last = datetime(2025, 1, 1, tzinfo=UTC)
    stats = CustomerStats(
        orders=6, spent=1, currency="USD", first_order_at=last, last_order_at=last
    )
    assert loyalty_for(stats, date(2025, 6, 30)) == "very_loyal"  # 180 days
    assert loyalty_for(stats, date(2025, 7, 1)) == "loyal"
    assert loyalty_for(stats, date(2026, 1, 2)) == "occasional"
    assert loyalty_for(CustomerStats(), date(2025, 1, 1)) == "occasional"


def test_table_1_of_seed_001() -> None:
    # Greeting cards: very loyal only. Recommendations: very and generally loyal.
    assert allowed("greeting", "very_loyal")
    assert not allowed("greeting", "loyal")
    assert not allowed("greeting", "occasional")
    assert allowed("recommendation", "very_loyal")
    assert allowed("recommendation", "loyal")
    assert not allowed("recommendation", "occasional")
    # Nothing unsolicited to occasional customers.
    for kind in LOYALTY_GATES:
        assert not allowed(kind, "occasional")


def test_default_gates_are_data() -> None:
    assert gates_to_dict(LOYALTY_GATES) == {
        "greeting": ["very_loyal"],
        "occasion_suggestion": ["very_loyal", "loyal"],
        "recommendation": ["very_loyal", "loyal"],
    }


@pytest.mark.parametrize("loyalty", LOYALTY_CLASSES)
def test_kinds_without_a_gate_are_not_loyalty_gated(loyalty: str) -> None:
    for kind in ("order_confirmation", "tracking", "survey", "cart_reminder", "product_update"):
        assert allowed(kind, loyalty)


def test_custom_gates() -> None:
    gates = gates_from_dict({"greeting": ["very_loyal", "loyal"], "cart_reminder": []})
    assert allowed("greeting", "loyal", gates)
    assert not allowed("greeting", "occasional", gates)
    for loyalty in LOYALTY_CLASSES:
        assert not allowed("cart_reminder", loyalty, gates)
    assert allowed("recommendation", "occasional", gates)  # not in these gates
    assert gates_from_dict(gates_to_dict(gates)) == gates
    assert gates_from_dict(gates_to_dict(LOYALTY_GATES)) == dict(LOYALTY_GATES)


def test_unknown_loyalty_value_passes_no_gate() -> None:
    assert not allowed("greeting", "vip")
    assert not allowed("recommendation", "")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"greeting": ["vip"]}, "loyalty_gates.greeting"),
        ({"greeting": "very_loyal"}, "loyalty_gates.greeting"),
        ({"greeting": None}, "loyalty_gates.greeting"),
        ({"": ["loyal"]}, "loyalty_gates"),
    ],
)
def test_gates_validation(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        gates_from_dict(data)
    assert caught.value.field == field


def test_settings_defaults_and_round_trip() -> None:
    assert DEFAULT_LOYALTY_SETTINGS.to_dict() == {
        "very_loyal_min_orders": 5,
        "very_loyal_max_days": 180,
        "loyal_min_orders": 2,
        "loyal_max_days": 365,
    }
    custom = LoyaltySettings(very_loyal_min_orders=8)
    assert LoyaltySettings.from_dict(custom.to_dict()) == custom
    stored = {k: Decimal(v) for k, v in custom.to_dict().items()}
    assert LoyaltySettings.from_dict(stored) == custom
    assert LoyaltySettings.from_dict({}) == DEFAULT_LOYALTY_SETTINGS


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"loyal_min_orders": 0}, "loyal_min_orders"),
        ({"loyal_max_days": -1}, "loyal_max_days"),
        ({"very_loyal_max_days": 1.5}, "very_loyal_max_days"),
        ({"very_loyal_min_orders": True}, "very_loyal_min_orders"),
        ({"very_loyal_min_orders": Decimal("2.5")}, "very_loyal_min_orders"),
        ({"loyal_max_days": "365"}, "loyal_max_days"),
        ({"vip_min_orders": 3}, "vip_min_orders"),
    ],
)
def test_settings_validation(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        LoyaltySettings.from_dict(data)
    assert caught.value.field == field


def test_every_input_has_exactly_one_class() -> None:
    for orders, days in itertools.product(range(8), [None, 0, 1, 179, 180, 181, 365, 366, 9999]):
        assert classify(orders, days) in LOYALTY_CLASSES
