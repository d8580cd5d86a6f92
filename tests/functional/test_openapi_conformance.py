"""schemathesis against ``docs/openapi.json``: no 5xx, no response the document omits.

Every operation is called with generated valid and invalid input, through the app's own
gateway (``local.wsgi``) on moto, with the store or admin key its security names. The
checks: no server error, status codes, content types, headers and bodies as documented,
invalid input refused, and a route refused without its key.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

import app as app_module
from chalicelib.domain.orders import MAX_MINOR_UNITS
from chalicelib.services.jobs import AS_OF_JOBS
from local.wsgi import wsgi_app
from tests.functional.conftest import Stack
from tests.functional.shipment_fixtures import signature

SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
MAX_TOTAL = MAX_MINOR_UNITS - 1
KEYS = {"storeKey": "Bearer dev-store-key", "adminKey": "Bearer dev-admin-key"}
EXAMPLES_PER_OPERATION = 25  # about a minute and a half for the 35 operations

schema = schemathesis.openapi.from_path(SPEC)
UNSIGNED = "sha256=" + "0" * 64
"""A valid-looking signature the carrier below replaces with the real one."""


def as_the_carrier(app: Any) -> Any:
    """Sign carrier webhooks the test marked, over the exact bytes sent, as a carrier does."""

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("HTTP_X_RAPPORT_SIGNATURE") == UNSIGNED:
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(raw)
            environ["HTTP_X_RAPPORT_SIGNATURE"] = signature(raw)
        return app(environ, start_response)

    return middleware


# Every call, probes included, goes to the app in process.
schema.app = as_the_carrier(wsgi_app(app_module.app))
# Valid input may meet a documented 422: an order for an unknown customer, a return of a
# parcel not yet shipped.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "422",
]
# Not checked: that every schema-violating request is refused. The API ignores query
# parameters it does not know, as HTTP APIs do, and the key the generator leaves out is
# put back by key_for; unknown body fields are refused (tests/functional/
# test_unknown_fields.py) and every refusal is checked here for its status and shape.
EXCLUDED_CHECKS = [schemathesis.checks.negative_data_rejection]
# The customer-value settings' inner rules (ascending thresholds, one multiplier per
# tier, ...) are documented in docs/customer-value.md, not as a schema: valid-looking
# parts are refused with 400 naming the field, so their acceptance is not checked.
NOT_SCHEMA_DESCRIBED = {("PUT", "/v1/admin/settings/customer-value")}


def key_for(case: Any) -> dict[str, str]:
    """The Authorization header the operation's security asks for (none for public routes)."""
    for requirement in case.operation.definition.raw.get("security", []):
        for name in requirement:
            return {"Authorization": KEYS[name]}
    return {}


def _soon() -> str:
    """A campaign's ``send_at`` inside its bounds (not past, at most 90 days ahead)."""
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) + timedelta(hours=1)).isoformat()


