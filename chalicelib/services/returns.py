"""Returns and exchanges requested by the store for a delivered order.

The route writes one fact, the return item ``(order_id, "return#<return_id>")`` in the
orders table; the orders stream handler reverses aggregates and points,
counts ``stats.returns``, adds the return to the timeline and queues the
``return_ack`` mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain.exceptions import Conflict, NotFound, Unprocessable
from chalicelib.domain.orders import CANCELLED, REFUNDED
from chalicelib.domain.returns import (
    REQUESTED,
    check_window,
    parse_return,
    priced_lines,
    refund_amount,
    returned_quantities,
    window_days,
)
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import AlreadyExists
from chalicelib.services.shipments import ShipmentDeps, stored_state

PUBLIC_FIELDS = (
    "return_id",
    "order_id",
    "customer_id",
    "kind",
    "lines",
    "refund_amount",
    "currency",
    "reason",
    "status",
    "created_at",
)


@dataclass(frozen=True)
class ReturnOutcome:
    """The stored return and whether it was created now."""

    item: dict[str, Any]
    created: bool


def view(item: dict[str, Any]) -> dict[str, Any]:
    """The return as the API shows it."""
    return {field: item.get(field) for field in PUBLIC_FIELDS}


def _replay(request_digest: str, stored: dict[str, Any]) -> ReturnOutcome:
    if stored.get("request_digest") == request_digest:
        return ReturnOutcome(stored, False)
    raise Conflict("return_id already exists with a different request", "return_id")


def request_return(payload: Any, deps: ShipmentDeps, correlation_id: str | None) -> ReturnOutcome:
    """Validate and record a return: 201 new, 200 identical replay, 404, 409 or 422."""
    request = parse_return(payload)
    digest = request.digest()
    stored = deps.returns.get(request.order_id, request.return_id)
    if stored is not None:
        return _replay(digest, stored)
    order = deps.shipments.order(request.order_id)
    if order is None:
        raise NotFound("no order with this id", "order_id")
    if order.get("status") in (CANCELLED, REFUNDED):
        raise Unprocessable(
            f"this order is {order['status']}: there is nothing left to return", "order_id"
        )
    now = deps.clock.now()
    parcels = deps.shipments.parcels_for_order(request.order_id)
    check_window(
        (stored_state(parcel).delivered_at for parcel in parcels),
        now,
        window_days(deps.settings.store()),
    )
    already = returned_quantities(deps.returns.for_order(request.order_id), request.return_id)
    lines = priced_lines(request, order.get("lines") or (), already)
    item = {
        "order_id": request.order_id,
        "return_id": request.return_id,
        "customer_id": order.get("customer_id"),
        "kind": request.kind,
        "lines": lines,
        "refund_amount": refund_amount(request.kind, lines),
        "currency": order.get("currency"),
        "reason": request.reason,
        "status": REQUESTED,
        "created_at": iso(now),
        "request_digest": digest,
        "correlation_id": correlation_id,
    }
    try:
        deps.returns.create(item)
    except AlreadyExists:
        again = deps.returns.get(request.order_id, request.return_id)
        assert again is not None
        return _replay(digest, again)
    return ReturnOutcome(item, True)
