"""Errors raised at the HTTP edge."""

from __future__ import annotations

from chalicelib.domain.exceptions import DomainError


class PayloadTooLarge(DomainError):
    """The body is larger than the API accepts (HTTP 413)."""

    code = "payload_too_large"


class Unauthorized(DomainError):
    """Missing or wrong credentials (HTTP 401)."""

    code = "unauthorized"
