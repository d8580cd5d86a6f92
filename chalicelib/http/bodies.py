"""Read request bodies: JSON or forms, bounded in size and (JSON) in nesting depth."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.http.exceptions import PayloadTooLarge

FORM = "application/x-www-form-urlencoded"
"""The media type of an HTML form's body."""
MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32
"""No request of this API nests deeper than a few levels; a deep document is refused
before it is parsed (the parser recurses, and would fail with ``RecursionError``)."""

_OPENERS = frozenset(b"[{")
_CLOSERS = frozenset(b"]}")
_QUOTE, _BACKSLASH = ord('"'), ord("\\")


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in ``raw`` (brackets in strings ignored).

    A linear scan with no recursion, for any input (valid JSON or not).
    """
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif byte in _CLOSERS:
            depth -= 1
    return deepest


def _bounded(raw: bytes | str | None, max_bytes: int) -> bytes:
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    raw = raw or b""
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"the request body must be at most {max_bytes} bytes", "body")
    return raw


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
        Empty, not UTF-8, not JSON, or nested deeper than :data:`MAX_JSON_DEPTH`
        (``field`` is ``body``).
    """
    raw = _bounded(raw, max_bytes)
    if not raw.strip():
        raise InvalidInput("the request body must be a JSON object", "body")
    if nesting_depth(raw) > MAX_JSON_DEPTH:
        message = f"the request body nests arrays and objects deeper than {MAX_JSON_DEPTH} levels"
        raise InvalidInput(message, "body")
    try:
        return json.loads(raw.decode("utf-8"), parse_float=_number)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidInput("the request body is not valid JSON", "body") from None


def form_body(raw: bytes | str | None, max_bytes: int = MAX_BODY_BYTES) -> dict[str, list[str]]:
    """Parse ``raw`` as an ``application/x-www-form-urlencoded`` UTF-8 form.

    Raises
    ------
    PayloadTooLarge
        More than ``max_bytes``.
    InvalidInput
        Not UTF-8 (``field`` is ``body``).
    """
    raw = _bounded(raw, max_bytes)
    try:
        return parse_qs(raw.decode("utf-8"), errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("the form is not valid UTF-8", "body") from None


def no_fields(raw: bytes | str | None, content_type: str) -> None:
    """Accept an empty body, an empty form or ``{}``; a field sent is a 400 naming it
    (for the routes whose request is the signed link alone)."""
    raw = _bounded(raw, MAX_BODY_BYTES)
    if not raw.strip():
        return
    if content_type.startswith("application/x-www-form-urlencoded"):
        form = form_body(raw)
        if form:
            raise InvalidInput(f"unknown field {next(iter(form))}", next(iter(form)))
        return
    body = json_body(raw)
    if not isinstance(body, dict):
        raise InvalidInput("expected a JSON object", "body")
    if body:
        raise InvalidInput(f"unknown field {next(iter(body))}", next(iter(body)))
