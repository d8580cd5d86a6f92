"""Routes the store's website calls (store key required)."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import store_key
from chalicelib.api.context import correlation_id
from chalicelib.domain.profile import summary
from chalicelib.http.bodies import json_body
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger, metrics
from chalicelib.services.profiles import correct_profile, get_profile
from chalicelib.services.signup import sign_up

store = Blueprint(__name__)


@route(store, "/v1/signups", ["POST"], authorizer=store_key)
def signups() -> object:
    """Create a customer profile (201), replay (200) or conflict (409)."""
    request = store.current_request
    deps = bootstrap.container()
    result = sign_up(
        json_body(request.raw_body), deps.customers, deps.clock, correlation_id(request)
    )
    if result.created:
        metrics.add_metric(name="Signups", unit=MetricUnit.Count, value=1)
        logger.info("customer signed up", extra={"customer_id": result.profile.customer_id})
    body = summary(result.profile, deps.clock.now().date())
    return json_response(body, 201 if result.created else 200)


@route(store, "/v1/customers/{customer_id}", ["GET"], authorizer=store_key)
def read_customer(customer_id: str) -> object:
    """The store-facing profile."""
    from chalicelib.services.recommending import recommend_for

    deps = bootstrap.container()
    profile = get_profile(customer_id, deps.customers)
    viewed = deps.activity.viewed(customer_id)
    suggestions = recommend_for(
        profile.purchased, deps.settings.customer_value(), deps.settings, viewed=viewed
    )
    return json_response(summary(profile, deps.clock.now().date(), suggestions))


@route(store, "/v1/customers/{customer_id}", ["PATCH"], authorizer=store_key)
def patch_customer(customer_id: str) -> object:
    """Correct profile fields; every change is versioned."""
    request = store.current_request
    deps = bootstrap.container()
    profile = correct_profile(
        customer_id,
        json_body(request.raw_body),
        deps.customers,
        deps.clock,
        source="store",
        correlation_id=correlation_id(request),
    )
    logger.info("profile corrected", extra={"customer_id": customer_id, "version": profile.version})
    return json_response(summary(profile, deps.clock.now().date()))
