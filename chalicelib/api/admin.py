"""Admin routes (admin key required): customer 360, lookups, message log, settings, jobs."""

from __future__ import annotations

import json
from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import admin_key
from chalicelib.api.context import page_of, query
from chalicelib.domain import messages, validation
from chalicelib.domain.profile import summary
from chalicelib.domain.settings import parse_store_settings
from chalicelib.http.bodies import json_body
from chalicelib.http.routing import json_response, route
from chalicelib.services.orders import order_view
from chalicelib.services.profiles import get_profile
from chalicelib.services.support import customer_tickets

admin = Blueprint(__name__)

IN_VIEW = 50
"""Timeline entries and messages the customer 360 shows (the rest through their lists)."""
IN_VIEW_ORDERS = 20
"""Orders and parcels the customer 360 shows."""


def _query(name: str) -> str | None:
    return query(admin.current_request, name)


@route(admin, "/v1/admin/customers", ["GET"], authorizer=admin_key)
def lookup_customer() -> object:
    """Find a customer by email (``?email=``), or list customers by one key: ``reachable``,
    ``tier``, ``loyalty``, ``segment``, ``top``, ``signed_up_from``/``_to`` or ``q``
    (paginated): there is no list of everyone."""
    from chalicelib.api.customer_lists import customers_answer

    return json_response(customers_answer(admin.current_request))


@route(admin, "/v1/admin/customers/{customer_id}", ["GET"], authorizer=admin_key)
def customer_360(customer_id: str) -> object:
    """Profile and the newest page of each of its lists (timeline, messages, orders,
    parcels, tickets), each with the cursor of the rest: bounded, however long the history."""
    deps = bootstrap.container()
    profile = get_profile(customer_id, deps.customers)
    timeline, more = deps.customers.timeline(customer_id, IN_VIEW, None)
    records = deps.customer_records
    sent, more_sent = records.messages(customer_id, IN_VIEW, None)
    orders, more_orders = records.orders(customer_id, IN_VIEW_ORDERS, None)
    parcels, more_parcels = records.parcels(customer_id, IN_VIEW_ORDERS, None)
    tickets = customer_tickets(customer_id, deps.support_deps)
    return json_response(
        {
            "profile": summary(profile, deps.clock.now().date()),
            "timeline": [_timeline_view(entry) for entry in timeline],
            "timeline_next_cursor": more,
            "messages": [_message_view(item) for item in sent],
            "messages_next_cursor": more_sent,
            "orders": [order_view(item) for item in orders],
            "orders_next_cursor": more_orders,
            "shipments": [_parcel_view(item) for item in parcels],
            "shipments_next_cursor": more_parcels,
            "support_tickets": tickets,
        }
    )


def _customer_page(customer_id: str, fetch: Any, view: Any) -> object:
    """A page of one of an existing customer's lists (404 for an unknown customer).

    The paging input is checked first: a bad ``limit`` or ``cursor`` is a 400 whoever
    the customer is."""
    deps = bootstrap.container()
    pager = lambda limit, cursor: fetch(customer_id, limit, cursor)  # noqa: E731
    page = page_of(admin.current_request, pager, view)
    get_profile(customer_id, deps.customers)
    return json_response(page)


def _parcel_view(item: dict[str, Any]) -> dict[str, Any]:
    from chalicelib.services.shipments import parcel_view

    return parcel_view(item, bootstrap.container().shipment_deps)


@route(admin, "/v1/admin/customers/{customer_id}/orders", ["GET"], authorizer=admin_key)
def customer_orders(customer_id: str) -> object:
    """One customer's orders, latest ``placed_at`` first, paginated."""
    records = bootstrap.container().customer_records
    return _customer_page(customer_id, records.orders, order_view)


@route(admin, "/v1/admin/customers/{customer_id}/shipments", ["GET"], authorizer=admin_key)
def customer_shipments(customer_id: str) -> object:
    """One customer's parcels, latest registered first, paginated."""
    records = bootstrap.container().customer_records
    return _customer_page(customer_id, records.parcels, _parcel_view)


@route(admin, "/v1/admin/customers/{customer_id}/timeline", ["GET"], authorizer=admin_key)
def customer_timeline(customer_id: str) -> object:
    """One customer's timeline, newest first, paginated (``?limit=``, ``?cursor=``)."""
    deps = bootstrap.container()
    get_profile(customer_id, deps.customers)
    fetch = lambda limit, cursor: deps.customers.timeline(customer_id, limit, cursor)  # noqa: E731
    return json_response(page_of(admin.current_request, fetch, _timeline_view))


def _timeline_view(entry: dict[str, Any]) -> dict[str, Any]:
    """A timeline entry with its ``changes`` as JSON, not text."""
    if isinstance(entry.get("changes"), str):
        return {**entry, "changes": json.loads(entry["changes"])}
    return entry


