"""Shopify's exports as rows in the API's shape (BOM, CRLF, quoted commas and newlines)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.exceptions import InvalidInput, MalformedFile
from chalicelib.domain.import_rows import customer_row, order_row
from chalicelib.domain.shopify import customer_rows, minor_units, order_rows, payment_method
from chalicelib.domain.times import TimeBounds
from tests.unit.domain.shopify_exports import CUSTOMERS_CSV, ORDER_HEADER, ORDERS_CSV, order_csv_row

NOW = datetime(2025, 1, 1, tzinfo=UTC)
BOUNDS = TimeBounds(NOW, NOW - NOW)


def test_customers_export_reads_bom_crlf_quoted_newlines_and_marketing() -> None:
    rows = customer_rows(CUSTOMERS_CSV)
    assert [r.line for r in rows] == [2, 4]  # the first customer's note spans two lines
    li, ann = (customer_row(r, NOW) for r in rows)
    assert li.fields["customer_id"] == "7353446383901"  # Shopify's leading quote is dropped
    assert li.fields["email"] == "li.wei@example.com"
    assert li.fields["name"] == "Li Wei"
    assert li.fields["consents"].marketing is True
    assert ann.fields["name"] == "Ann O'Brien"
    assert ann.fields["consents"].marketing is False


def test_an_order_spans_its_line_item_rows_and_money_becomes_minor_units() -> None:
    first, second = order_rows(ORDERS_CSV)
    assert (first.line, second.line) == (2, 5)  # the note's newline makes row 2 two lines
    assert first.email == "li.wei@example.com"
    first.fields["customer_id"] = "7353446383901"
    imported = order_row(first, BOUNDS)
    assert imported.order.order_id == "5523402801437"
    assert [
        (ln.sku, ln.name, ln.category, ln.quantity, ln.unit_price) for ln in imported.order.lines
    ] == [
        ("TEA-250", "Green tea, 250 g", "Leaf Co", 2, 9900),
        ("POT-1", "Teapot", "Clayworks", 1, 13000),
    ]
    assert imported.order.total == 32800  # the lines; shipping is not a purchase
    assert imported.status == "fulfilled"
    assert imported.paid_at == datetime(2024, 3, 5, 6, 5, tzinfo=UTC)
    assert imported.order.placed_at == datetime(2024, 3, 5, 6, 2, 11, tzinfo=UTC)
    assert imported.order.payment_method == "card"
    second.fields["customer_id"] = "7353446383902"
    pending = order_row(second, BOUNDS)
    assert (pending.status, pending.order.payment_method, pending.order.total) == (
        "placed",
        "cash_on_delivery",
        4550,
    )
    assert pending.order.lines[0].category == "uncategorized"


def test_cancelled_and_refunded_orders_keep_their_status() -> None:
    text = ORDER_HEADER + "\r\n"
    common = {"currency": "USD", "created_at": "2024-01-02 10:00:00 -0500"}
    text += order_csv_row(
        name="#1",
        email="a@example.com",
        financial_status="refunded",
        lineitem_quantity="1",
        lineitem_name="A",
        lineitem_price="1.00",
        **common,
    )
    text += order_csv_row(
        name="#2",
        email="a@example.com",
        financial_status="paid",
        cancelled_at="2024-01-03 10:00:00 -0500",
        lineitem_quantity="1",
        lineitem_name="B",
        lineitem_price="2.00",
        **common,
    )
    assert [r.fields["status"] for r in order_rows(text)] == ["refunded", "cancelled"]


def test_a_price_that_is_not_money_is_rejected_naming_the_line_field() -> None:
    text = (
        ORDER_HEADER
        + "\r\n"
        + order_csv_row(
            name="#9",
            email="a@example.com",
            currency="USD",
            created_at="2024-01-02 10:00:00 -0500",
            lineitem_quantity="1",
            lineitem_name="A",
            lineitem_price="1.005",
        )
    )
    (row,) = order_rows(text)
    row.fields["customer_id"] = "c1"
    with pytest.raises(InvalidInput) as refused:
        order_row(row, BOUNDS)
    assert refused.value.field == "lines[0].unit_price"


def test_money_in_each_currency_exponent() -> None:
    assert minor_units("12.34", "USD") == 1234
    assert minor_units("1200", "JPY") == 1200
    assert minor_units("1.234", "KWD") == 1234
    assert minor_units("1,234.50", "USD") == 123450
    assert minor_units("abc", "USD") == "abc"


def test_payment_gateways_map_to_the_api_methods() -> None:
    assert payment_method("PayPal Express Checkout") == "wallet"
    assert payment_method("Gift Card") == "gift_card"
    assert payment_method("manual") == "other"


def test_a_file_without_the_export_columns_is_malformed() -> None:
    with pytest.raises(MalformedFile, match="no column Name"):
        order_rows("Order,Email\r\n1,a@example.com\r\n")


def test_an_unterminated_quote_is_malformed() -> None:
    text = ORDER_HEADER + '\r\n#1,"a@example.com\r\n'
    with pytest.raises(MalformedFile, match="line"):
        order_rows(text)
