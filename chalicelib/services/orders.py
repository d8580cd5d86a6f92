"""Place orders and move their status (the API side of orders)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import Conflict, NotFound, Unprocessable
from chalicelib.domain.orders import PAYLOAD_FIELDS, Order, parse_order, transition
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import (
    AlreadyExists,
    CurrencyMismatch,
    CustomerMissing,
    StaleWrite,
)


def order_digest(order: Order) -> str:
    """A stable digest of an order, to tell an identical replay from a different order."""
    payload = order.to_payload()
    payload["placed_at"] = iso(order.placed_at)
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PlaceResult:
    """The stored order and whether this call created it."""

    order: dict[str, Any]
    created: bool


def place_order(
    payload: Any, orders: Any, clock: Any, settings: Any, cid: str | None
) -> PlaceResult:
    """Record a placed order (201), an identical replay (200) or refuse it (404/409/422).

    ``placed_at`` must lie within the store's time bounds (400 naming it otherwise).
    """
    bounds = settings.store().time_bounds(clock.now())
    order = parse_order(v.require_object(payload), bounds=bounds)
    digest = order_digest(order)
    try:
        stored = orders.create(order, digest, iso(clock.now()), cid)
    except CurrencyMismatch as mismatch:
        raise Unprocessable(
            f"this customer's orders are in {mismatch.currency}; "
            f"an order in {order.currency} cannot join their history",
            "currency",
        ) from None
    except CustomerMissing:
        raise Unprocessable(
            "no customer with this customer_id: sign them up first", "customer_id"
        ) from None
    except AlreadyExists:
        stored = orders.get(order.order_id)
        if stored is None or stored.get("order_digest") != digest:
            raise Conflict("order_id already exists with different content", "order_id") from None
        return PlaceResult(stored, created=False)
    return PlaceResult(stored, created=True)


def change_status(order_id: str, payload: Any, orders: Any, clock: Any) -> dict[str, Any]:
    """Move an order's status forward (409 for a move the order cannot make)."""
    body = v.require_object(payload)
    v.reject_unknown(body, ("status",))
    if "status" not in body:
        raise v.InvalidInput("status is required", "status")
    for _ in range(3):
        stored = orders.get(order_id)
        if stored is None:
            raise NotFound("no order with this id", "order_id")
        current = stored["status"]
        new = transition(current, body["status"])
        if new == current:
            return stored
        try:
            return orders.set_status(order_id, current, new, iso(clock.now()))
        except StaleWrite:
            continue
    raise Conflict("the order changed meanwhile; read it and try again", "status")


def order_view(item: dict[str, Any]) -> dict[str, Any]:
    """The order as the API shows it."""
    keep = (
        *PAYLOAD_FIELDS,
        "status",
        "status_history",
        "created_at",
        "updated_at",
    )
    return {key: item[key] for key in keep if key in item}
