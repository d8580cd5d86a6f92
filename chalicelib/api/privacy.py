"""Privacy routes: export and erasure of one customer (admin key, admin role only)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import admin_key
from chalicelib.api.context import correlation_id
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger

privacy = Blueprint(__name__)


def _requested_by() -> str:
    """The admin key's principal (its id or name), for the audit record."""
    context = privacy.current_request.context or {}
    principal = (context.get("authorizer") or {}).get("principalId")
    return f"admin:{principal}" if principal else "admin"


@route(privacy, "/v1/admin/customers/{customer_id}/export", ["GET"], authorizer=admin_key)
def export_customer_data(customer_id: str) -> object:
    """Everything held about the customer, as one JSON document."""
    from chalicelib.services.export import export_customer

    document = export_customer(customer_id, bootstrap.container().export)
    logger.info("customer data exported", extra={"customer_id": customer_id})
    return json_response(document)


@route(privacy, "/v1/admin/customers/{customer_id}", ["DELETE"], authorizer=admin_key)
def erase_customer_data(customer_id: str) -> object:
    """Erase the customer's personal data (idempotent); answers the audit record."""
    from chalicelib.services.erasure import erase_customer

    request = privacy.current_request
    audit = erase_customer(
        customer_id, _requested_by(), correlation_id(request), bootstrap.container().erasure
    )
    logger.info("customer erased", extra={"customer_id": customer_id})
    return json_response(audit)
