"""Review routes (store key): a review of a received order, a coupon's redemption."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import store_key
from chalicelib.http.bodies import json_body
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger, metrics

reviews = Blueprint(__name__)


@route(reviews, "/v1/reviews", ["POST"], authorizer=store_key)
def post_review() -> object:
    """A review of an order the customer received: 201, 200 replay, 404, 409, 422."""
    from chalicelib.services.reviews import post_review as post
    from chalicelib.services.reviews import view

    outcome = post(json_body(reviews.current_request.raw_body), bootstrap.container().reviews)
    if outcome.created:
        metrics.add_metric(name="Reviews", unit=MetricUnit.Count, value=1)
        logger.info("review posted", extra={"order_id": outcome.item["order_id"]})
    return json_response(view(outcome.item), 201 if outcome.created else 200)


@route(reviews, "/v1/coupons/{code}/redemptions", ["POST"], authorizer=store_key)
def redeem_coupon(code: str) -> object:
    """Redeem a review coupon for an order of its customer: 200 once, then 409."""
    from chalicelib.services.reviews import redeem_coupon as redeem

    result = redeem(
        code, json_body(reviews.current_request.raw_body), bootstrap.container().reviews
    )
    metrics.add_metric(name="CouponsRedeemed", unit=MetricUnit.Count, value=1)
    logger.info("coupon redeemed", extra={"order_id": result["order_id"]})
    return json_response(result)
