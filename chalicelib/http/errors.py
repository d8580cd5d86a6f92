"""The one error shape of the API: ``{"error": {"code", "message", "field"}}``."""

from __future__ import annotations

from typing import Any

from chalice import Response

from chalicelib.domain.exceptions import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    Unprocessable,
)
from chalicelib.http.exceptions import HttpError

STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidInput, 400),
    (NotFound, 404),
    (Conflict, 409),
    (Unprocessable, 422),
)


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    """The error document."""
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A JSON error response."""
    return Response(
        body=error_body(code, message, field),
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def status_for(error: DomainError) -> int:
    """The HTTP status of a domain error (400 for anything unmapped)."""
    for kind, status in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return status
    return 400


def from_domain_error(error: DomainError) -> Response:
    """Shape a domain error."""
    return error_response(status_for(error), error.code, error.message, error.field)


def from_http_error(error: HttpError) -> Response:
    """Shape an error of the request itself (413, 401): each carries its status."""
    return error_response(error.status, error.code, error.message, error.field)


FRAMEWORK_ERRORS: dict[str, tuple[str, str, str | None]] = {
    "MethodNotAllowedError": (
        "method_not_allowed",
        "this route does not take {method}; it takes {allow}",
        None,
    ),
    "UnsupportedMediaType": (
        "unsupported_media_type",
        "this route does not take a body of this Content-Type",
        "Content-Type",
    ),
    "BadRequest": ("bad_request", "the request cannot be answered as asked", "Accept"),
    "InternalServerError": ("internal_error", "something went wrong on our side", None),
}
"""Chalice's own error responses (``{"Code", "Message"}``), in the API's words."""


def from_framework_error(response: Response, method: str) -> Response:
    """``response`` in the API's error shape if Chalice itself made it, else unchanged.

    Chalice answers some requests before a view runs: a method the route does not have
    (405, with ``Allow``), a body of another content type (415), an unhandled error
    (500). Their headers (``Allow``) are kept.
    """
    body = response.body
    if not isinstance(body, dict) or set(body) != {"Code", "Message"}:
        return response
    code, message, field = FRAMEWORK_ERRORS.get(
        str(body["Code"]), ("error", "the request cannot be answered", None)
    )
    headers = {
        name: value if isinstance(value, str) else ", ".join(value)
        for name, value in response.headers.items()
        if name.lower() != "content-type"
    }
    text = message.format(method=method, allow=headers.get("Allow", ""))
    return error_response(response.status_code, code, text, field, headers=headers)
