"""Key management (admin role): issue, list and revoke admin keys."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib import bootstrap
from chalicelib.api.auth import admin_key
from chalicelib.api.context import page_of
from chalicelib.domain.admin_keys import AdminKey, parse_new_key
from chalicelib.http.bodies import json_body
from chalicelib.http.routing import json_response, route
from chalicelib.observability import logger
from chalicelib.services import admin_keys as service

admin_keys = Blueprint(__name__)


@route(admin_keys, "/v1/admin/keys", ["POST"], authorizer=admin_key)
def create_admin_key() -> object:
    """Issue a key ``{"name", "role": "admin"|"viewer"}``: 201, the key shown this once."""
    name, role = parse_new_key(json_body(admin_keys.current_request.raw_body))
    record, key = service.create_key(name, role, bootstrap.container().admin_keys)
    logger.info("admin key issued", extra={"key_id": record.key_id, "role": role, "by": _caller()})
    location = f"/v1/admin/keys/{record.key_id}"
    return json_response({**record.to_view(), "key": key}, 201, {"Location": location})


@route(admin_keys, "/v1/admin/keys", ["GET"], authorizer=admin_key)
def list_admin_keys() -> object:
    """Issued keys (id, name, role, created and last-used dates; never the key), paginated."""
    deps = bootstrap.container().admin_keys
    return json_response(page_of(admin_keys.current_request, deps.keys.page, AdminKey.to_view))


@route(admin_keys, "/v1/admin/keys/{key_id}", ["DELETE"], authorizer=admin_key)
def revoke_admin_key(key_id: str) -> object:
    """Revoke a key at once (204): its next call is answered 401."""
    service.revoke_key(key_id, bootstrap.container().admin_keys)
    logger.info("admin key revoked", extra={"key_id": key_id, "by": _caller()})
    return Response(body="", status_code=204)


def _caller() -> str:
    """The calling key's id (``bootstrap`` for the deployment's own key), for the log."""
    context = admin_keys.current_request.context or {}
    return str((context.get("authorizer") or {}).get("principalId", "unknown"))
