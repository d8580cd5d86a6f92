"""Domain errors.

Every error the domain raises derives from :class:`DomainError`. The HTTP layer maps
them to the one error shape of the API (``{"error": {"code", "message", "field"}}``).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every domain error."""

    code = "domain_error"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """A value a caller gave is malformed or out of range (HTTP 400)."""

    code = "invalid_input"


class Conflict(DomainError):
    """What was asked conflicts with what is stored (HTTP 409)."""

    code = "conflict"


class NotFound(DomainError):
    """The thing asked for does not exist (HTTP 404)."""

    code = "not_found"


class Unprocessable(DomainError):
    """Well-formed input that the rules refuse (HTTP 422)."""

    code = "unprocessable"


class InvalidTransition(Conflict):
    """A state change that the state machine does not allow (HTTP 409)."""

    code = "invalid_transition"


class MalformedFile(DomainError):
    """An uploaded import file that cannot be read as its format (the import fails)."""

    code = "malformed_file"
