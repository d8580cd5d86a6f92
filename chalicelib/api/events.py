"""Shop activity route (store key): cart changes, checkouts and product views."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import store_key
from chalicelib.http.bodies import json_body
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger
from chalicelib.services.activity import event_view, record_event

events = Blueprint(__name__)


@route(events, "/v1/events", ["POST"], authorizer=store_key)
def post_event() -> object:
    """Record an event: 201, 200 for an identical replay, 409, 422 for an unknown customer."""
    deps = bootstrap.container()
    result = record_event(
        json_body(events.current_request.raw_body), deps.activity, deps.clock, deps.settings
    )
    if result.created:
        logger.info("event recorded", extra={"event_type": result.event.get("type")})
    return json_response(event_view(result.event), 201 if result.created else 200)
