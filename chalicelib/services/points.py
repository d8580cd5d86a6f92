"""Redeem points (samples, coupons): idempotent on the redemption id, never below zero."""

from __future__ import annotations

from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import Conflict, InvalidInput, NotFound
from chalicelib.domain.order_effects import ValueState, add_points
from chalicelib.domain.tiers import redeem
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import AlreadyApplied, StaleWrite
from chalicelib.services.ports import Clock, Marker, ValueCommit, ValueRepository


def redeem_points(
    customer_id: str, payload: Any, values: ValueRepository, clock: Clock
) -> tuple[dict[str, Any], bool]:
    """Take points off the balance; returns (redemption, created).

    A replay of the same ``redemption_id`` answers the stored redemption (200); the same
    id with other content is a 409; more points than the balance is a 409 on ``points``.
    """
    body = v.require_object(payload)
    v.reject_unknown(body, ("redemption_id", "points", "reason"))
    for name in ("redemption_id", "points"):
        if body.get(name) is None:
            raise InvalidInput(f"{name} is required", name)
    redemption_id = v.identifier(body["redemption_id"], "redemption_id")
    points = body["points"]
    if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
        raise InvalidInput("points must be a positive integer", "points")
    reason = v.text(body["reason"], "reason", 200) if body.get("reason") is not None else None
    key = f"redemption#{redemption_id}"
    for _ in range(5):
        value = values.load(customer_id)
        if value is None:
            raise NotFound("no customer with this id", "customer_id")
        state = value.state
        stored = values.marker(customer_id, key)
        if stored is not None:
            return _replayed(stored, points, reason, state)
        balance = redeem(state.points, points)
        now = iso(clock.now())
        record = {
            "redemption_id": redemption_id,
            "points": points,
            "reason": reason,
            "balance": balance,
            "at": now,
        }
        try:
            values.commit(
                ValueCommit(
                    customer_id=customer_id,
                    expected_version=value.version,
                    attributes={"points": add_points(state, -points).points},
                    marker=Marker(customer_id, key, now, record),
                )
            )
        except AlreadyApplied:
            continue
        except StaleWrite:
            continue
        return record, True
    raise Conflict("the balance changed meanwhile; try again", "points")


def _replayed(
    stored: dict[str, Any], points: int, reason: str | None, state: ValueState
) -> tuple[dict[str, Any], bool]:
    if stored.get("points") != points or stored.get("reason") != reason:
        raise Conflict("redemption_id was used for another redemption", "redemption_id")
    return {**stored, "balance_now": state.points}, False
