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
from chalicelib.http.exceptions import PayloadTooLarge, Unauthorized

STATUS_BY_ERROR: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidInput, 400),
    (Unauthorized, 401),
    (NotFound, 404),
    (Conflict, 409),
    (PayloadTooLarge, 413),
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