def apply_cross_field_rules(case: Any) -> None:
    """Make valid input obey the rules a JSON schema cannot state (documented in words).

    A webhook is valid only when signed with the carrier secret; a cursor only when the
    API gave it out; an order's total is the sum of its
    lines (and bounded like every amount); a customer cannot refer themselves; an
    exchange names the wanted variant; only the jobs of ``AS_OF_JOBS`` take ``as_of``; a
    support question's order is the customer's; support hours do not overlap; a range
    of days does not end before it starts; the customers lookup takes one selector; a
    campaign's ``send_at`` lies within 90 days from now; a Shopify import format holds its
    one kind.
    """
    if isinstance(case.query, dict):
        case.query.pop("cursor", None)
        metrics = ("/v1/admin/support-metrics", "/v1/admin/metrics")
        if case.operation.path in metrics and "from" in case.query:
            case.query["to"] = case.query["from"]  # not before from, at most 366 days
    if case.operation.path == "/v1/carrier-events" and isinstance(case.headers, dict):
        case.headers["X-Rapport-Signature"] = UNSIGNED  # signed by as_the_carrier
    if case.operation.path == "/v1/admin/customers":
        case.query = one_customer_selector(case.query if isinstance(case.query, dict) else {})
    body = case.body
    if not isinstance(body, dict):
        return
    path = case.operation.path
    if path == "/v1/orders" and isinstance(body.get("lines"), list):
        body["total"] = sum(line["quantity"] * line["unit_price"] for line in body["lines"])
        if body["total"] > MAX_TOTAL:
            for line in body["lines"]:
                line["unit_price"] = 0
            body["total"] = 0
    if path == "/v1/signups" and body.get("referred_by") == body.get("customer_id"):
        body.pop("referred_by")
    if path == "/v1/admin/jobs/{name}" and case.path_parameters.get("name") not in AS_OF_JOBS:
        body.pop("as_of", None)
    if path == "/v1/events":
        _shop_event_rules(body)
    if path == "/v1/support-messages":
        body.pop("order_id", None)  # an order of this customer (unknown: 400 on order_id)
    if path == "/v1/admin/settings/store" and "support_week" in body:
        body["support_week"] = {"mon": ["09:00-12:00", "13:00-18:00"]}  # ordered, not overlapping
    if path == "/v1/admin/campaigns" and "send_at" in body:
        body["send_at"] = _soon()
    shopify = {"customers": "shopify_customers_csv", "orders": "shopify_orders_csv"}
    shopify_format = str(body.get("format", "")).startswith("shopify")
    if path == "/v1/admin/imports" and shopify_format and body.get("kind") in shopify:
        body["format"] = shopify[body["kind"]]  # a Shopify export holds one kind
    if path == "/v1/returns" and body.get("kind") == "exchange":
        for line in body["lines"]:
            line["wanted_variant"] = line.get("wanted_variant") or "M"


def _shop_event_rules(body: dict[str, Any]) -> None:
    """A cart or a view has items (a view 1 to 20); only a view has seconds_viewed."""
    kind = body.get("type")
    if kind != "product_viewed":
        body.pop("seconds_viewed", None)
    if kind in ("cart_updated", "product_viewed") and not isinstance(body.get("items"), list):
        body["items"] = []
    if kind == "product_viewed":
        line = {"sku": "TEA-1", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 1}
        body["items"] = body["items"][:20] or [line]


CUSTOMER_SELECTORS = (
    ("email",),
    ("reachable",),
    ("tier",),
    ("loyalty",),
    ("segment",),
    ("top",),
    ("signed_up_from", "signed_up_to"),
    ("q",),
)


def one_customer_selector(query: dict[str, Any]) -> dict[str, Any]:
    """``GET /v1/admin/customers`` with exactly one selector (the first generated), its
    signup days in order; ``reachable=false`` when none was generated."""
    chosen = next((names for names in CUSTOMER_SELECTORS if set(names) & set(query)), None)
    if chosen is None:
        return {**query, "reachable": "false"}
    others = {name for names in CUSTOMER_SELECTORS if names != chosen for name in names}
    kept = {key: value for key, value in query.items() if key not in others}
    days = [kept.get(name) for name in chosen]
    if chosen[0] == "signed_up_from" and None not in days and days[1] < days[0]:
        kept["signed_up_from"], kept["signed_up_to"] = days[1], days[0]
    return kept


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_answers_as_its_document_says(case: Any, stack: Stack) -> None:
    if not case.meta.generation.mode.is_negative:
        apply_cross_field_rules(case)
    excluded = list(EXCLUDED_CHECKS)
    if (case.operation.method.upper(), case.operation.path) in NOT_SCHEMA_DESCRIBED:
        excluded.append(schemathesis.checks.positive_data_acceptance)
    response = case.call(headers=key_for(case))
    case.validate_response(response, headers=key_for(case), excluded_checks=excluded)
