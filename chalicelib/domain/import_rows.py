"""Rows of an import file, validated exactly as the API validates them.

A :class:`Row` is one record of the file in the API's shape (``POST /v1/signups`` or
``POST /v1/orders``, orders with an optional ``status`` and ``paid_at``) and the line
it starts on. :func:`jsonl_rows` reads JSON Lines; :mod:`chalicelib.domain.shopify`
reads Shopify's CSV exports into the same rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import MalformedFile
from chalicelib.domain.orders import ORDER_STATUSES, PAID, PLACED, Order, parse_order
from chalicelib.domain.signup import SignupRequest, parse_signup
from chalicelib.domain.times import TimeBounds

IMPORT_ONLY_FIELDS = ("status", "paid_at")
"""What an imported order may carry beyond ``POST /v1/orders``."""


@dataclass(frozen=True)
class Row:
    """One record of an import file, in the API's shape."""

    line: int
    fields: dict[str, Any]
    email: str | None = field(default=None)
    """For a row that names its customer by email only (Shopify's orders export)."""


@dataclass(frozen=True)
class ImportedOrder:
    """A validated historical order, its status and when it was paid."""

    line: int
    order: Order
    status: str
    paid_at: datetime | None


def decode(data: bytes) -> str:
    """The file's text (UTF-8, with or without a byte-order mark)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MalformedFile(f"the file is not UTF-8 text (byte {error.start})") from None


def jsonl_rows(text: str) -> list[Row]:
    """One row per non-blank line; a line that is not a JSON object fails the file."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            raise MalformedFile(f"line {number} is not JSON") from None
        if not isinstance(value, dict):
            raise MalformedFile(f"line {number} is not a JSON object")
        rows.append(Row(number, value))
    return rows


def customer_row(row: Row, now: datetime) -> SignupRequest:
    """The signup a customer row describes (``InvalidInput`` naming the field)."""
    return parse_signup(row.fields, now)


def order_row(row: Row, bounds: TimeBounds) -> ImportedOrder:
    """The historical order an order row describes (``InvalidInput`` naming the field)."""
    body = v.require_object(row.fields)
    payload = {k: val for k, val in body.items() if k not in IMPORT_ONLY_FIELDS}
    order = parse_order(payload, bounds=bounds)
    status = v.choice(body.get("status", PLACED), ORDER_STATUSES, "status")
    raw_paid = body.get("paid_at")
    paid_at = None if raw_paid is None else v.timestamp(raw_paid, "paid_at", bounds)
    if paid_at is not None and paid_at < order.placed_at:
        raise v.InvalidInput("paid_at is before placed_at", "paid_at")
    if status == PLACED and paid_at is not None:
        raise v.InvalidInput(f"an order paid at a time has status {PAID} or later", "status")
    return ImportedOrder(row.line, order, status, paid_at)
