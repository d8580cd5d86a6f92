"""The tier and points settings: tier thresholds and window, points rates and the referral
bonus (the rules they feed are in :mod:`chalicelib.domain.tiers`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from chalicelib.domain.exceptions import InvalidInput

TIERS = (1, 2, 3, 4, 5)


def _decimal(value: Any, field: str) -> Decimal:
    if isinstance(value, bool):
        raise InvalidInput(f"{field} must be a number", field)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"{field} must be a number", field) from None
    if not number.is_finite() or number < 0:
        raise InvalidInput(f"{field} must be a non-negative number", field)
    return number


@dataclass(frozen=True)
class TierSettings:
    """Lowest trailing-12-month spend (minor units) of tiers 1 to 5, and the window."""

    thresholds: tuple[int, ...] = (0, 50_000, 200_000, 500_000, 1_000_000)
    window_days: int = 365

    def __post_init__(self) -> None:
        t = tuple(self.thresholds)
        if (
            len(t) != len(TIERS)
            or any(not isinstance(x, int) or isinstance(x, bool) for x in t)
            or t[0] != 0
            or any(a >= b for a, b in pairwise(t))
        ):
            raise InvalidInput(
                "thresholds must be 5 increasing integers starting at 0", "thresholds"
            )
        if not isinstance(self.window_days, int) or not 1 <= self.window_days <= 3660:
            raise InvalidInput("window_days must be between 1 and 3660", "window_days")
        object.__setattr__(self, "thresholds", t)

    def to_dict(self) -> dict[str, Any]:
        """Plain form for the settings table."""
        return {"thresholds": list(self.thresholds), "window_days": self.window_days}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TierSettings:
        """Inverse of :meth:`to_dict`; missing keys take the defaults."""
        values: dict[str, Any] = {}
        if "thresholds" in data:
            values["thresholds"] = tuple(_whole(x, "thresholds") for x in data["thresholds"])
        if "window_days" in data:
            values["window_days"] = _whole(data["window_days"], "window_days")
        return cls(**values)


@dataclass(frozen=True)
class PointsSettings:
    """Points earned per major currency unit, per-tier multipliers and the referral bonus."""

    points_per_major_unit: Decimal = Decimal(1)
    multipliers: tuple[Decimal, ...] = tuple(Decimal(m) for m in ("1", "1", "1.25", "1.5", "2"))
    referral_bonus: int = 500

    def __post_init__(self) -> None:
        rate = _decimal(self.points_per_major_unit, "points_per_major_unit")
        multipliers = tuple(_decimal(m, "multipliers") for m in self.multipliers)
        if len(multipliers) != len(TIERS):
            raise InvalidInput("multipliers must have one number per tier (5)", "multipliers")
        bonus = self.referral_bonus
        if not isinstance(bonus, int) or isinstance(bonus, bool) or bonus < 0:
            raise InvalidInput("referral_bonus must be a non-negative integer", "referral_bonus")
        object.__setattr__(self, "points_per_major_unit", rate)
        object.__setattr__(self, "multipliers", multipliers)

    def to_dict(self) -> dict[str, Any]:
        """Plain form for the settings table (numbers as text to keep them exact)."""
        return {
            "points_per_major_unit": str(self.points_per_major_unit),
            "multipliers": [str(m) for m in self.multipliers],
            "referral_bonus": self.referral_bonus,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PointsSettings:
        """Inverse of :meth:`to_dict`; missing keys take the defaults."""
        values: dict[str, Any] = {}
        if "points_per_major_unit" in data:
            values["points_per_major_unit"] = data["points_per_major_unit"]
        if "multipliers" in data:
            values["multipliers"] = tuple(data["multipliers"])
        if "referral_bonus" in data:
            values["referral_bonus"] = _whole(data["referral_bonus"], "referral_bonus")
        return cls(**values)


DEFAULT_TIER_SETTINGS = TierSettings()


DEFAULT_POINTS_SETTINGS = PointsSettings()


def _whole(value: Any, field: str) -> int:
    """An integer from stored data (DynamoDB returns ``Decimal``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    raise InvalidInput(f"{field} must be whole numbers", field)
