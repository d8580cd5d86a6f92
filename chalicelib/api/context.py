"""Per-request helpers shared by the blueprints."""

from __future__ import annotations

import re
import uuid
from typing import Any

from chalice.app import Request

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def correlation_id(request: Request) -> str:
    """The caller's ``X-Correlation-Id`` if it is safe to log, else the gateway request id."""
    given = header(request, "x-correlation-id")
    if given and _SAFE_ID.match(given):
        return given
    context: dict[str, Any] = request.context if request.context is not None else {}
    return str(context.get("requestId") or uuid.uuid4())


def wants_html(request: Request) -> bool:
    """Whether the client prefers an HTML page to JSON (a browser)."""
    accept = header(request, "accept")
    return "text/html" in accept and "application/json" not in accept.split(",")[0]


def header(request: Request, name: str, default: str = "") -> str:
    """A request header (case-insensitive name), or ``default``."""
    headers: Any = request.headers or {}
    return str(headers.get(name.lower(), default))


def query(request: Request, name: str) -> str | None:
    """A query parameter, or ``None``."""
    params: Any = request.query_params or {}
    value = params.get(name)
    return None if value is None else str(value)


def body_bytes(request: Request) -> bytes:
    """The raw body as bytes (Chalice types it as text or bytes)."""
    raw: Any = request.raw_body or b""
    return raw.encode("utf-8") if isinstance(raw, str) else bytes(raw)


def page_of(request: Request, fetch: Any, view: Any = None) -> dict[str, Any]:
    """One page of a keyed list: ``?limit=`` (1 to 200, default 50) and ``?cursor=``.

    ``fetch(limit, cursor)`` returns ``(items, next_cursor)`` and raises ``ValueError``
    for a cursor this API did not give out; ``view`` shapes each item.
    """
    from chalicelib.domain.exceptions import InvalidInput

    raw = query(request, "limit") or "50"
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 200:
        raise InvalidInput("limit must be between 1 and 200", "limit")
    try:
        items, cursor = fetch(int(raw), query(request, "cursor"))
    except ValueError:
        raise InvalidInput("cursor is not one this API gave out", "cursor") from None
    return {"items": [view(item) for item in items] if view else items, "next_cursor": cursor}
