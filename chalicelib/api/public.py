"""Public routes reached through signed links (no key): the preference centre and
RFC 8058 one-click unsubscribe."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib import bootstrap
from chalicelib.api.context import correlation_id, header, query, wants_html
from chalicelib.domain import validation
from chalicelib.domain.exceptions import InvalidInput, NotFound
from chalicelib.domain.profile import CONSENT_PURPOSES
from chalicelib.http.bodies import FORM, form_body, json_body, no_fields
from chalicelib.http.pages import html_response
from chalicelib.http.routing import json_response, route
from chalicelib.pages.texts import preference_texts
from chalicelib.services.profiles import correct_profile, get_profile

public = Blueprint(__name__)


def _customer_from_token(purpose_prefix: str) -> tuple[str, str]:
    """The customer id and purpose proven by the ``t`` query parameter, or 404."""
    request = public.current_request
    token = query(request, "t") or ""
    deps = bootstrap.container()
    now = deps.clock.now()
    if purpose_prefix == "preferences":
        subject = deps.signer.verify("preferences", token, now)
        if subject:
            return subject, "preferences"
    else:
        for purpose in CONSENT_PURPOSES:
            subject = deps.signer.verify(f"unsubscribe:{purpose}", token, now)
            if subject:
                return subject, purpose
    raise NotFound("this link is not valid or has expired", "t")


def _render_preferences(customer_id: str, saved: bool, sent: str | None = None) -> Response:
    deps = bootstrap.container()
    profile = get_profile(customer_id, deps.customers)
    request = public.current_request
    if not wants_html(request):
        return json_response(
            {
                "customer_id": customer_id,
                "locale": profile.locale,
                "consents": profile.consents.to_dict(),
                **({"sent": sent} if sent else {}),
            },
            202 if sent else 200,
        )
    from chalicelib.pages.render import page  # Jinja2 only when a page is asked for

    texts = preference_texts(profile.locale)
    html = page(
        "preferences",
        {
            "lang": profile.locale,
            "t": texts,
            "saved": saved,
            "sent": sent,
            "action": f"?t={query(request, 't')}",
            "export_action": f"/v1/preferences/export?t={query(request, 't')}",
            "erasure_action": f"/v1/preferences/erasure?t={query(request, 't')}",
            "purposes": [
                {"id": p, "on": profile.consents.allows(p), **texts["purposes"][p]}
                for p in CONSENT_PURPOSES
            ],
        },
    )
    return html_response(html)


@route(public, "/v1/preferences", ["GET"])
def preferences() -> Response:
    """The preference centre (HTML for browsers, JSON otherwise)."""
    customer_id, _ = _customer_from_token("preferences")
    return _render_preferences(customer_id, saved=False)


@route(public, "/v1/preferences", ["POST"], content_types=("application/json", FORM))
def save_preferences() -> Response:
    """Save consents: JSON ``{"consents": {...}}`` or the page's form (unchecked = off)."""
    customer_id, _ = _customer_from_token("preferences")
    request = public.current_request
    content_type = header(request, "content-type")
    if content_type.startswith(FORM):
        form = form_body(request.raw_body)
        consents: Any = {purpose: purpose in form for purpose in CONSENT_PURPOSES}
    else:
        consents = _consents_from_json(json_body(request.raw_body))
    deps = bootstrap.container()
    correct_profile(customer_id, {"consents": consents}, deps.customers, deps.clock, "customer")
    return _render_preferences(customer_id, saved=True)


def _consents_from_json(body: Any) -> Any:
    """The ``consents`` of a closed ``{"consents": {...}}`` body (checked by the correction)."""
    payload = validation.require_object(body, "body")
    validation.reject_unknown(payload, ("consents",))
    if "consents" not in payload:
        raise InvalidInput("consents is required: the consents to keep, on or off", "consents")
    return payload["consents"]


@route(public, "/v1/unsubscribe", ["POST"], content_types=(FORM, "application/json"))
def one_click_unsubscribe() -> Response:
    """RFC 8058 one-click unsubscribe from the purpose the link was signed for."""
    customer_id, purpose = _customer_from_token("unsubscribe")
    deps = bootstrap.container()
    correct_profile(
        customer_id, {"consents": {purpose: False}}, deps.customers, deps.clock, "customer"
    )
    return json_response({"unsubscribed": purpose})


def _mail_privacy_letter(template: str) -> Response:
    """Queue the letter that carries the customer's signed export or erasure link."""
    from chalicelib.domain.messages import privacy_request
    from chalicelib.domain.times import iso

    customer_id, _ = _customer_from_token("preferences")
    request = public.current_request
    no_fields(request.raw_body, header(request, "content-type"))
    deps = bootstrap.container()
    profile = get_profile(customer_id, deps.customers)
    deps.outbox.enqueue(
        privacy_request(profile, template, iso(deps.clock.now()), correlation_id(request))
    )
    return _render_preferences(customer_id, saved=False, sent=template)


@route(public, "/v1/preferences/export", ["POST"], content_types=(FORM, "application/json"))
def request_data_export() -> Response:
    """ "Download my data": mail the customer a signed, expiring link to their export."""
    return _mail_privacy_letter("data_export")


@route(public, "/v1/preferences/erasure", ["POST"], content_types=(FORM, "application/json"))
def request_erasure() -> Response:
    """ "Erase my data": mail the customer a signed link that confirms the erasure."""
    return _mail_privacy_letter("erasure_confirmation")
