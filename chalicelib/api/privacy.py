"""Privacy routes: export and erasure of one customer.

Admins (admin key, admin role only) export and erase by id; a customer reaches their
own export and confirms their own erasure through the signed links the preference
centre mails them (``/v1/privacy/...?t=``).
"""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import bootstrap
from chalicelib.api.auth import admin_key
from chalicelib.api.context import correlation_id, header, query, wants_html
from chalicelib.domain.exceptions import NotFound
from chalicelib.http.bodies import FORM, no_fields
from chalicelib.http.pages import html_response
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger

privacy = Blueprint(__name__)


def _requested_by() -> str:
    """``admin:<key_id>`` (``admin:bootstrap`` for the deployment's key), for the audit."""
    context = privacy.current_request.context or {}
    principal = (context.get("authorizer") or {}).get("principalId")
    return f"admin:{principal or 'unknown'}"


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


def _customer_from_link(purpose: str) -> str:
    """The customer the ``t`` parameter was signed for (``export`` or ``erasure``), or 404."""
    deps = bootstrap.container()
    token = query(privacy.current_request, "t") or ""
    subject = deps.signer.verify(purpose, token, deps.clock.now())
    if not subject:
        raise NotFound("this link is not valid or has expired", "t")
    return subject


@route(privacy, "/v1/privacy/export", ["GET"])
def own_export() -> object:
    """The customer's own export, from the link the data-export letter carries."""
    from chalicelib.services.export import export_customer

    customer_id = _customer_from_link("export")
    document = export_customer(customer_id, bootstrap.container().export)
    disposition = f'attachment; filename="{customer_id}-data.json"'
    return json_response(document, headers={"Content-Disposition": disposition})


def _erasure_page(customer_id: str, erased: bool) -> Response:
    """The confirmation page (before) or the farewell (after), in the reader's language."""
    from chalicelib.pages.render import page
    from chalicelib.pages.texts import preference_texts

    deps = bootstrap.container()
    profile = deps.customers.get(customer_id)
    if profile is None and not erased:
        raise NotFound("no customer with this id", "customer_id")
    lang = profile.locale if profile else "en"
    texts = preference_texts(lang)
    token = query(privacy.current_request, "t")
    context = {
        "lang": lang,
        "title": texts["erased_title" if erased else "confirm_title"],
        "body": texts["erased_body" if erased else "confirm_intro"],
        "button": texts["confirm_button"],
        "action": None if erased else f"/v1/privacy/erasure?t={token}",
    }
    return html_response(page("erasure", context))


@route(privacy, "/v1/privacy/erasure", ["GET"])
def confirm_erasure_page() -> object:
    """What the erasure does, and the button that confirms it (a GET never erases)."""
    customer_id = _customer_from_link("erasure")
    if wants_html(privacy.current_request):
        return _erasure_page(customer_id, erased=False)
    if bootstrap.container().customers.get(customer_id) is None:
        raise NotFound("no customer with this id", "customer_id")
    return json_response({"customer_id": customer_id, "confirm": "POST this link"})


@route(privacy, "/v1/privacy/erasure", ["POST"], content_types=(FORM, "application/json"))
def confirm_erasure() -> object:
    """The customer confirms: erase (idempotent; ``requested_by`` is ``customer``)."""
    from chalicelib.services.erasure import erase_customer

    customer_id = _customer_from_link("erasure")
    request = privacy.current_request
    no_fields(request.raw_body, header(request, "content-type"))
    audit = erase_customer(
        customer_id, "customer", correlation_id(request), bootstrap.container().erasure
    )
    logger.info("customer erased", extra={"customer_id": customer_id})
    if wants_html(request):
        return _erasure_page(customer_id, erased=True)
    return json_response(audit)
