"""What one order fact does to a customer's value: stats, purchase days, tier, points.

Pure functions over :class:`ValueState`, the part of the profile the order path owns.
The service applies each fact once (a conditional marker in the same transaction);
these functions assume that and stay deterministic.

``purchase_days`` maps ``YYYY-MM-DD`` (UTC) to the amount spent that day on counted
orders: it gives the trailing-12-month spend for tiers exactly and the repeat-purchase
days that the CLV model needs, in one map bounded by the number of distinct days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.domain.orders import Order
from chalicelib.domain.recommendations import purchased_keys
from chalicelib.domain.stats import CustomerStats, apply_order, average_order_value, reverse_order
from chalicelib.domain.tiers import (
    PointsSettings,
    TierChange,
    TierSettings,
    clawback,
    points_for_order,
    tier_change,
)
from chalicelib.domain.times import iso, parse_iso, utc_day

MAX_PURCHASED_KEYS = 200


@dataclass(frozen=True)
class ValueState:
    """The order-driven part of a profile."""

    stats: CustomerStats = field(default_factory=CustomerStats)
    purchase_days: Mapping[str, int] = field(default_factory=dict)
    tier: int = 1
    points: int = 0
    purchased: tuple[str, ...] = ()

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> ValueState:
        """Read it from a deserialized profile item."""
        raw = dict(item.get("stats") or {})
        stats = CustomerStats(
            orders=int(raw.get("orders", 0)),
            spent=int(raw.get("spent", 0)),
            currency=raw.get("currency"),
            first_order_at=_when(raw.get("first_order_at")),
            last_order_at=_when(raw.get("last_order_at")),
            average_order_value=int(raw.get("average_order_value", 0)),
            returns=int(raw.get("returns", 0)),
        )
        return cls(
            stats=stats,
            purchase_days={k: int(v) for k, v in (item.get("purchase_days") or {}).items()},
            tier=int(item.get("tier", 1)),
            points=int(item.get("points", 0)),
            purchased=tuple(item.get("purchased") or ()),
        )

    def spend_in_window(self, as_of: date, settings: TierSettings) -> int:
        """Spend on purchase days in ``(as_of - window, as_of]``."""
        start = as_of - timedelta(days=settings.window_days)
        return sum(
            amount
            for day, amount in self.purchase_days.items()
            if start < date.fromisoformat(day) <= as_of
        )

    def to_attributes(self, as_of: date, settings: TierSettings) -> dict[str, Any]:
        """Profile attributes to write (with the ``tier-spend`` index keys)."""
        return {
            "stats": self.stats.to_dict(),
            "purchase_days": dict(sorted(self.purchase_days.items())),
            "tier": self.tier,
            "tier_key": f"tier#{self.tier}",
            "spent_12m": self.spend_in_window(as_of, settings),
            "points": self.points,
            "purchased": list(self.purchased),
        }


def _when(value: Any) -> datetime | None:
    return parse_iso(value) if isinstance(value, str) and value else None


def purchase_day(order: Order) -> str:
    """The UTC day an order counts on."""
    return utc_day(order.placed_at).isoformat()


def _add_day(days: Mapping[str, int], day: str, amount: int) -> dict[str, int]:
    out = dict(days)
    out[day] = out.get(day, 0) + amount
    if out[day] <= 0:
        del out[day]
    return out


def _retier(
    state: ValueState, as_of: date, at: datetime, settings: TierSettings
) -> tuple[ValueState, TierChange | None]:
    change = tier_change(state.tier, state.spend_in_window(as_of, settings), at, settings)
    if change is None:
        return state, None
    return replace(state, tier=change.new_tier), change


@dataclass(frozen=True)
class Effect:
    """The new state and the tier change it caused, if any."""

    state: ValueState
    tier_change: TierChange | None = None


def count_order(state: ValueState, order: Order, now: datetime, tiers: TierSettings) -> Effect:
    """A placed order joins the aggregates (raises ``Unprocessable`` for another currency)."""
    keys = [k for k in sorted(purchased_keys(order.lines)) if k not in state.purchased]
    new = replace(
        state,
        stats=apply_order(state.stats, order),
        purchase_days=_add_day(state.purchase_days, purchase_day(order), order.total),
        purchased=(*state.purchased, *keys)[-MAX_PURCHASED_KEYS:],
    )
    new, change = _retier(new, now.date(), now, tiers)
    return Effect(new, change)


def uncount_order(
    state: ValueState,
    order: Order,
    remaining_order_dates: Iterable[datetime],
    new_status: str,
    points_awarded: int,
    now: datetime,
    tiers: TierSettings,
) -> Effect:
    """A cancelled or refunded order leaves the aggregates; its points are taken back."""
    new = replace(
        state,
        stats=reverse_order(state.stats, order, remaining_order_dates, new_status),
        purchase_days=_add_day(state.purchase_days, purchase_day(order), -order.total),
        points=clawback(state.points, points_awarded),
    )
    new, change = _retier(new, now.date(), now, tiers)
    return Effect(new, change)


def award_points(state: ValueState, order: Order, points: PointsSettings) -> tuple[ValueState, int]:
    """Points for a paid order at the customer's current tier."""
    earned = points_for_order(order.total, order.currency_exponent, state.tier, points)
    return replace(state, points=state.points + earned), earned


def apply_return(
    state: ValueState,
    order: Order,
    refund_amount: int,
    points_awarded: int,
    now: datetime,
    tiers: TierSettings,
) -> tuple[Effect, int]:
    """A return: counted in ``stats.returns``; a refund takes back its share of spend and points.

    Returns the effect and the points taken back (the refunded share of the order's
    points, rounded down).
    """
    refund = max(0, min(refund_amount, order.total))
    taken = (points_awarded * refund) // order.total if order.total else 0
    spent = max(0, state.stats.spent - refund)
    stats = replace(
        state.stats,
        spent=spent,
        returns=state.stats.returns + 1,
        average_order_value=average_order_value(spent, state.stats.orders),
    )
    new = replace(
        state,
        stats=stats,
        purchase_days=_add_day(state.purchase_days, purchase_day(order), -refund),
        points=clawback(state.points, taken),
    )
    new, change = _retier(new, now.date(), now, tiers)
    return Effect(new, change), taken


def add_points(state: ValueState, amount: int) -> ValueState:
    """A bonus (referral) or a redemption (negative)."""
    return replace(state, points=state.points + amount)


def stamp(moment: datetime) -> str:
    """Timeline time format."""
    return iso(moment)
