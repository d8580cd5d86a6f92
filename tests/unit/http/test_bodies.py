"""json_body: integral JSON numbers are integers, whatever their notation."""

from __future__ import annotations

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.http.bodies import json_body


@pytest.mark.parametrize(("literal", "value"), [("2", 2), ("2.0", 2), ("1e3", 1000), ("-0.0", 0)])
def test_an_integral_number_is_an_int(literal: str, value: int) -> None:
    parsed = json_body(f'{{"n": {literal}}}')["n"]
    assert parsed == value and type(parsed) is int


@pytest.mark.parametrize("literal", ["2.5", "1e-3", "1e300", "9007199254740993.0"])
def test_a_fraction_or_an_inexact_number_stays_a_float(literal: str) -> None:
    assert type(json_body(f'{{"n": {literal}}}')["n"]) is float


def test_a_quantity_written_2_0_is_accepted_as_2() -> None:
    from chalicelib.domain.orders import parse_order

    body = json_body(
        '{"order_id": "o-1", "customer_id": "c-1", "placed_at": "2026-11-01T10:00:00+08:00",'
        ' "currency": "CNY", "total": 200.0, "payment_method": "card", "lines":'
        ' [{"sku": "S", "name": "N", "category": "C", "quantity": 2.0, "unit_price": 100}]}'
    )
    assert parse_order(body).lines[0].quantity == 2


def test_a_real_fraction_is_still_refused_naming_the_field() -> None:
    from chalicelib.domain.orders import parse_order

    body = json_body(
        '{"order_id": "o-1", "customer_id": "c-1", "placed_at": "2026-11-01T10:00:00+08:00",'
        ' "currency": "CNY", "total": 250, "payment_method": "card", "lines":'
        ' [{"sku": "S", "name": "N", "category": "C", "quantity": 2.5, "unit_price": 100}]}'
    )
    with pytest.raises(InvalidInput) as error:
        parse_order(body)
    assert error.value.field == "lines[0].quantity"
