"""One page of a DynamoDB query behind an opaque cursor: the key the page stopped at,
encoded for a client, and checked when it comes back."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error

StartCheck = Callable[[dict[str, Any]], bool]


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    """An opaque pagination cursor for a DynamoDB ``LastEvaluatedKey``."""
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    """Inverse of :func:`encode_cursor`; raises ``ValueError`` for a bad cursor."""
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeError) as error:
        raise ValueError("bad cursor") from error
    if (
        not isinstance(data, dict)
        or not data
        or not all(
            isinstance(name, str)
            and isinstance(value, dict)
            and len(value) == 1
            and next(iter(value)) in ("S", "N")
            and isinstance(next(iter(value.values())), str)
            for name, value in data.items()
        )
    ):
        raise ValueError("bad cursor")
    return data


def key_of(keys: frozenset[str], **fixed: str) -> StartCheck:
    """A start key has exactly ``keys``, and the string values ``fixed`` (its partition)."""

    def check(start: dict[str, Any]) -> bool:
        return set(start) == keys and all(
            start.get(name) == {"S": value} for name, value in fixed.items()
        )

    return check


def query_page(
    client: Any, arguments: dict[str, Any], cursor: str | None, check: StartCheck
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of the query ``arguments`` from ``cursor``, and the next page's cursor
    (``None`` after the last).

    Raises ``ValueError`` for a cursor this API did not give out: one ``check`` refuses, or
    one DynamoDB or botocore refuses as the query's start key.
    """
    start = decode_cursor(cursor)
    if start:
        if not check(start):
            raise ValueError("bad cursor")
        arguments = {**arguments, "ExclusiveStartKey": start}
    try:
        with throttling_as_adapter_error():
            response = client.query(**arguments)
    except (ClientError, ParamValidationError, TypeError) as error:
        foreign = not isinstance(error, ClientError) or error_code(error) == "ValidationException"
        if start and foreign:
            raise ValueError("bad cursor") from error
        raise
    items = [codec.from_item(item) for item in response.get("Items", [])]
    return items, encode_cursor(response.get("LastEvaluatedKey"))
