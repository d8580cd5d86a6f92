"""The built-in authorizers (store key, admin keys) and the admin roles' middleware.

- ``store_key`` lets the store's key call the store routes.
- ``admin_key`` accepts the deployment's bootstrap admin key (role ``admin``; SHA-256
  digests in the template, the dev key locally) and the keys issued through
  ``/v1/admin/keys`` (their own role). A key that is not one of these (unknown, revoked)
  is refused with 401; the store key is refused with 403. Its result is never cached
  (``ttl_seconds=0``), so a revoked key is refused by the very next request.
- :func:`admin_roles` answers 403 when a key's role may not call the route, from the one
  table :data:`chalicelib.domain.roles.ROUTE_ROLES`, for every route behind ``admin_key``.
"""

from __future__ import annotations

from typing import Any

from chalice import AuthResponse, Blueprint
from chalice.app import AuthRequest

from chalicelib import bootstrap
from chalicelib.domain import roles
from chalicelib.domain.admin_keys import BOOTSTRAP
from chalicelib.http import keys
from chalicelib.http.errors import error_response

auth = Blueprint(__name__)

ROLE_CONTEXT = "role"
"""The authorizer context entry that carries an admin key's role to the function."""


class KeyRefused(Exception):
    """Raised by an authorizer for a key that is no key of this deployment.

    API Gateway answers a token authorizer's ``Unauthorized`` error with 401 (its
    ``UNAUTHORIZED`` gateway response); ``local/gateway.py`` does the same locally.
    """

    def __init__(self) -> None:
        super().__init__("Unauthorized")


def _deny() -> AuthResponse:
    return AuthResponse(routes=[], principal_id="anonymous")


@auth.authorizer()
def store_key(auth_request: AuthRequest) -> AuthResponse:
    """``Authorization: Bearer <store key>``."""
    if keys.is_valid("store", auth_request.token):
        return AuthResponse(routes=["*"], principal_id="store")
    return _deny()


@auth.authorizer(ttl_seconds=0)
def admin_key(auth_request: AuthRequest) -> AuthResponse:
    """``Authorization: Bearer <admin key>``: the bootstrap key or an issued one."""
    if keys.is_valid("admin", auth_request.token):
        return _allow(BOOTSTRAP, roles.ADMIN)
    token = keys.bearer_token(auth_request.token)
    if token is not None:
        from chalicelib.services.admin_keys import authenticate

        principal = authenticate(token, bootstrap.container().admin_keys)
        if principal is not None:
            return _allow(principal.key_id, principal.role)
    if keys.is_valid("store", auth_request.token):
        return _deny()
    raise KeyRefused()


def _allow(principal_id: str, role: str) -> AuthResponse:
    return AuthResponse(routes=["*"], principal_id=principal_id, context={ROLE_CONTEXT: role})


def admin_roles(event: Any, get_response: Any) -> Any:
    """403 for an admin key whose role may not call the route (before the view runs).

    Registered by ``app.py`` as an ``http`` middleware inside the request context one.
    """
    context: dict[str, Any] = event.context or {}
    role = (context.get("authorizer") or {}).get(ROLE_CONTEXT)
    if role is not None and not roles.may_call(
        str(role), event.method, str(context.get("resourcePath"))
    ):
        return error_response(
            403,
            "forbidden",
            f"a {role} key may not call this route; it needs an admin key",
            "Authorization",
        )
    return get_response(event)
