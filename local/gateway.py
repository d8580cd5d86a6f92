"""API Gateway's own answers, emulated for ``chalice.local`` from the deployed table.

``chalice.local`` raises a :class:`~chalice.local.LocalGatewayException` where API
Gateway would answer by itself (no key, a refused key, no such path). This maps each to
the gateway response type API Gateway would use and answers with the body that
:data:`infra.gateway.GATEWAY_ERRORS` gives that type on AWS.
"""

from __future__ import annotations

import json
from typing import Any

from chalice.local import (
    LocalGateway,
    LocalGatewayAuthorizer,
    LocalGatewayException,
    NotAuthorizedError,
)

from chalicelib.api.auth import KeyRefused
from chalicelib.services.exceptions import Throttled, Unavailable
from infra.gateway import BY_TYPE

# (status chalice.local raises, its x-amzn-ErrorType) -> API Gateway's response type
_RESPONSE_TYPES = {
    (401, "UnauthorizedException"): "UNAUTHORIZED",
    (403, "AccessDeniedException"): "ACCESS_DENIED",
    (403, "UnauthorizedException"): "MISSING_AUTHENTICATION_TOKEN",  # no such path
    (500, "AuthorizerFailureException"): "AUTHORIZER_FAILURE",
}


def gateway_error(error: LocalGatewayException) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body that API Gateway would answer ``error`` with."""
    kind = str(error.headers.get("x-amzn-ErrorType", ""))
    answer = BY_TYPE[_RESPONSE_TYPES.get((error.CODE, kind), "DEFAULT_5XX")]
    status = answer.status or error.CODE
    headers = {**{k: str(v) for k, v in error.headers.items()}, **answer.headers()}
    return status, headers, json.dumps(answer.body()).encode("utf-8")


class AuthorizerFailed(LocalGatewayException):
    """The authorizer itself failed (API Gateway's ``AUTHORIZER_FAILURE``)."""

    CODE = 500


class RefusingAuthorizer(LocalGatewayAuthorizer):
    """``chalice.local``'s authorizer runner, answering as API Gateway does when it raises.

    On AWS a token authorizer that raises ``Unauthorized`` gets the caller a 401, and one
    that fails otherwise an ``AUTHORIZER_FAILURE``; locally the exception would escape.
    """

    def authorize(self, raw_path: str, lambda_event: Any, lambda_context: Any) -> Any:
        """Run the route's authorizer; a :class:`KeyRefused` is a 401, AWS trouble a 503."""
        try:
            return super().authorize(raw_path, lambda_event, lambda_context)
        except KeyRefused:
            raise NotAuthorizedError(
                {"x-amzn-ErrorType": "UnauthorizedException"}, b'{"message":"Unauthorized"}'
            ) from None
        except (Throttled, Unavailable):
            raise AuthorizerFailed(
                {"x-amzn-ErrorType": "AuthorizerFailureException"}, b'{"message":null}'
            ) from None


def refuse_keys_as_api_gateway(gateway: LocalGateway, app: Any) -> None:
    """Make ``gateway`` (a ``chalice.local`` gateway) answer refused keys with 401."""
    gateway._authorizer = RefusingAuthorizer(app)  # noqa: SLF001 (chalice.local has no hook)
