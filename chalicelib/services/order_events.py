"""React to the orders stream: each order fact changes the customer's value once.

- an order placed: counted in the stats (and purchase days, tier), confirmation mail;
- an order paid: points at the current tier; a referred customer's first paid order
  pays the referrer's bonus, and both are told;
- an order cancelled or refunded: taken out again with its points;
- a return requested: see :mod:`chalicelib.services.return_events`.

The orders stream's handler decodes the images (:mod:`chalicelib.handlers.orders`).

Each fact is one transaction with a marker (see ``adapters/value_repository.py`` and
:mod:`chalicelib.services.value_facts`); a replayed record raises ``AlreadyApplied``
inside and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from chalicelib.domain import metrics, order_messages
from chalicelib.domain import order_effects as fx
from chalicelib.domain.orders import CANCELLED, FULFILLED, PAID, REFUNDED, Order
from chalicelib.domain.profile import Profile
from chalicelib.services.exceptions import NotReady
from chalicelib.services.placed_purchases import load_placed, with_purchases
from chalicelib.services.ports import Bonus, Marker, StoredOrder, ValueCommit
from chalicelib.services.recommending import recommendations_for
from chalicelib.services.value_facts import (
    OrderDeps,
    commit_once,
    load,
    order_reversed_already,
    paid_fact,
)


def _tier_data(change: Any) -> dict[str, Any] | None:
    if change is None:
        return None
    return {"old_tier": change.old_tier, "new_tier": change.new_tier, "spend_12m": change.spend_12m}


def _is_repeat(state: fx.ValueState) -> bool:
    """Whether the customer has another order counted (and not taken out) already.

    Orders of one customer may be counted out of order (the stream's lanes); each of a
    customer's orders but one is still a repeat, so the totals are those of placed_at.
    """
    return state.stats.orders > 0


def order_placed(order: Order, deps: OrderDeps, cid: str | None, bought: bool = True) -> str:
    """Count a new order and queue its confirmation; the purchases of an order still
    ``bought`` (not cancelled or refunded) are written with the count."""

    def build() -> ValueCommit:
        loaded, found = load_placed(deps, order, bought)
        settings = loaded.settings
        effect = fx.count_order(loaded.state, order, loaded.now, settings.tiers)
        profile = loaded.value.profile
        preview = fx.award_points(effect.state, order, settings.points)[1]
        suggestions = recommendations_for(profile, effect.state, settings, deps.settings)
        stamp = loaded.stamp
        messages = [order_messages.confirmation(profile, order, suggestions, preview, stamp, cid)]
        if effect.tier_change and effect.tier_change.new_tier > effect.tier_change.old_tier:
            messages.append(
                order_messages.tier_promotion(
                    profile,
                    effect.tier_change,
                    order.order_id,
                    effect.state.stats.orders,
                    settings.points,
                    stamp,
                    cid,
                )
            )
        data = {
            "total": order.total,
            "currency": order.currency,
            "tier_change": _tier_data(effect.tier_change),
        }
        key = f"order#{order.order_id}#counted"
        tally = metrics.order_placed(order, _is_repeat(loaded.state))
        extra = learned_gift(profile, order, loaded.now.date(), deps)
        change = loaded.commit(
            effect.state, key, data, deps, extra, messages=messages, tallies=[tally]
        )
        return with_purchases(change, order, found, deps)

    return commit_once(build, deps)


def learned_gift(
    profile: Profile, order: Order, today: date, deps: OrderDeps
) -> dict[str, Any] | None:
    """The profile's gift months with a gift order counted, and the learned month due
    next after ``today`` (the ``occasion-month`` index's key; an old order counted late
    does not move it into the past); ``None`` for an order that is no gift."""
    from chalicelib.domain import gift_occasions as gifts

    if not gifts.is_gift(order, deps.settings.store().gift_categories):
        return None
    months = gifts.with_gift(profile.gift_months, order)
    return {"gift_months": months, "occasion_next": gifts.next_due(months, today)}


def order_paid(order: Order, deps: OrderDeps, cid: str | None) -> str:
    """Award the order's points; pay a referral bonus on a referred customer's first payment."""

    def build() -> ValueCommit:
        loaded = load(deps, order.customer_id)
        state, earned = fx.award_points(loaded.state, order, loaded.settings.points)
        stamp = loaded.stamp
        messages = []
        bonuses = []
        referrer_id = loaded.value.profile.referred_by
        if referrer_id and not loaded.value.referral_credited:
            referrer = deps.values.load(referrer_id)
            if referrer is not None:
                bonus = loaded.settings.points.referral_bonus
                profile = loaded.value.profile
                friend = referrer.profile
                data = {"referred": order.customer_id, "points": bonus, "order_id": order.order_id}
                marker = Marker(referrer_id, f"referral#{order.customer_id}", stamp, data)
                bonuses.append(Bonus(referrer_id, bonus, marker))
                messages.append(
                    order_messages.referral_reward(
                        friend, "referrer", profile.name, bonus, order.customer_id, stamp, cid
                    )
                )
                messages.append(
                    order_messages.referral_reward(
                        profile, "referred", friend.name, 0, order.customer_id, stamp, cid
                    )
                )
        return loaded.commit(
            state,
            f"order#{order.order_id}#paid",
            {"points": earned},
            deps,
            extra_attributes={"referral_credited": True} if bonuses else None,
            requires=[loaded.marker(f"order#{order.order_id}#counted")],
            absent=[loaded.marker(f"order#{order.order_id}#reversed")],
            messages=messages,
            bonuses=bonuses,
        )

    return commit_once(build, deps)


def order_reversed(
    order: Order, new_status: str, was_paid: bool, deps: OrderDeps, cid: str | None
) -> str:
    """Take a cancelled or refunded order out of the aggregates, with its points.

    What refund returns already took back (spend and points) is not taken twice; a
    payment not yet applied makes this record wait (``NotReady``), so points are never
    left on a reversed order.
    """

    def build() -> ValueCommit | None:
        if order_reversed_already(deps, order.customer_id, order.order_id):
            return None  # a redelivery: the stats no longer hold the order to take out
        loaded = load(deps, order.customer_id)
        paid = paid_fact(deps, order.customer_id, order.order_id)
        if was_paid and paid is None:
            raise NotReady()
        paid = paid or {}
        refunded, points_back = deps.values.returned(order.customer_id, order.order_id)
        remaining = [
            other.order.placed_at
            for other in deps.orders.customer_orders(order.customer_id)
            if other.order.order_id != order.order_id and other.status not in (CANCELLED, REFUNDED)
        ]
        rest = replace(order, total=max(0, order.total - refunded))
        points_left = max(0, int(paid.get("points", 0)) - points_back)
        effect = fx.uncount_order(
            loaded.state,
            rest,
            remaining,
            new_status,
            points_left,
            loaded.now,
            loaded.settings.tiers,
        )
        return loaded.commit(
            effect.state,
            f"order#{order.order_id}#reversed",
            {"status": new_status, "points_taken": int(paid.get("points", 0))},
            deps,
            requires=[loaded.marker(f"order#{order.order_id}#counted")],
            tallies=[metrics.order_reversed(order, new_status, rest.total, loaded.now)],
        )

    return commit_once(build, deps)


def on_order_change(old: StoredOrder | None, new: StoredOrder, deps: OrderDeps) -> str:
    """Dispatch one change of an order (``old`` is ``None`` for a new order) to its fact."""
    cid = new.correlation_id
    order = new.order
    if old is None:
        return order_placed(order, deps, cid, new.status not in (CANCELLED, REFUNDED))
    before, after = old.status, new.status
    if before == after:
        return "ignored"
    if after == PAID:
        return order_paid(order, deps, cid)
    if after in (CANCELLED, REFUNDED):
        return order_reversed(order, after, before in (PAID, FULFILLED), deps, cid)
    return "ignored"
