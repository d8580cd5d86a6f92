"""JSON Lines rows: the API's own fields and validation; a broken file fails whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.exceptions import InvalidInput, MalformedFile
from chalicelib.domain.import_rows import customer_row, decode, jsonl_rows, order_row
from chalicelib.domain.imports import import_id_of, object_key, parse_import_request
from chalicelib.domain.times import TimeBounds

NOW = datetime(2025, 1, 1, tzinfo=UTC)
BOUNDS = TimeBounds(NOW, timedelta(minutes=10))
ORDER = (
    '{"order_id": "o1", "customer_id": "c1", "placed_at": "2024-05-01T10:00:00Z",'
    ' "currency": "USD", "lines": [{"sku": "s", "name": "n", "category": "c",'
    ' "quantity": 2, "unit_price": 500}], "total": 1000, "payment_method": "card"'
)


def test_lines_are_numbered_and_blank_lines_skipped() -> None:
    rows = jsonl_rows('{"customer_id": "c1", "email": "a@example.com"}\n\n{"customer_id": "c2"}\n')
    assert [r.line for r in rows] == [1, 3]
    assert customer_row(rows[0], NOW).fields["email"] == "a@example.com"
    with pytest.raises(InvalidInput) as refused:
        customer_row(rows[1], NOW)
    assert refused.value.field == "email"


def test_a_line_that_is_not_json_fails_the_file() -> None:
    with pytest.raises(MalformedFile, match="line 2 is not JSON"):
        jsonl_rows('{"customer_id": "c1"}\n{"customer_id": \n')


def test_a_file_that_is_not_utf8_fails() -> None:
    assert decode("\ufeff{}".encode()) == "{}"
    with pytest.raises(MalformedFile, match="not UTF-8"):
        decode(b"\xff\xfe{")


def test_an_order_row_may_add_status_and_paid_at() -> None:
    (row,) = jsonl_rows(ORDER + ', "status": "paid", "paid_at": "2024-05-01T11:00:00Z"}')
    imported = order_row(row, BOUNDS)
    assert imported.status == "paid"
    assert imported.paid_at == datetime(2024, 5, 1, 11, tzinfo=UTC)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (', "status": "lost"', "status"),
        (', "paid_at": "2024-04-01T00:00:00Z", "status": "paid"', "paid_at"),
        (', "paid_at": "2024-05-02T00:00:00Z"', "status"),
        (', "coupon": "x"', "coupon"),
    ],
)
def test_order_rows_are_refused_naming_the_field(extra: str, field: str) -> None:
    (row,) = jsonl_rows(ORDER + extra + "}")
    with pytest.raises(InvalidInput) as refused:
        order_row(row, BOUNDS)
    assert refused.value.field == field


def test_the_import_request_and_its_keys() -> None:
    assert parse_import_request(
        {"import_id": "i1", "kind": "orders", "format": "shopify_orders_csv"}
    ) == ("i1", "orders", "shopify_orders_csv")
    with pytest.raises(InvalidInput) as refused:
        parse_import_request(
            {"import_id": "i1", "kind": "orders", "format": "shopify_customers_csv"}
        )
    assert refused.value.field == "format"
    assert import_id_of(object_key("i1")) == "i1"
    assert import_id_of(object_key("i1", "rejects.csv")) is None
