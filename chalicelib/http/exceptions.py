"""Errors raised at the HTTP edge: their own hierarchy, beside the domain's.

The domain's errors say what is wrong with a fact; these say what is wrong with the
request that carried it (its size, its credentials). :mod:`chalicelib.http.errors`
maps both to the API's one error shape.
"""

from __future__ import annotations


class HttpError(Exception):
    """Base class of the errors of a request as such (not of the fact it carries)."""

    code = "http_error"
    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PayloadTooLarge(HttpError):
    """The body is larger than the API accepts (HTTP 413)."""

    code = "payload_too_large"
    status = 413


class Unauthorized(HttpError):
    """Missing or wrong credentials (HTTP 401)."""

    code = "unauthorized"
    status = 401
