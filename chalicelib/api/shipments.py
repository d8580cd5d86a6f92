"""Shipment routes: parcels, carrier webhooks, public tracking, surveys, returns."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from chalice import Blueprint, Response

from chalicelib import bootstrap
from chalicelib.api.auth import store_key
from chalicelib.api.carrier_signature import SIGNATURE_HEADER, verify
from chalicelib.api.context import body_bytes, correlation_id, header, query, wants_html
from chalicelib.domain.exceptions import DomainError, NotFound
from chalicelib.http.bodies import FORM, form_body, json_body
from chalicelib.http.pages import html_response
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger, metrics
from chalicelib.services.carrier_events import accept_events
from chalicelib.services.returns import request_return, view
from chalicelib.services.shipments import (
    TRACK_PURPOSE,
    parcel_view,
    public_tracking,
    register_shipment,
)
from chalicelib.services.surveys import (
    answer_survey,
    parcel_for_token,
    record_answer,
    survey_status,
)

shipments = Blueprint(__name__)


def _token() -> str:
    return query(shipments.current_request, "t") or ""


@route(shipments, "/v1/shipments", ["POST"], authorizer=store_key)
def register() -> object:
    """Register a parcel for an order (201), replay (200), unknown order (404), 409."""
    request = shipments.current_request
    deps = bootstrap.container().shipment_deps
    result = register_shipment(json_body(request.raw_body), deps, correlation_id(request))
    if result.created:
        metrics.add_metric(name="ShipmentsRegistered", unit=MetricUnit.Count, value=1)
        logger.info(
            "shipment registered",
            extra={
                "tracking_number": result.parcel["tracking_number"],
                "order_id": result.parcel["order_id"],
            },
        )
    return json_response(parcel_view(result.parcel, deps), 201 if result.created else 200)


@route(shipments, "/v1/carrier-events", ["POST"])
def carrier_events() -> object:
    """Carrier webhook, authenticated by ``X-Rapport-Signature`` (time and raw body)."""
    request = shipments.current_request
    deps = bootstrap.container().shipment_deps
    raw = body_bytes(request)
    verify(deps.carrier_secret(), raw, header(request, SIGNATURE_HEADER) or None, deps.clock.now())
    accepted = accept_events(json_body(raw), deps)
    metrics.add_metric(name="ScansStored", unit=MetricUnit.Count, value=accepted.stored)
    logger.info(
        "carrier events", extra={"stored": accepted.stored, "duplicates": accepted.duplicates}
    )
    return json_response({"stored": accepted.stored, "duplicates": accepted.duplicates})


def _page_language(profile: Any) -> str:
    if profile is not None and profile.locale in ("zh-CN", "en"):
        return str(profile.locale)
    accept = header(shipments.current_request, "accept-language")
    first = accept.split(",")[0].strip().lower()
    return "zh-CN" if first.startswith("zh") else "en"


@route(shipments, "/v1/track/{tracking_number}", ["GET"])
def track(tracking_number: str) -> object:
    """Public tracking (signed link): JSON, or the HTML page for a browser."""
    deps = bootstrap.container().shipment_deps
    subject = deps.signer.verify(TRACK_PURPOSE, _token(), deps.clock.now())
    parcel = deps.shipments.parcel(tracking_number) if subject == tracking_number else None
    if parcel is None:
        raise NotFound("this link is not valid or has expired", "t")
    data = public_tracking(parcel)
    if not wants_html(shipments.current_request):
        return json_response(data, headers={"Cache-Control": "no-store"})
    from chalicelib.pages.tracking_page import tracking_html  # Jinja2 only for pages

    customer_id = parcel.get("customer_id")
    profile = deps.customers.get(customer_id) if customer_id else None
    html = tracking_html(
        data,
        _page_language(profile),
        profile.time_zone if profile is not None else "UTC",
        deps.settings.store(),
        deps.clock.now(),
    )
    return html_response(html)


def _survey_page(status: dict[str, Any], saved: bool, error: str | None = None) -> Response:
    from chalicelib.pages.survey_page import survey_html

    deps = bootstrap.container().shipment_deps
    profile = deps.customers.get(status["customer_id"])
    html = survey_html(
        status, _page_language(profile), deps.settings.store(), f"?t={_token()}", saved, error
    )
    return html_response(html)


@route(shipments, "/v1/surveys", ["GET"])
def survey() -> object:
    """The satisfaction survey behind the delivery mail's link (HTML or JSON)."""
    deps = bootstrap.container().shipment_deps
    status = survey_status(_token(), deps)
    if not wants_html(shipments.current_request):
        return json_response({k: v for k, v in status.items() if k != "customer_id"})
    return _survey_page(status, saved=False)


@route(shipments, "/v1/surveys", ["POST"], content_types=("application/json", FORM))
def answer() -> object:
    """Answer the survey once: JSON ``{"score": 1..5, "comment"}`` or the page's form."""
    request = shipments.current_request
    deps = bootstrap.container().shipment_deps
    content_type = header(request, "content-type")
    if content_type.startswith(FORM):
        status = survey_status(_token(), deps)  # the link first: a bad one is 404 whatever the body
        form = form_body(request.raw_body)
        payload = {key: values[0] for key, values in form.items() if key in ("score", "comment")}
        try:
            answer_survey(_token(), payload, deps)
        except DomainError as error:
            if error.code == "conflict":
                return _survey_page({**status, "answered": True}, saved=False)
            return _survey_page(status, saved=False, error=error.message)
        metrics.add_metric(name="SurveysAnswered", unit=MetricUnit.Count, value=1)
        return _survey_page({**status, "answered": True}, saved=True)
    parcel = parcel_for_token(_token(), deps)  # the link first: a bad one is 404 whatever the body
    result = record_answer(parcel, json_body(request.raw_body), deps)
    metrics.add_metric(name="SurveysAnswered", unit=MetricUnit.Count, value=1)
    logger.info("survey answered", extra={"tracking_number": result["tracking_number"]})
    return json_response(result, 201)


@route(shipments, "/v1/returns", ["POST"], authorizer=store_key)
def returns() -> object:
    """Request a return or exchange (201), replay (200), 404, 409 or 422."""
    request = shipments.current_request
    deps = bootstrap.container().shipment_deps
    outcome = request_return(json_body(request.raw_body), deps, correlation_id(request))
    if outcome.created:
        metrics.add_metric(name="ReturnsRequested", unit=MetricUnit.Count, value=1)
        logger.info(
            "return requested",
            extra={"return_id": outcome.item["return_id"], "order_id": outcome.item["order_id"]},
        )
    return json_response(view(outcome.item), 201 if outcome.created else 200)
