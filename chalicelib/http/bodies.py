"""Read request bodies: JSON only, bounded in size."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.http.exceptions import PayloadTooLarge

MAX_BODY_BYTES = 64 * 1024
_EXACT_INTEGERS = 2**53


def _number(literal: str) -> float | int:
    """A JSON number with a fraction or exponent; integral ones are integers (``2.0`` is 2).

    JSON (and JSON Schema's ``integer``) does not tell ``2`` from ``2.0``; integer fields
    take both, and a real fraction stays a float the validators refuse.
    """
    value = float(literal)
    return int(value) if value.is_integer() and abs(value) < _EXACT_INTEGERS else value


def json_body(raw: bytes | str | None, max_bytes: int = MAX_BODY_BYTES) -> Any:
    """Parse ``raw`` as a UTF-8 JSON document.

    Raises
    ------
    PayloadTooLarge
        More than ``max_bytes``.
    InvalidInput
        Empty, not UTF-8 or not JSON (``field`` is ``body``).
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if raw is None or not raw.strip():
        raise InvalidInput("the request body must be a JSON object", "body")
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"the request body must be at most {max_bytes} bytes", "body")
    try:
        return json.loads(raw.decode("utf-8"), parse_float=_number)
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("the request body is not valid JSON", "body") from None
