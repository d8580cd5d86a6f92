"""Order routes (store key): orders, status changes, points, recommendations."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import store_key
from chalicelib.api.context import correlation_id
from chalicelib.domain.exceptions import NotFound
from chalicelib.http.bodies import json_body
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger, metrics
from chalicelib.services.orders import change_status, order_view, place_order

orders = Blueprint(__name__)


@route(orders, "/v1/orders", ["POST"], authorizer=store_key)
def create_order() -> object:
    """Record a placed order: 201, 200 for an identical replay, 409, 422."""
    from aws_lambda_powertools.metrics import MetricUnit

    request = orders.current_request
    deps = bootstrap.container()
    result = place_order(
        json_body(request.raw_body),
        deps.orders,
        deps.clock,
        deps.settings,
        correlation_id(request),
    )
    if result.created:
        metrics.add_metric(name="Orders", unit=MetricUnit.Count, value=1)
        logger.info("order placed", extra={"order_id": result.order.get("order_id")})
    return json_response(order_view(result.order), 201 if result.created else 200)


@route(orders, "/v1/orders/{order_id}", ["GET"], authorizer=store_key)
def read_order(order_id: str) -> object:
    """One order with its status history."""
    item = bootstrap.container().orders.get(order_id)
    if item is None:
        raise NotFound("no order with this id", "order_id")
    return json_response(order_view(item))


@route(orders, "/v1/orders/{order_id}", ["PATCH"], authorizer=store_key)
def patch_order(order_id: str) -> object:
    """Move the status: placed → paid → fulfilled; cancelled; refunded (409 otherwise)."""
    deps = bootstrap.container()
    item = change_status(
        order_id, json_body(orders.current_request.raw_body), deps.orders, deps.clock
    )
    logger.info("order status", extra={"order_id": order_id, "status": item.get("status")})
    return json_response(order_view(item))


@route(orders, "/v1/customers/{customer_id}/points/redemptions", ["POST"], authorizer=store_key)
def redeem(customer_id: str) -> object:
    """Redeem points; idempotent on ``redemption_id``; never below zero (409)."""
    from chalicelib.services.points import redeem_points

    deps = bootstrap.container()
    record, created = redeem_points(
        customer_id, json_body(orders.current_request.raw_body), deps.values, deps.clock
    )
    return json_response(record, 201 if created else 200)


@route(orders, "/v1/customers/{customer_id}/recommendations", ["GET"], authorizer=store_key)
def recommendations(customer_id: str) -> object:
    """Suggestions for the store's personalized home page."""
    from chalicelib.services.recommending import recommend_for

    deps = bootstrap.container()
    value = deps.values.load(customer_id)
    if value is None:
        raise NotFound("no customer with this id", "customer_id")
    viewed = deps.activity.viewed(customer_id)
    items = recommend_for(
        value.state.purchased, deps.settings.customer_value(), deps.settings, viewed=viewed
    )
    return json_response({"customer_id": customer_id, "recommendations": items})
