"""Admin insight routes (admin key): the fitted models, segment counts and member lists.

Counts and lists come from the customers table's ``segment-clv`` and ``loyalty`` indexes
(Query only, never a Scan); the models are the settings documents the nightly
``customer-value`` job stores. Nothing here imports numpy or scipy.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import admin_key
from chalicelib.api.context import page_of
from chalicelib.domain import validation
from chalicelib.domain.customer_value import SEGMENT_IDS, SEGMENT_NAMES
from chalicelib.domain.exceptions import NotFound
from chalicelib.domain.loyalty import LOYALTY_CLASSES
from chalicelib.http.routing import json_response, route
from chalicelib.services.ports import CLV_DOCUMENT, RFM_DOCUMENT

insights = Blueprint(__name__)

_RUN_THE_JOB = "the customer-value job stores it (POST /v1/admin/jobs/customer-value)"
_LISTED = ("customer_id", "loyalty", "rfm", "clv", "stats", "tier", "points")


def _page(fetch: Any) -> dict[str, Any]:
    return page_of(insights.current_request, fetch, _member)


def _member(item: dict[str, Any]) -> dict[str, Any]:
    """A listed customer: value fields only, no contact details."""
    view = {key: item.get(key) for key in _LISTED}
    view["segment"] = item.get("segment_key")
    return view


@route(insights, "/v1/admin/models/clv", ["GET"], authorizer=admin_key)
def clv_model() -> object:
    """The fitted BG/NBD and Gamma-Gamma parameters, time unit, fit date and likelihood."""
    from chalicelib.domain.clv_params import ClvParameters

    stored = bootstrap.container().settings.document(CLV_DOCUMENT)
    if not stored:
        raise NotFound(f"no CLV model has been fitted yet; {_RUN_THE_JOB}")
    return json_response(ClvParameters.from_dict(stored).to_dict())


@route(insights, "/v1/admin/models/rfm", ["GET"], authorizer=admin_key)
def rfm_model() -> object:
    """The RFM quintile boundaries (cut points of recency days, orders and spend)."""
    stored = bootstrap.container().settings.document(RFM_DOCUMENT)
    if not stored:
        raise NotFound(f"no RFM boundaries have been computed yet; {_RUN_THE_JOB}")
    return json_response(stored)


@route(insights, "/v1/admin/segments", ["GET"], authorizer=admin_key)
def segment_counts() -> object:
    """Customers per RFM segment, star tier and loyalty class (counters: a few item reads).

    The counters move with every profile change the customers stream sees (signup,
    orders, refunds, nightly rescoring, erasure), each change counted once.
    """
    from chalicelib.domain.profile_changes import counts_view

    totals = bootstrap.container().profile_changes.counts.totals()
    view = counts_view(totals, SEGMENT_IDS, LOYALTY_CLASSES)
    per_segment = view.pop("segment_customers")
    segments = [
        {"segment": s, "name": SEGMENT_NAMES[s], "customers": per_segment[s]} for s in SEGMENT_IDS
    ]
    return json_response({"segments": segments, **view})


@route(insights, "/v1/admin/segments/{segment}/customers", ["GET"], authorizer=admin_key)
def segment_customers(segment: str) -> object:
    """A segment's customers, highest predicted 365-day value first, paginated."""
    segment = validation.choice(segment, SEGMENT_IDS, "segment")
    store = bootstrap.container().customer_value_store
    return json_response(_page(lambda limit, cursor: store.by_segment(segment, limit, cursor)))


@route(insights, "/v1/admin/loyalty/{loyalty}/customers", ["GET"], authorizer=admin_key)
def loyalty_customers(loyalty: str) -> object:
    """A loyalty class's customers, by customer id, paginated."""
    loyalty = validation.choice(loyalty, LOYALTY_CLASSES, "loyalty")
    store = bootstrap.container().customer_value_store
    return json_response(_page(lambda limit, cursor: store.by_loyalty(loyalty, limit, cursor)))