def _message_view(item: dict[str, Any]) -> dict[str, Any]:
    """A message as the log shows it: no recipient address or template data."""
    keep = (
        "customer_id",
        "message_key",
        "template",
        "purpose",
        "status",
        "created_at",
        "updated_at",
        "sent_at",
        "attempts",
        "reason",
        "not_before",
        "provider_message_id",
        "feedback",
        "feedback_at",
    )
    return {key: item.get(key) for key in keep if key in item}


@route(admin, "/v1/admin/messages", ["GET"], authorizer=admin_key)
def message_log() -> object:
    """Messages by status (``?status=sent|queued|...``), oldest first, paginated."""
    status = validation.choice(_query("status") or messages.SENT, messages.STATUSES, "status")
    deps = bootstrap.container()
    fetch = lambda limit, cursor: deps.outbox.by_status(status, limit, cursor)  # noqa: E731
    return json_response(page_of(admin.current_request, fetch, _message_view))


@route(admin, "/v1/admin/customers/{customer_id}/messages", ["GET"], authorizer=admin_key)
def customer_messages(customer_id: str) -> object:
    """One customer's message log, latest ``created_at`` first, paginated."""
    records = bootstrap.container().customer_records
    return _customer_page(customer_id, records.messages, _message_view)


@route(admin, "/v1/admin/settings/store", ["GET"], authorizer=admin_key)
def read_store_settings() -> object:
    """The store settings mail and pages use (defaults where not set)."""
    return json_response(bootstrap.container().settings.store().to_dict())


@route(admin, "/v1/admin/settings/store", ["PUT"], authorizer=admin_key)
def write_store_settings() -> object:
    """Override store settings (partial: fields not sent keep their value)."""
    deps = bootstrap.container()
    updated = parse_store_settings(json_body(admin.current_request.raw_body), deps.settings.store())
    deps.settings.save_store(updated)
    return json_response(updated.to_dict())


@route(admin, "/v1/admin/jobs/{name}", ["POST"], authorizer=admin_key)
def run_admin_job(name: str) -> object:
    """Queue a run of a job (202); optional body ``{"as_of": "<ISO 8601 date-time with
    offset>"}`` (or ``YYYY-MM-DD``, the start of that day in UTC) for backfills.

    The job's own function runs it, with its own timeout; the answer's ``Location`` is
    where to follow it.
    """
    from chalicelib.services.job_runs import request_run

    raw = admin.current_request.raw_body
    deps = bootstrap.container()
    as_of = None
    if raw and raw.strip():
        body = validation.require_object(json_body(raw))
        validation.reject_unknown(body, ("as_of",))
        if body.get("as_of") is not None:
            bounds = deps.settings.store().time_bounds(deps.clock.now())
            moment = validation.moment_or_day(body["as_of"], "as_of")
            as_of = bounds.horizon_moment(moment, "as_of")
    run = request_run(name, as_of, deps.job_runs)
    location = f"/v1/admin/jobs/{name}/runs/{run.run_id}"
    return json_response({**run.to_dict(), "url": location}, 202, {"Location": location})


@route(admin, "/v1/admin/jobs/{name}/runs/{run_id}", ["GET"], authorizer=admin_key)
def read_job_run(name: str, run_id: str) -> object:
    """A requested run: queued, running, succeeded (with the job's result) or failed."""
    from chalicelib.services.job_runs import get_run

    deps = bootstrap.container().job_runs
    run = get_run(name, run_id, deps.runs).as_seen(deps.clock.now())
    return json_response({**run.to_dict(), "url": f"/v1/admin/jobs/{name}/runs/{run_id}"})


@route(admin, "/v1/admin/jobs/{name}/runs", ["GET"], authorizer=admin_key)
def list_job_runs(name: str) -> object:
    """The job's requested runs, latest first, paginated, each as its run page shows it."""
    from chalicelib.services.job_runs import recent_runs

    deps = bootstrap.container().job_runs
    now = deps.clock.now()

    def view(run: Any) -> dict[str, Any]:
        return {**run.as_seen(now).to_dict(), "url": f"/v1/admin/jobs/{name}/runs/{run.run_id}"}

    fetch = lambda limit, cursor: recent_runs(name, limit, cursor, deps.runs)  # noqa: E731
    return json_response(page_of(admin.current_request, fetch, view))


@route(admin, "/v1/admin/settings/customer-value", ["GET"], authorizer=admin_key)
def read_value_settings() -> object:
    """Tier thresholds, points, loyalty thresholds, recommendation rules."""
    return json_response(bootstrap.container().settings.customer_value().to_dict())


@route(admin, "/v1/admin/settings/customer-value", ["PUT"], authorizer=admin_key)
def write_value_settings() -> object:
    """Override parts of the customer-value settings (parts not sent keep their value)."""
    from chalicelib.domain.value_settings import parse_value_settings

    deps = bootstrap.container()
    updated = parse_value_settings(
        json_body(admin.current_request.raw_body), deps.settings.customer_value()
    )
    deps.settings.save_customer_value(updated)
    return json_response(updated.to_dict())
