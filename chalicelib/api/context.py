"""Per-request helpers shared by the blueprints."""

from __future__ import annotations

import re
import uuid
from typing import Any

from chalice.app import Request

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def correlation_id(request: Request) -> str:
    """The caller's ``X-Correlation-Id`` if it is safe to log, else the gateway request id."""
    given = (request.headers or {}).get("x-correlation-id")
    if given and _SAFE_ID.match(given):
        return given
    context: dict[str, Any] = request.context if request.context is not None else {}
    return str(context.get("requestId") or uuid.uuid4())


def wants_html(request: Request) -> bool:
    """Whether the client prefers an HTML page to JSON (a browser)."""
    accept = (request.headers or {}).get("accept", "")
    return "text/html" in accept and "application/json" not in accept.split(",")[0]
