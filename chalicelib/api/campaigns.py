"""Product-update campaigns (admin role to create and cancel; viewers may read)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import bootstrap
from chalicelib.api.auth import admin_key
from chalicelib.api.context import header, page_of
from chalicelib.http.bodies import json_body, no_fields
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger
from chalicelib.services import campaigns as service

campaigns = Blueprint(__name__)

CAMPAIGNS = "/v1/admin/campaigns"


@route(campaigns, CAMPAIGNS, ["POST"], authorizer=admin_key)
def create_campaign() -> object:
    """Create a campaign (201; 200 for the same body again, 409 for another) or dry-run it."""
    payload = json_body(campaigns.current_request.raw_body)
    status, body = service.create(payload, bootstrap.container().campaigns.deps)
    logger.info("campaign", extra={"campaign_id": body.get("campaign_id"), "status": status})
    headers = {"Location": f"{CAMPAIGNS}/{body['campaign_id']}"} if status == 201 else None
    return json_response(body, status, headers)


@route(campaigns, CAMPAIGNS, ["GET"], authorizer=admin_key)
def list_campaigns() -> object:
    """Campaigns, newest first, with their counts (paginated)."""
    store = bootstrap.container().campaigns.store
    return json_response(page_of(campaigns.current_request, store.page, service.view))


@route(campaigns, f"{CAMPAIGNS}/{{campaign_id}}", ["GET"], authorizer=admin_key)
def get_campaign(campaign_id: str) -> object:
    """One campaign: status, recipients, sent, suppressed by reason, deferred, failed."""
    return json_response(service.get(campaign_id, bootstrap.container().campaigns.deps))


@route(campaigns, f"{CAMPAIGNS}/{{campaign_id}}/cancel", ["POST"], authorizer=admin_key)
def cancel_campaign(campaign_id: str) -> object:
    """Stop what is not sent yet (queued mail is suppressed ``campaign_cancelled``)."""
    request = campaigns.current_request
    no_fields(request.raw_body, header(request, "content-type"))  # the id is the request
    body = service.cancel(campaign_id, bootstrap.container().campaigns.deps)
    logger.info("campaign cancelled", extra={"campaign_id": campaign_id})
    return json_response(body)
