"""The mail that orders cause: confirmation, tier promotion, referral rewards, returns."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chalicelib.domain.messages import Message
from chalicelib.domain.money import format_money, payment_label
from chalicelib.domain.orders import Order
from chalicelib.domain.profile import Profile
from chalicelib.domain.returns import StoredReturn
from chalicelib.domain.tiers import PointsSettings, TierChange
from chalicelib.domain.vocabulary import GIFT_OCCASIONS, label


def confirmation(
    profile: Profile,
    order: Order,
    recommendations: list[dict[str, Any]],
    points_preview: int,
    created_at: str,
    correlation_id: str | None,
) -> Message:
    """Order confirmation (seed 002): lines, totals, payment, and suggestions if allowed."""
    locale = profile.locale
    context = {
        "order_id": order.order_id,
        "placed_at": order.placed_at.isoformat(),
        "lines": [
            {
                "name": line.name,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": format_money(line.unit_price, order.currency),
                "amount": format_money(line.amount, order.currency),
            }
            for line in order.lines
        ],
        "total": format_money(order.total, order.currency),
        "payment_method": payment_label(order.payment_method, locale),
        "cash_on_delivery": order.payment_method == "cash_on_delivery",
        "gift": label(GIFT_OCCASIONS, order.gift.occasion, locale) if order.gift else None,
        "points_preview": points_preview,
        "recommendations": recommendations,
    }
    key = f"order-confirmation#{order.order_id}"
    return Message.transactional(
        profile, key, "order_confirmation", created_at, context, correlation_id
    )


def _times(multiplier: Decimal) -> str:
    """A multiplier as a reader writes it: ``1``, ``1.25``, ``2``."""
    return format(multiplier.normalize(), "f")


def tier_promotion(
    profile: Profile,
    change: TierChange,
    cause: str,
    orders: int,
    points: PointsSettings,
    created_at: str,
    cid: str | None,
) -> Message:
    """Congratulations on reaching a higher star tier (one per promotion).

    The letter says what happened: how many orders the customer has placed
    (``orders``, counting the one that promoted them) and, only when the new tier's
    points multiplier is higher than the old one's, that orders now earn more.
    """
    key = f"tier-promotion#{change.new_tier}#{cause}"
    old = points.multipliers[change.old_tier - 1]
    new = points.multipliers[change.new_tier - 1]
    context = {
        "old_tier": change.old_tier,
        "new_tier": change.new_tier,
        "orders": orders,
        "more_points": new > old,
        "old_multiplier": _times(old),
        "new_multiplier": _times(new),
    }
    return Message.transactional(profile, key, "tier_promotion", created_at, context, cid)


def referral_reward(
    profile: Profile,
    role: str,
    friend_name: str | None,
    points: int,
    referred_id: str,
    created_at: str,
    cid: str | None,
) -> Message:
    """Tell the referrer (``role="referrer"``) or the referred friend that the bonus came."""
    key = f"referral#{role}#{referred_id}"
    context = {"role": role, "friend_name": friend_name, "points": points}
    return Message.transactional(profile, key, "referral_reward", created_at, context, cid)


def return_acknowledgement(
    profile: Profile,
    order: Order,
    returned: StoredReturn,
    created_at: str,
    cid: str | None,
) -> Message:
    """Acknowledge a return or exchange request with the next steps."""
    names = {line.sku: line.name for line in order.lines}
    request = returned.request
    context = {
        "return_id": request.return_id,
        "order_id": order.order_id,
        "kind": request.kind,
        "lines": [
            {
                "name": names.get(line.sku, line.sku),
                "quantity": line.quantity,
                "wanted_variant": line.wanted_variant,
            }
            for line in request.lines
        ],
        "refund_amount": format_money(returned.refund_amount, order.currency),
        "currency": order.currency,
        "reason": request.reason,
    }
    key = f"return#{request.return_id}"
    return Message.transactional(profile, key, "return_ack", created_at, context, cid)
