"""Star tiers and loyalty points.

Tiers
-----
A customer's star tier (1 to 5) follows their trailing-12-month spend: the counted orders
placed in the 365 days up to and including the moment of evaluation. ``TierSettings``
holds the lowest spend of each tier in minor units of the store's currency. The defaults,
``0, 50_000, 200_000, 500_000, 1_000_000``, read as 0 / 500 / 2,000 / 5,000 / 10,000 major
units in a two-decimal currency (USD, EUR, CNY); a store selling in JPY or KRW (no minor
unit) sets its own. The tier is recomputed from spend whenever spend changes and by the daily
job (old orders leave the window), so tiers go down as well as up; there is no grace period.

Points
------
An order earns ``floor(total / 10**exponent * points_per_major_unit * multiplier[tier])``
points, the tier being the customer's tier when the order is placed (floor: a customer is
never credited a fraction). With the defaults a USD customer earns 1 point per dollar, 1.25
per dollar at 3 stars, 2 at 5 stars. A refund takes back exactly the points recorded on the
order (:func:`clawback`), which may leave the balance negative if they were already spent;
redemptions are refused until it is positive again. A referral earns
``referral_bonus`` points once, when the referred customer's first order is paid.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from chalicelib.domain.exceptions import Conflict, InvalidInput
from chalicelib.domain.tier_settings import (
    DEFAULT_POINTS_SETTINGS,
    DEFAULT_TIER_SETTINGS,
    TIERS,
    PointsSettings,
    TierSettings,
)
from chalicelib.domain.times import iso

__all__ = [
    "DEFAULT_POINTS_SETTINGS",
    "DEFAULT_TIER_SETTINGS",
    "TIERS",
    "PointsSettings",
    "TierChange",
    "TierSettings",
    "clawback",
    "is_promotion",
    "points_for_order",
    "redeem",
    "tier_change",
    "tier_for",
    "trailing_spend",
]


def _check_tier(tier: int) -> None:
    if not isinstance(tier, int) or tier not in TIERS:
        raise InvalidInput("tier must be an integer from 1 to 5", "tier")


@dataclass(frozen=True)
class TierChange:
    """One entry of a customer's tier history."""

    changed_at: datetime
    old_tier: int
    new_tier: int
    spend_12m: int

    @property
    def is_promotion(self) -> bool:
        """Whether the customer moved up."""
        return is_promotion(self.old_tier, self.new_tier)

    def to_dict(self) -> dict[str, Any]:
        """Plain form (``changed_at`` as ISO 8601 UTC text)."""
        return {
            "changed_at": iso(self.changed_at),
            "old_tier": self.old_tier,
            "new_tier": self.new_tier,
            "spend_12m": self.spend_12m,
        }


def tier_for(spend_12m: int, settings: TierSettings = DEFAULT_TIER_SETTINGS) -> int:
    """The tier (1 to 5) of a trailing-12-month spend; a threshold belongs to its tier."""
    return max(1, bisect_right(settings.thresholds, spend_12m))


def trailing_spend(
    orders: Iterable[tuple[datetime, int]],
    as_of: datetime,
    settings: TierSettings = DEFAULT_TIER_SETTINGS,
) -> int:
    """Sum of ``(placed_at, total)`` of counted orders in ``(as_of - window, as_of]``."""
    start = as_of - timedelta(days=settings.window_days)
    return sum(total for placed_at, total in orders if start < placed_at <= as_of)


def is_promotion(old: int, new: int) -> bool:
    """Whether moving from tier ``old`` to tier ``new`` is a promotion."""
    return new > old


def tier_change(
    old_tier: int, spend_12m: int, at: datetime, settings: TierSettings = DEFAULT_TIER_SETTINGS
) -> TierChange | None:
    """The history entry when ``spend_12m`` moves the customer off ``old_tier``, else ``None``."""
    new_tier = tier_for(spend_12m, settings)
    if new_tier == old_tier:
        return None
    return TierChange(changed_at=at, old_tier=old_tier, new_tier=new_tier, spend_12m=spend_12m)


def points_for_order(
    total_minor: int,
    currency_exponent: int,
    tier: int,
    settings: PointsSettings = DEFAULT_POINTS_SETTINGS,
) -> int:
    """Points earned by an order of ``total_minor`` minor units at ``tier`` (rounded down).

    Raises
    ------
    InvalidInput
        For a negative total (field ``total``), an exponent outside 0..4 (field
        ``currency``) or a tier outside 1..5 (field ``tier``).
    """
    if not isinstance(total_minor, int) or isinstance(total_minor, bool) or total_minor < 0:
        raise InvalidInput("total must be a non-negative integer of minor units", "total")
    if not isinstance(currency_exponent, int) or currency_exponent not in range(5):
        raise InvalidInput("currency exponent must be between 0 and 4", "currency")
    _check_tier(tier)
    earned = (
        Fraction(total_minor)
        * Fraction(settings.points_per_major_unit)
        * Fraction(settings.multipliers[tier - 1])
        / 10**currency_exponent
    )
    return int(earned)  # int() of a non-negative Fraction rounds down


def redeem(balance: int, amount: int) -> int:
    """The balance after redeeming ``amount`` points.

    Raises
    ------
    InvalidInput
        When ``amount`` is not a positive integer (field ``points``).
    Conflict
        When the balance would go below zero (field ``points``).
    """
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidInput("points to redeem must be a positive integer", "points")
    if balance - amount < 0:
        raise Conflict(f"only {max(balance, 0)} points are available", "points")
    return balance - amount


def clawback(balance: int, points: int) -> int:
    """The balance after taking back ``points`` earned by a refunded order (may go negative)."""
    if points < 0:
        raise ValueError("points to take back must not be negative")
    return balance - points
