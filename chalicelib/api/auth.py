"""The built-in authorizers: one for the store's key, one for the admins' key."""

from __future__ import annotations

from chalice import AuthResponse, Blueprint
from chalice.app import AuthRequest

from chalicelib.http import keys

auth = Blueprint(__name__)


def _decide(role: str, request: AuthRequest) -> AuthResponse:
    if keys.is_valid(role, request.token):
        return AuthResponse(routes=["*"], principal_id=role)
    return AuthResponse(routes=[], principal_id="anonymous")


@auth.authorizer()
def store_key(auth_request: AuthRequest) -> AuthResponse:
    """``Authorization: Bearer <store key>``."""
    return _decide("store", auth_request)


@auth.authorizer()
def admin_key(auth_request: AuthRequest) -> AuthResponse:
    """``Authorization: Bearer <admin key>``."""
    return _decide("admin", auth_request)
