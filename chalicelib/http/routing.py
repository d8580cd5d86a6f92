"""Register routes with the error handling and JSON conventions in one place."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from chalice import Blueprint, Chalice, Response

from chalicelib.domain.exceptions import DomainError
from chalicelib.http.errors import error_response, from_domain_error
from chalicelib.observability import logger
from chalicelib.services.exceptions import SendFailed, Throttled

JSON = ("application/json",)


def guarded(view: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every error a view raises into the API's error shape.

    Domain errors keep their status (400, 404, 409, 413, 422); AWS throttling that
    outlived the SDK's retries, and a downstream service refusing what we pass on, are
    503 with ``Retry-After``; anything else is logged
    (type and stack, no request data) and answered with a plain 500.
    """

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except DomainError as error:
            return from_domain_error(error)
        except Throttled:
            return error_response(
                503, "throttled", "the service is busy; retry shortly", headers={"Retry-After": "1"}
            )
        except SendFailed as error:
            logger.warning("a downstream service refused", extra={"code": error.code})
            message = "could not be passed on; retry shortly"
            return error_response(503, "unavailable", message, headers={"Retry-After": "5"})
        except Exception:
            logger.exception("unhandled error in view", extra={"view": view.__name__})
            return error_response(500, "internal_error", "something went wrong on our side")

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
