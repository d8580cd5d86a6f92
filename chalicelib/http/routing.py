"""Register routes with the error handling and JSON conventions in one place."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from chalice import Blueprint, Chalice, Response

from chalicelib.domain.exceptions import DomainError
from chalicelib.http.errors import error_response, from_domain_error, from_http_error
from chalicelib.http.exceptions import HttpError
from chalicelib.observability import logger
from chalicelib.services.exceptions import SendFailed, Throttled, Unavailable

JSON = ("application/json",)
GUARDED = "__rapport_guarded__"
"""Set on every view :func:`guarded` wraps (a test checks that every route has it)."""


def _busy(code: str, message: str, retry_after: int) -> Response:
    return error_response(503, code, message, headers={"Retry-After": str(retry_after)})


def guarded(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every error a view raises into the API's error shape.

    Domain errors and the request's own errors keep their status (400, 401, 404, 409,
    413, 422); AWS throttling, a timeout, a connection error or a 5xx that outlived the
    SDK's retries, and a downstream service refusing what we pass on, are 503 with
    ``Retry-After``; anything else is logged (type and stack, no request data) and
    answered with a plain 500.
    """

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            return from_domain_error(error)
        except HttpError as error:
            return from_http_error(error)
        except Throttled:
            return _busy("throttled", "the service is busy; retry shortly", 1)
        except Unavailable as error:
            logger.warning("a dependency is unavailable", extra={"code": error.code})
            return _busy(
                "unavailable", "a service we depend on is slow or failing; retry shortly", 5
            )
        except SendFailed as error:
            logger.warning("a downstream service refused", extra={"code": error.code})
            return _busy("unavailable", "could not be passed on; retry shortly", 5)
        except Exception:
            logger.exception("unhandled error in view", extra={"view": view.__name__})
            return error_response(500, "internal_error", "something went wrong on our side")

    setattr(wrapped, GUARDED, True)
    return wrapped


def route(
    app: Chalice | Blueprint,
    path: str,
    methods: Sequence[str],
    authorizer: Any = None,
    content_types: Sequence[str] = JSON,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Like ``app.route`` but with :func:`guarded` error handling."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        app.route(
            path,
            methods=list(methods),
            authorizer=authorizer,
            content_types=list(content_types),
        )(guarded(view))
        return view

    return decorate


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response."""
    return Response(
        body=body,
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
