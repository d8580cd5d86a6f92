"""The REST API's own answers, in the API's error shape, on AWS and locally.

API Gateway answers some requests itself, before any function runs: a missing or
refused key, a path the API does not have. Its *gateway responses* are given the API's
one error shape here (:data:`GATEWAY_ERRORS`), and the local stack and the functional
tests answer those requests from the same table (``local/gateway.py``).

A method a path does not have is answered by the API function itself (405 with
``Allow``, :func:`chalicelib.http.errors.from_framework_error`): every path gets an
``ANY`` method integrated with that function, which API Gateway uses only for the
methods the path does not declare.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

API_FUNCTION_URI = (
    "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
    "${APIHandler.Arn}/invocations"
)


@dataclass(frozen=True)
class GatewayError:
    """One gateway response type and what it answers."""

    response_type: str
    status: int | None  # None: keep the status API Gateway chose
    code: str
    message: str
    field: str | None = None
    retry_after: int | None = None  # seconds, sent as ``Retry-After``

    def headers(self) -> dict[str, str]:
        """The headers of the answer."""
        headers = {"Content-Type": "application/json"}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers

    def body(self) -> dict[str, Any]:
        """The API's error document."""
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


GATEWAY_ERRORS: tuple[GatewayError, ...] = (
    GatewayError(
        "UNAUTHORIZED",
        401,
        "unauthorized",
        "an Authorization: Bearer <key> header with a valid key is required",
        "Authorization",
    ),
    GatewayError(
        "ACCESS_DENIED", 403, "forbidden", "this key may not call this route", "Authorization"
    ),
    GatewayError("MISSING_AUTHENTICATION_TOKEN", 404, "not_found", "no such route"),
    GatewayError(
        "REQUEST_TOO_LARGE", 413, "payload_too_large", "the request body is too large", "body"
    ),
    GatewayError("THROTTLED", 429, "throttled", "too many requests; retry shortly", None, 1),
    # The admin authorizer could not read the key's record or secret (AWS throttled or failed).
    GatewayError(
        "AUTHORIZER_FAILURE", 503, "unavailable", "could not check the key; retry shortly", None, 5
    ),
    GatewayError("DEFAULT_4XX", None, "bad_request", "the request cannot be answered as sent"),
    GatewayError(
        "DEFAULT_5XX", None, "unavailable", "the API is unavailable; retry shortly", None, 5
    ),
)
BY_TYPE = {error.response_type: error for error in GATEWAY_ERRORS}


def gateway_responses() -> dict[str, Any]:
    """The ``GatewayResponses`` property of the SAM API."""
    responses: dict[str, Any] = {}
    for error in GATEWAY_ERRORS:
        response: dict[str, Any] = {
            "ResponseTemplates": {"application/json": json.dumps(error.body())},
            "ResponseParameters": {
                "Headers": {name: f"'{value}'" for name, value in error.headers().items()}
            },
        }
        if error.status is not None:
            response["StatusCode"] = error.status
        responses[error.response_type] = response
    return responses


def any_methods(paths: Iterable[str]) -> dict[str, Any]:
    """An ``ANY`` method per path, to the API function (which answers 405 with ``Allow``)."""
    method = {
        "x-amazon-apigateway-integration": {
            "type": "aws_proxy",
            "httpMethod": "POST",
            "uri": {"Fn::Sub": API_FUNCTION_URI},
            "passthroughBehavior": "when_no_match",
            "contentHandling": "CONVERT_TO_TEXT",
        },
        "responses": {},
    }
    return {path: {"x-amazon-apigateway-any-method": method} for path in sorted(paths)}


def rest_api() -> dict[str, Any]:
    """What the merge template adds to Chalice's ``RestAPI``."""
    from app import app  # the routes the API serves

    return {
        "Properties": {
            "GatewayResponses": gateway_responses(),
            "DefinitionBody": {"paths": any_methods(app.routes)},
        }
    }
