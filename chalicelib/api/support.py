"""Support inbox routes: the store posts questions, admins list, read and answer them."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import admin_key, store_key
from chalicelib.api.context import correlation_id, page_of, query
from chalicelib.domain import validation
from chalicelib.http.bodies import json_body
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger
from chalicelib.services import support as service

support = Blueprint(__name__)


def _answered_by() -> str:
    """Who answers: the admin key's principal (the authorizer's ``principalId``)."""
    context: dict[str, Any] = support.current_request.context or {}
    authorizer = context.get("authorizer") or {}
    return str(authorizer.get("principalId") or "admin")


@route(support, "/v1/support-messages", ["POST"], authorizer=store_key)
def support_messages() -> object:
    """A customer's question (201 new ticket or follow-up, 200 replay, 409 conflict)."""
    request = support.current_request
    deps = bootstrap.container().support_deps
    outcome = service.take_message(json_body(request.raw_body), deps, correlation_id(request))
    if outcome.created:
        logger.info("support message taken", extra={"ticket_id": outcome.view["ticket_id"]})
    return json_response(outcome.view, 201 if outcome.created else 200)


@route(support, "/v1/admin/support-messages", ["GET"], authorizer=admin_key)
def list_support_tickets() -> object:
    """Tickets by ``?status=open|answered|closed|overdue``, oldest first, paginated."""
    request = support.current_request
    deps = bootstrap.container().support_deps
    status = query(request, "status") or "open"
    fetch = lambda limit, cursor: service.list_tickets(status, limit, cursor, deps)  # noqa: E731
    return json_response(page_of(request, fetch))


@route(support, "/v1/admin/support-messages/{ticket_id}", ["GET"], authorizer=admin_key)
def read_support_ticket(ticket_id: str) -> object:
    """The ticket, its thread and the customer's summary."""
    return json_response(service.ticket_detail(ticket_id, bootstrap.container().support_deps))


@route(support, "/v1/admin/support-messages/{ticket_id}/replies", ["POST"], authorizer=admin_key)
def reply_to_ticket(ticket_id: str) -> object:
    """A person's answer, sent by mail (201, 200 replay, 404, 409)."""
    request = support.current_request
    deps = bootstrap.container().support_deps
    outcome = service.answer(
        ticket_id, json_body(request.raw_body), _answered_by(), deps, correlation_id(request)
    )
    if outcome.created:
        logger.info("support reply recorded", extra={"ticket_id": ticket_id})
    return json_response(outcome.view, 201 if outcome.created else 200)


@route(support, "/v1/admin/support-metrics", ["GET"], authorizer=admin_key)
def support_metrics() -> object:
    """Figures for ``?from=YYYY-MM-DD&to=YYYY-MM-DD`` (days in support's time zone)."""
    request = support.current_request
    start = validation.day(query(request, "from"), "from")
    end = validation.day(query(request, "to"), "to")
    deps = bootstrap.container().support_deps
    return json_response(service.support_metrics(start, end, deps))
