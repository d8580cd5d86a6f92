"""Shopify's customer and order CSV exports, read into import rows.

The files are read as Shopify writes them: UTF-8 with or without a byte-order mark,
CRLF line ends, quoted fields holding commas, quotes and newlines (:mod:`csv`). An
order spans several rows, one per line item: the first row carries the order's own
columns, the others repeat only ``Name`` and the ``Lineitem`` columns. Money is a
decimal string in the order's currency, turned into integer minor units; a value that
is not one is passed on as it is, so the API's validation rejects it naming its field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.domain.exceptions import MalformedFile
from chalicelib.domain.import_rows import Row
from chalicelib.domain.orders import CANCELLED, FULFILLED, ISO_4217, PAID, PLACED, REFUNDED

CUSTOMER_COLUMNS = ("Email",)
ORDER_COLUMNS: tuple[str, ...] = ("Name", "Email", "Created at", "Currency")
ORDER_COLUMNS += ("Lineitem quantity", "Lineitem name", "Lineitem price")
_MARKETING = ("Accepts Email Marketing", "Accepts Marketing")  # current, older exports
_FINANCIAL = {"paid": PAID, "partially_refunded": PAID, "refunded": REFUNDED, "voided": CANCELLED}
_PAYMENT_WORDS = (
    ("cash on delivery", "cash_on_delivery"),
    ("cod", "cash_on_delivery"),
    ("gift card", "gift_card"),
    ("gift_card", "gift_card"),
    ("bank", "bank_transfer"),
    ("paypal", "wallet"),
    ("alipay", "wallet"),
    ("wechat", "wallet"),
    ("apple pay", "wallet"),
    ("klarna", "pay_later"),
    ("afterpay", "pay_later"),
    ("affirm", "pay_later"),
    ("installments", "pay_later"),
    ("shopify payments", "card"),
    ("stripe", "card"),
    ("card", "card"),
)
UNCATEGORIZED = "uncategorized"


def _records(text: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """``(first line, row by header)`` for every record after the header."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        missing = [name for name in required if name not in header]
        if missing:
            raise MalformedFile(f"not a Shopify export: no column {', '.join(missing)}")
        start = reader.line_num + 1
        for values in reader:
            if any(value.strip() for value in values):
                yield start, dict(zip(header, (value.strip() for value in values), strict=False))
            start = reader.line_num + 1
    except csv.Error as error:
        raise MalformedFile(f"line {reader.line_num}: {error}") from None


def _yes(value: str) -> bool:
    return value.strip().lower() in ("yes", "true", "subscribed")


def customer_rows(text: str) -> list[Row]:
    """One signup row per customer of a Shopify customers export."""
    rows = []
    for line, record in _records(text, CUSTOMER_COLUMNS):
        fields: dict[str, Any] = {
            "customer_id": record.get("Customer ID", "").lstrip("'") or None,
            "email": record["Email"] or None,
        }
        name = " ".join(p for p in (record.get("First Name"), record.get("Last Name")) if p)
        if name:
            fields["name"] = name
        phone = record.get("Phone") or record.get("Default Address Phone")
        if phone:
            fields["phone"] = phone
        marketing = next((record[c] for c in _MARKETING if record.get(c)), None)
        if marketing is not None:
            fields["consents"] = {"marketing": _yes(marketing)}
        rows.append(Row(line, {k: val for k, val in fields.items() if val is not None}))
    return rows


def minor_units(amount: str, currency: str) -> Any:
    """A decimal string in ``currency`` as integer minor units (the text if it is not one)."""
    exponent = ISO_4217.get(currency, 2)
    try:
        value = Decimal(amount.replace(",", "")) * (10**exponent)
    except InvalidOperation:
        return amount
    return int(value) if value == value.to_integral_value() else amount


def shopify_time(value: str) -> str:
    """``2024-03-05 14:02:11 +0800`` as ISO 8601 (the text if it is not that)."""
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z").isoformat()
    except ValueError:
        return value


def payment_method(gateway: str) -> str:
    """The API's payment method for a Shopify payment gateway's name."""
    name = gateway.lower()
    return next((method for word, method in _PAYMENT_WORDS if word in name), "other")


def _status(record: dict[str, str]) -> str:
    if record.get("Cancelled at"):
        return CANCELLED
    status = _FINANCIAL.get(record.get("Financial Status", "").lower(), PLACED)
    if status == PAID and record.get("Fulfillment Status", "").lower() == "fulfilled":
        return FULFILLED
    return status


def _line(record: dict[str, str], currency: str) -> dict[str, Any]:
    quantity = record["Lineitem quantity"]
    return {
        "sku": record.get("Lineitem sku") or record["Lineitem name"],
        "name": record["Lineitem name"],
        "category": record.get("Vendor") or UNCATEGORIZED,
        "quantity": int(quantity) if quantity.isdigit() else quantity,
        "unit_price": minor_units(record["Lineitem price"], currency),
    }


def _order(line: int, first: dict[str, str]) -> Row:
    currency = first["Currency"]
    fields: dict[str, Any] = {
        "order_id": (first.get("Id") or first["Name"]).lstrip("#"),
        "placed_at": shopify_time(first["Created at"]),
        "currency": currency,
        "lines": [],
        "payment_method": payment_method(first.get("Payment Method", "")),
        "status": _status(first),
    }
    if first.get("Paid at") and fields["status"] != PLACED:
        fields["paid_at"] = shopify_time(first["Paid at"])
    return Row(line, fields, email=first["Email"] or None)


def order_rows(text: str) -> list[Row]:
    """One order row per order of a Shopify orders export (its line items gathered).

    The order's ``total`` is the sum of its line items (the API's rule): Shopify's
    ``Total`` column adds shipping and taxes and takes off discounts, which are not
    purchases of a product.
    """
    orders: dict[str, Row] = {}
    for line, record in _records(text, ORDER_COLUMNS):
        row = orders.get(record["Name"])
        if row is None:
            row = orders[record["Name"]] = _order(line, record)
        row.fields["lines"].append(_line(record, str(row.fields["currency"])))
    for row in orders.values():
        lines = row.fields["lines"]
        numbers = all(isinstance(ln[k], int) for ln in lines for k in ("quantity", "unit_price"))
        row.fields["total"] = (
            sum(ln["quantity"] * ln["unit_price"] for ln in lines) if numbers else 0
        )
    return list(orders.values())
