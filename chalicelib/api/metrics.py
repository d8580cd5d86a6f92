"""``GET /v1/admin/metrics``: the store's figures from its daily counters (viewer role)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import admin_key
from chalicelib.api.context import query
from chalicelib.domain import validation
from chalicelib.domain.metrics_report import DAY, GRANULARITIES
from chalicelib.http.routing import json_response, route
from chalicelib.services.store_metrics import store_metrics

metrics = Blueprint(__name__)


@route(metrics, "/v1/admin/metrics", ["GET"], authorizer=admin_key)
def store_metrics_route() -> object:
    """Figures for ``?from=YYYY-MM-DD&to=YYYY-MM-DD&granularity=day|week|month``."""
    request = metrics.current_request
    start = validation.day(query(request, "from"), "from")
    end = validation.day(query(request, "to"), "to")
    granularity = validation.choice(
        query(request, "granularity") or DAY, GRANULARITIES, "granularity"
    )
    report = store_metrics(start, end, granularity, bootstrap.container().metrics)
    return json_response(report)
