"""Star tiers from trailing spend, points, redemptions and tier history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.exceptions import Conflict, InvalidInput
from chalicelib.domain.tiers import (
    DEFAULT_POINTS_SETTINGS,
    DEFAULT_TIER_SETTINGS,
    PointsSettings,
    TierChange,
    TierSettings,
    clawback,
    is_promotion,
    points_for_order,
    redeem,
    tier_change,
    tier_for,
    trailing_spend,
)

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def test_default_thresholds() -> None:
    assert DEFAULT_TIER_SETTINGS.thresholds == (0, 50_000, 200_000, 500_000, 1_000_000)
    assert DEFAULT_TIER_SETTINGS.window_days == 365


@pytest.mark.parametrize(
    ("spend", "tier"),
    [
        (-5, 1), (0, 1), (49_999, 1), (50_000, 2), (199_999, 2), (200_000, 3),
        (499_999, 3), (500_000, 4), (999_999, 4), (1_000_000, 5), (10**14, 5),
    ],
)  # fmt: skip
def test_tier_for_boundaries(spend: int, tier: int) -> None:
    assert tier_for(spend) == tier


def test_tier_for_custom_thresholds() -> None:
    yen = TierSettings(thresholds=(0, 30_000, 100_000, 300_000, 1_000_000))
    assert [tier_for(s, yen) for s in (29_999, 30_000, 100_000, 299_999, 2_000_000)] == [
        1, 2, 3, 3, 5,
    ]  # fmt: skip


@pytest.mark.parametrize(
    "thresholds",
    [
        (0, 1, 2, 3),
        (0, 1, 2, 3, 4, 5),
        (1, 2, 3, 4, 5),
        (0, 5, 5, 6, 7),
        (0, 9, 8, 10, 11),
        (0, 1.5, 2, 3, 4),
        (0, True, 2, 3, 4),
    ],
)
def test_tier_settings_validation(thresholds: tuple[Any, ...]) -> None:
    with pytest.raises(InvalidInput) as caught:
        TierSettings(thresholds=thresholds)
    assert caught.value.field == "thresholds"


@pytest.mark.parametrize("days", [0, -1, 4000, 30.5])
def test_window_validation(days: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        TierSettings(window_days=days)
    assert caught.value.field == "window_days"


def test_tier_settings_round_trip() -> None:
    custom = TierSettings(thresholds=(0, 10, 20, 30, 40), window_days=180)
    assert TierSettings.from_dict(custom.to_dict()) == custom
    stored = {"thresholds": [Decimal(x) for x in (0, 10, 20, 30, 40)], "window_days": Decimal(180)}
    assert TierSettings.from_dict(stored) == custom
    assert TierSettings.from_dict({}) == DEFAULT_TIER_SETTINGS
    assert TierSettings(thresholds=[0, 1, 2, 3, 4]).thresholds == (0, 1, 2, 3, 4)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        TierSettings.from_dict({"thresholds": [0, 1, 2, 3, Decimal("4.5")]})


def test_trailing_spend_window() -> None:
    orders = [
        (NOW, 100),
        (NOW - timedelta(days=365) + timedelta(seconds=1), 20),
        (NOW - timedelta(days=365), 3_000),  # exactly one window ago: out
        (NOW + timedelta(seconds=1), 40_000),  # after as_of (backfills): out
        (NOW - timedelta(days=30), 5),
    ]
    assert trailing_spend(orders, NOW) == 125
    assert trailing_spend(orders, NOW, TierSettings(window_days=10)) == 100
    assert trailing_spend([], NOW) == 0


def test_points_defaults() -> None:
    assert DEFAULT_POINTS_SETTINGS.points_per_major_unit == 1
    assert DEFAULT_POINTS_SETTINGS.multipliers == tuple(
        Decimal(x) for x in ("1", "1", "1.25", "1.5", "2")
    )
    assert DEFAULT_POINTS_SETTINGS.referral_bonus == 500


@pytest.mark.parametrize(("tier", "points"), [(1, 123), (2, 123), (3, 154), (4, 185), (5, 246)])
def test_points_per_tier_round_down(tier: int, points: int) -> None:
    assert points_for_order(12_345, 2, tier) == points  # $123.45


def test_points_by_currency_exponent() -> None:
    assert points_for_order(12_345, 0, 1) == 12_345  # JPY: 1 point per yen by default
    per_hundred_yen = PointsSettings(points_per_major_unit=Decimal("0.01"))
    assert points_for_order(12_345, 0, 1, per_hundred_yen) == 123
    assert points_for_order(12_345, 3, 1) == 12  # KWD 12.345
    assert points_for_order(99, 2, 5) == 1
    assert points_for_order(49, 2, 5) == 0
    assert points_for_order(0, 2, 5) == 0


def test_points_use_exact_decimal_arithmetic() -> None:
    # In binary floating point 20 * 1.15 is 22.999999999999996 and would round down to 22.
    rich = PointsSettings(multipliers=(1, 1, 1, 1, 1.15))  # type: ignore[arg-type]
    assert rich.multipliers[4] == Decimal("1.15")
    assert points_for_order(2_000, 2, 5, rich) == 23


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((-1, 2, 1), "total"),
        ((True, 2, 1), "total"),
        ((10.5, 2, 1), "total"),
        ((100, 5, 1), "currency"),
        ((100, -1, 1), "currency"),
        ((100, 2, 0), "tier"),
        ((100, 2, 6), "tier"),
        ((100, 2, 2.0), "tier"),
        ((100, 2.0, 1), "currency"),
    ],
)
def test_points_for_order_rejects(args: tuple[Any, int, int], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        points_for_order(*args)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"multipliers": (1, 1, 1, 1)}, "multipliers"),
        ({"multipliers": (1, 1, 1, 1, -2)}, "multipliers"),
        ({"multipliers": (1, 1, 1, 1, "x")}, "multipliers"),
        ({"multipliers": (1, 1, 1, 1, float("nan"))}, "multipliers"),
        ({"points_per_major_unit": -1}, "points_per_major_unit"),
        ({"points_per_major_unit": True}, "points_per_major_unit"),
        ({"referral_bonus": -1}, "referral_bonus"),
        ({"referral_bonus": 2.5}, "referral_bonus"),
    ],
)
def test_points_settings_validation(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        PointsSettings(**changes)
    assert caught.value.field == field


def test_points_settings_round_trip() -> None:
    custom = PointsSettings(Decimal("0.5"), tuple(Decimal(x) for x in "12345"), 1_000)
    data = custom.to_dict()
    assert data == {
        "points_per_major_unit": "0.5",
        "multipliers": ["1", "2", "3", "4", "5"],
        "referral_bonus": 1_000,
    }
    assert PointsSettings.from_dict(data) == custom
    assert PointsSettings.from_dict({"referral_bonus": Decimal(1_000)}).referral_bonus == 1_000
    assert PointsSettings.from_dict({}) == DEFAULT_POINTS_SETTINGS


def test_redeem() -> None:
    assert redeem(1_000, 300) == 700
    assert redeem(300, 300) == 0


def test_redeem_more_than_the_balance_conflicts() -> None:
    for balance in (299, 0, -50):
        with pytest.raises(Conflict) as caught:
            redeem(balance, 300)
        assert caught.value.field == "points"


@pytest.mark.parametrize("amount", [0, -1, True, 1.5, "10"])
def test_redeem_amount_must_be_positive(amount: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        redeem(1_000, amount)
    assert caught.value.field == "points"


def test_clawback_may_go_negative() -> None:
    assert clawback(100, 40) == 60
    assert clawback(100, 250) == -150
    with pytest.raises(ValueError):
        clawback(100, -1)


def test_is_promotion() -> None:
    assert is_promotion(1, 2)
    assert is_promotion(2, 5)
    assert not is_promotion(3, 3)
    assert not is_promotion(4, 2)


def test_tier_change_history_entry() -> None:
    assert tier_change(2, 60_000, NOW) is None
    up = tier_change(2, 250_000, NOW)
    assert up == TierChange(changed_at=NOW, old_tier=2, new_tier=3, spend_12m=250_000)
    assert up.is_promotion
    down = tier_change(5, 10, NOW)
    assert down is not None and not down.is_promotion and down.new_tier == 1
    assert up.to_dict() == {
        "changed_at": "2025-06-01T12:00:00.000Z",
        "old_tier": 2,
        "new_tier": 3,
        "spend_12m": 250_000,
    }
