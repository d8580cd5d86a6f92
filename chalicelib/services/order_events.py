"""React to the orders stream: each order fact changes the customer's value once.

- an order placed: counted in the stats (and purchase days, tier), confirmation mail;
- an order paid: points at the current tier; a referred customer's first paid order
  pays the referrer's bonus, and both are told;
- an order cancelled or refunded: taken out again with its points;
- a return requested: ``stats.returns``, a refund's share of spend and points, and the
  acknowledgment mail.

Each fact is one transaction with a marker (see ``adapters/value_repository.py``);
a replayed record raises ``AlreadyApplied`` inside and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from chalicelib.adapters.orders_repository import order_from_item
from chalicelib.adapters.profile_items import profile_from_item
from chalicelib.domain import order_effects as fx
from chalicelib.domain import order_messages
from chalicelib.domain.orders import CANCELLED, FULFILLED, PAID, REFUNDED, Order
from chalicelib.domain.times import iso, parse_iso
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.exceptions import AlreadyApplied, NotReady, StaleWrite, Superseded
from chalicelib.services.facts import Bonus, Marker, ValueCommit
from chalicelib.services.recommending import recommendations_for
from chalicelib.services.rescoring import rescored_attributes
from chalicelib.services.retry import retry_throttled

ATTEMPTS = 5


@dataclass(frozen=True)
class OrderDeps:
    """Ports the order path needs."""

    values: Any
    orders: Any
    settings: Any
    clock: Any


def _commit_once(build: Any, deps: OrderDeps) -> str:
    """Build and commit a fact's change, re-reading on concurrent updates.

    Throttling is retried here with backoff before the record is given back to the
    stream (where a retry re-runs the whole batch from this record).
    """
    for _ in range(ATTEMPTS):
        try:
            change = retry_throttled(build)
            if change is None:
                return "skipped"
            pending: ValueCommit = change
            retry_throttled(lambda: deps.values.commit(pending))  # noqa: B023 (called at once)
        except AlreadyApplied:
            return "already_applied"
        except Superseded:
            return "superseded"
        except StaleWrite:
            continue
        return "applied"
    raise StaleWrite()


def _base(
    deps: OrderDeps, customer_id: str
) -> tuple[dict[str, Any], fx.ValueState, CustomerValueSettings, datetime]:
    item = deps.values.load(customer_id)
    if item is None:
        raise LookupError("the order's customer has no profile")
    return item, fx.ValueState.from_item(item), deps.settings.customer_value(), deps.clock.now()


def _attributes(
    item: dict[str, Any],
    state: fx.ValueState,
    settings: CustomerValueSettings,
    now: datetime,
    deps: OrderDeps,
) -> dict[str, Any]:
    attributes = state.to_attributes(now.date(), settings.tiers)
    attributes.update(rescored_attributes(item, state, settings, now, deps.settings))
    return attributes


def _version(item: dict[str, Any]) -> int:
    return int(item.get("value_version", 0))


def order_placed(order: Order, deps: OrderDeps, cid: str | None) -> str:
    """Count a new order and queue its confirmation."""

    def build() -> ValueCommit:
        item, state, settings, now = _base(deps, order.customer_id)
        effect = fx.count_order(state, order, now, settings.tiers)
        profile = profile_from_item(item)
        preview = fx.award_points(effect.state, order, settings.points)[1]
        suggestions = recommendations_for(profile, effect.state, settings, deps.settings)
        stamp = iso(now)
        messages = [order_messages.confirmation(profile, order, suggestions, preview, stamp, cid)]
        if effect.tier_change and effect.tier_change.new_tier > effect.tier_change.old_tier:
            messages.append(
                order_messages.tier_promotion(
                    profile, effect.tier_change, order.order_id, stamp, cid
                )
            )
        return ValueCommit(
            customer_id=order.customer_id,
            expected_version=_version(item),
            attributes=_attributes(item, effect.state, settings, now, deps),
            marker=Marker(
                order.customer_id,
                f"order#{order.order_id}#counted",
                stamp,
                {
                    "total": order.total,
                    "currency": order.currency,
                    "tier_change": _tier_data(effect.tier_change),
                },
            ),
            messages=messages,
        )

    return _commit_once(build, deps)


def _tier_data(change: Any) -> dict[str, Any] | None:
    if change is None:
        return None
    return {"old_tier": change.old_tier, "new_tier": change.new_tier, "spend_12m": change.spend_12m}


def order_paid(order: Order, deps: OrderDeps, cid: str | None) -> str:
    """Award the order's points; pay a referral bonus on a referred customer's first payment."""

    def build() -> ValueCommit:
        item, state, settings, now = _base(deps, order.customer_id)
        state, earned = fx.award_points(state, order, settings.points)
        stamp = iso(now)
        attributes = _attributes(item, state, settings, now, deps)
        messages = []
        bonuses = []
        referrer_id = item.get("referred_by")
        if referrer_id and not item.get("referral_credited"):
            referrer = deps.values.load(referrer_id)
            if referrer is not None:
                bonus = settings.points.referral_bonus
                attributes["referral_credited"] = True
                profile = profile_from_item(item)
                friend = profile_from_item(referrer)
                bonuses.append(
                    Bonus(
                        referrer_id,
                        bonus,
                        Marker(
                            referrer_id,
                            f"referral#{order.customer_id}",
                            stamp,
                            {
                                "referred": order.customer_id,
                                "points": bonus,
                                "order_id": order.order_id,
                            },
                        ),
                    )
                )
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
        return ValueCommit(
            customer_id=order.customer_id,
            expected_version=_version(item),
            attributes=attributes,
            marker=Marker(
                order.customer_id, f"order#{order.order_id}#paid", stamp, {"points": earned}
            ),
            requires=[Marker(order.customer_id, f"order#{order.order_id}#counted", stamp)],
            absent=[Marker(order.customer_id, f"order#{order.order_id}#reversed", stamp)],
            messages=messages,
            bonuses=bonuses,
        )

    return _commit_once(build, deps)


def order_reversed(
    order: Order, new_status: str, was_paid: bool, deps: OrderDeps, cid: str | None
) -> str:
    """Take a cancelled or refunded order out of the aggregates, with its points.

    What refund returns already took back (spend and points) is not taken twice; a
    payment not yet applied makes this record wait (``NotReady``), so points are never
    left on a reversed order.
    """

    def build() -> ValueCommit | None:
        if deps.values.marker(order.customer_id, f"order#{order.order_id}#reversed"):
            return None  # a redelivery: the stats no longer hold the order to take out
        item, state, settings, now = _base(deps, order.customer_id)
        paid = deps.values.marker(order.customer_id, f"order#{order.order_id}#paid")
        if was_paid and paid is None:
            raise NotReady()
        paid = paid or {}
        refunded, points_back = deps.values.returned(order.customer_id, order.order_id)
        remaining = [
            parse_iso(other["placed_at"])
            for other in deps.orders.customer_orders(order.customer_id)
            if other["order_id"] != order.order_id
            and other.get("status") not in (CANCELLED, REFUNDED)
        ]
        rest = replace(order, total=max(0, order.total - refunded))
        points_left = max(0, int(paid.get("points", 0)) - points_back)
        effect = fx.uncount_order(
            state, rest, remaining, new_status, points_left, now, settings.tiers
        )
        stamp = iso(now)
        return ValueCommit(
            customer_id=order.customer_id,
            expected_version=_version(item),
            attributes=_attributes(item, effect.state, settings, now, deps),
            marker=Marker(
                order.customer_id,
                f"order#{order.order_id}#reversed",
                stamp,
                {"status": new_status, "points_taken": int(paid.get("points", 0))},
            ),
            requires=[Marker(order.customer_id, f"order#{order.order_id}#counted", stamp)],
        )

    return _commit_once(build, deps)


def return_requested(return_item: dict[str, Any], deps: OrderDeps, cid: str | None) -> str:
    """Count a return, reverse a refund's share, and acknowledge it by mail."""
    order_item = deps.orders.get(return_item["order_id"])
    if order_item is None:
        raise LookupError("the returned order does not exist")
    order = order_from_item(order_item)

    def build() -> ValueCommit | None:
        if deps.values.marker(order.customer_id, f"order#{order.order_id}#reversed"):
            return None  # a redelivery: the stats no longer hold the order to take out
        item, state, settings, now = _base(deps, order.customer_id)
        paid = deps.values.marker(order.customer_id, f"order#{order.order_id}#paid") or {}
        refund = (
            int(return_item.get("refund_amount", 0)) if return_item.get("kind") == "refund" else 0
        )
        effect, taken = fx.apply_return(
            state, order, refund, int(paid.get("points", 0)), now, settings.tiers
        )
        stamp = iso(now)
        profile = profile_from_item(item)
        return ValueCommit(
            customer_id=order.customer_id,
            expected_version=_version(item),
            attributes=_attributes(item, effect.state, settings, now, deps),
            marker=Marker(
                order.customer_id,
                f"return#{return_item['return_id']}",
                stamp,
                {
                    "order_id": order.order_id,
                    "kind": return_item.get("kind"),
                    "refund_amount": refund,
                    "points_taken": taken,
                },
            ),
            messages=[
                order_messages.return_acknowledgement(profile, order, return_item, stamp, cid)
            ],
        )

    return _commit_once(build, deps)


def on_orders_change(
    old: dict[str, Any] | None, new: dict[str, Any] | None, deps: OrderDeps
) -> str:
    """Dispatch one orders-table change to the fact it records."""
    if new is None:
        return "ignored"
    cid = new.get("correlation_id")
    record = str(new.get("record", ""))
    if record.startswith("return#"):
        return return_requested(new, deps, cid) if old is None else "ignored"
    if record != "order":
        return "ignored"
    order = order_from_item(new)
    if old is None:
        return order_placed(order, deps, cid)
    before, after = old.get("status"), new.get("status")
    if before == after:
        return "ignored"
    if after == PAID:
        return order_paid(order, deps, cid)
    if after in (CANCELLED, REFUNDED):
        return order_reversed(order, after, before in (PAID, FULFILLED), deps, cid)
    return "ignored"
