"""Order payload validation and the order status machine."""

from __future__ import annotations

import copy
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.exceptions import Conflict, InvalidInput, InvalidTransition
from chalicelib.domain.orders import (
    GIFT_OCCASIONS,
    ISO_4217,
    MAX_LINES,
    MAX_MINOR_UNITS,
    MAX_QUANTITY,
    ORDER_STATUSES,
    PAYMENT_METHODS,
    Gift,
    Order,
    OrderLine,
    counts_toward_stats,
    parse_order,
    transition,
)
from chalicelib.domain.times import TimeBounds

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
BOUNDS = TimeBounds(NOW, timedelta(minutes=10))


def parse(body: Any) -> Order:
    """Parse as ``POST /v1/orders`` does, as of ``NOW``."""
    return parse_order(body, bounds=BOUNDS)


def payload(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "order_id": "ord-1001",
        "customer_id": "cust-42",
        "placed_at": "2025-05-10T09:30:00+08:00",
        "currency": "USD",
        "lines": [
            {"sku": "LAP-13", "name": "Laptop 13", "category": "laptop", "quantity": 1,
             "unit_price": 99_900},
            {"sku": "BAG-1", "name": "Sleeve", "category": "bags", "quantity": 2,
             "unit_price": 1_550},
        ],
        "total": 103_000,
        "payment_method": "card",
    }  # fmt: skip
    body.update(changes)
    return body


def field_of(body: Any) -> str | None:
    with pytest.raises(InvalidInput) as caught:
        parse(body)
    return caught.value.field


def test_valid_order_parses() -> None:
    order = parse(payload(gift={"occasion": "birthday"}))
    assert order.order_id == "ord-1001"
    assert order.customer_id == "cust-42"
    assert order.placed_at == datetime(2025, 5, 10, 1, 30, tzinfo=UTC)
    assert order.placed_at.utcoffset() == timedelta(hours=8)
    assert order.lines[1] == OrderLine("BAG-1", "Sleeve", "bags", 2, 1_550)
    assert order.lines[1].amount == 3_100
    assert order.total == 103_000
    assert order.gift == Gift("birthday")
    assert order.currency_exponent == 2
    assert order.skus == {"LAP-13", "BAG-1"}
    assert order.categories == {"laptop", "bags"}


def test_payload_round_trip() -> None:
    for body in (payload(), payload(gift={"occasion": "wedding"})):
        order = parse(body)
        assert parse(order.to_payload()) == order
    assert "gift" not in parse(payload()).to_payload()


def test_input_is_not_mutated() -> None:
    body = payload()
    before = copy.deepcopy(body)
    parse(body)
    assert body == before


def test_body_must_be_an_object() -> None:
    bodies: list[Any] = [[], "order", None, 3]
    for body in bodies:
        with pytest.raises(InvalidInput):
            parse(body)


def test_unknown_field_is_named() -> None:
    assert field_of(payload(coupon="X")) == "coupon"


@pytest.mark.parametrize(
    "name",
    ["order_id", "customer_id", "placed_at", "currency", "lines", "total", "payment_method"],
)
def test_missing_field_is_named(name: str) -> None:
    body = payload()
    del body[name]
    assert field_of(body) == name
    assert field_of(payload(**{name: None})) == name


@pytest.mark.parametrize("name", ["order_id", "customer_id"])
@pytest.mark.parametrize("value", ["", "a b", "x" * 129, 12, "é"])
def test_bad_ids(name: str, value: Any) -> None:
    assert field_of(payload(**{name: value})) == name


@pytest.mark.parametrize(
    "value",
    ["2025-05-10T09:30:00", "2025-05-10", "yesterday", "2025-13-01T00:00:00Z", 1715300000, ""],
)
def test_placed_at_needs_iso_8601_with_a_time_zone(value: Any) -> None:
    assert field_of(payload(placed_at=value)) == "placed_at"


@pytest.mark.parametrize(
    "value",
    [
        "2030-01-01T00:00:00Z",
        "2026-12-01T12:10:00.001Z",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-12:00",
        "9999-12-31T00:00:00+00:00",
        "1900-01-01T00:00:00+00:00",
        "1999-12-31T23:59:59.999Z",
    ],
)
def test_placed_at_lies_from_2000_to_now_plus_the_skew_allowance(value: str) -> None:
    assert field_of(payload(placed_at=value)) == "placed_at"


def test_placed_at_takes_a_few_minutes_of_clock_skew() -> None:
    assert parse(payload(placed_at="2026-12-01T20:10:00+08:00")).placed_at == NOW + timedelta(
        minutes=10
    )
    assert parse(payload(placed_at="2000-01-01T00:00:00Z")).placed_at.year == 2000


def test_a_stored_order_is_rebuilt_without_bounds() -> None:
    stored = payload(placed_at="2030-01-01T00:00:00Z")
    assert parse_order(stored, bounds=None).placed_at.year == 2030


def test_placed_at_accepts_z_and_offsets() -> None:
    assert parse(payload(placed_at="2025-05-10T01:30:00Z")).placed_at == datetime(
        2025, 5, 10, 1, 30, tzinfo=UTC
    )
    assert parse(payload(placed_at="2025-05-09T21:30:00.250-04:00")).placed_at == datetime(
        2025, 5, 10, 1, 30, 0, 250_000, tzinfo=UTC
    )


@pytest.mark.parametrize("value", ["XYZ", "usd", "US", "HRK", "ANG", "XAU", "XXX", 840, ""])
def test_unknown_currency(value: Any) -> None:
    assert field_of(payload(currency=value)) == "currency"


def test_currency_table() -> None:
    assert len(ISO_4217) >= 150
    assert all(len(code) == 3 and code.isalpha() and code.isupper() for code in ISO_4217)
    expected = {"USD": 2, "EUR": 2, "CNY": 2, "JPY": 0, "KRW": 0, "VND": 0, "ISK": 0,
                "KWD": 3, "BHD": 3, "TND": 3, "CLF": 4, "UYW": 4, "XCG": 2, "ZWG": 2,
                "SLE": 2, "VES": 2, "MRU": 2, "STN": 2, "XOF": 0, "XAF": 0, "XPF": 0}  # fmt: skip
    for code, exponent in expected.items():
        assert ISO_4217[code] == exponent, code
    assert set(ISO_4217.values()) == {0, 2, 3, 4}
    for gone in ("XDR", "XAU", "XTS", "HRK", "SLL", "ZWL", "VEF", "MRO", "STD"):
        assert gone not in ISO_4217


@pytest.mark.parametrize("currency", ["JPY", "KWD", "CLF"])
def test_any_exponent_currency_is_accepted(currency: str) -> None:
    assert parse(payload(currency=currency)).currency == currency


@pytest.mark.parametrize("value", [[], {}, "lines", None])
def test_lines_must_be_a_non_empty_list(value: Any) -> None:
    assert field_of(payload(lines=value)) == "lines"


def test_too_many_lines() -> None:
    line = {"sku": "A", "name": "A", "category": "c", "quantity": 1, "unit_price": 1}
    assert field_of(payload(lines=[line] * (MAX_LINES + 1), total=MAX_LINES + 1)) == "lines"
    assert len(parse(payload(lines=[line] * MAX_LINES, total=MAX_LINES)).lines) == MAX_LINES


def with_line(index: int, **changes: Any) -> dict[str, Any]:
    body = payload()
    body["lines"][index].update(changes)
    return body


def test_line_must_be_an_object() -> None:
    assert field_of(payload(lines=["LAP-13"])) == "lines[0]"


def test_unknown_line_field() -> None:
    assert field_of(with_line(1, color="red")) == "lines[1].color"


@pytest.mark.parametrize("name", ["sku", "name", "category", "quantity", "unit_price"])
def test_missing_line_field(name: str) -> None:
    body = payload()
    del body["lines"][1][name]
    assert field_of(body) == f"lines[1].{name}"


@pytest.mark.parametrize("name", ["sku", "name", "category"])
@pytest.mark.parametrize("value", ["", "   ", 7, "x" * 201])
def test_bad_line_text(name: str, value: Any) -> None:
    assert field_of(with_line(0, **{name: value})) == f"lines[0].{name}"


@pytest.mark.parametrize("value", [0, -1, 1.5, 2.0, "2", True, MAX_QUANTITY + 1])
def test_quantity_must_be_a_positive_integer(value: Any) -> None:
    assert field_of(with_line(0, quantity=value)) == "lines[0].quantity"


@pytest.mark.parametrize("value", [-1, 9.99, 100.0, "999", True, MAX_MINOR_UNITS])
def test_unit_price_must_be_non_negative_minor_units(value: Any) -> None:
    assert field_of(with_line(1, unit_price=value)) == "lines[1].unit_price"


def test_free_items_are_allowed() -> None:
    order = parse(with_line(1, unit_price=0) | {"total": 99_900})
    assert order.lines[1].amount == 0


@pytest.mark.parametrize("value", [103_000.0, "103000", -103_000, False, MAX_MINOR_UNITS])
def test_total_must_be_minor_units(value: Any) -> None:
    assert field_of(payload(total=value)) == "total"


@pytest.mark.parametrize("value", [102_999, 103_001, 0, 99_900])
def test_total_must_equal_the_sum_of_the_lines(value: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(payload(total=value))
    assert caught.value.field == "total"
    assert "103000" in caught.value.message


@pytest.mark.parametrize("method", PAYMENT_METHODS)
def test_payment_methods(method: str) -> None:
    assert parse(payload(payment_method=method)).payment_method == method


def test_documented_payment_methods_present() -> None:
    for method in ("card", "cash_on_delivery", "convenience_store", "bank_transfer", "wallet"):
        assert method in PAYMENT_METHODS


@pytest.mark.parametrize("value", ["bitcoin", "Card", "", 1])
def test_unknown_payment_method(value: Any) -> None:
    assert field_of(payload(payment_method=value)) == "payment_method"


@pytest.mark.parametrize("occasion", GIFT_OCCASIONS)
def test_gift_occasions(occasion: str) -> None:
    assert parse(payload(gift={"occasion": occasion})).gift == Gift(occasion)


def test_gift_vocabulary() -> None:
    assert set(GIFT_OCCASIONS) == {"birthday", "anniversary", "holiday", "wedding", "baby", "other"}


def test_null_gift_means_no_gift() -> None:
    assert parse(payload(gift=None)).gift is None


@pytest.mark.parametrize(
    ("gift", "field"),
    [
        ({"occasion": "graduation"}, "gift.occasion"),
        ({"occasion": None}, "gift.occasion"),
        ({}, "gift.occasion"),
        ({"occasion": "birthday", "note": "x"}, "gift.note"),
        ("birthday", "gift"),
        (True, "gift"),
    ],
)
def test_bad_gift(gift: Any, field: str) -> None:
    assert field_of(payload(gift=gift)) == field


def test_first_error_follows_field_order() -> None:
    assert field_of(payload(order_id="", currency="XYZ")) == "order_id"
    assert field_of(payload(currency="XYZ", total=1)) == "currency"


def test_order_is_frozen() -> None:
    order = parse(payload())
    with pytest.raises(AttributeError):
        order.total = 1  # type: ignore[misc]
    assert isinstance(order, Order)


ALLOWED = {
    ("placed", "paid"),
    ("placed", "cancelled"),
    ("paid", "fulfilled"),
    ("paid", "cancelled"),
    ("paid", "refunded"),
    ("fulfilled", "refunded"),
}


@pytest.mark.parametrize(("current", "new"), sorted(ALLOWED))
def test_allowed_transitions(current: str, new: str) -> None:
    assert transition(current, new) == new


@pytest.mark.parametrize("status", ORDER_STATUSES)
def test_same_status_is_a_no_op(status: str) -> None:
    assert transition(status, status) == status


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (a, b)
        for a, b in itertools.product(ORDER_STATUSES, repeat=2)
        if a != b and (a, b) not in ALLOWED
    ],
)
def test_impossible_transitions(current: str, new: str) -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition(current, new)
    assert caught.value.field == "status"
    assert isinstance(caught.value, Conflict)


def test_final_statuses() -> None:
    for final in ("cancelled", "refunded"):
        for other in ORDER_STATUSES:
            if other != final:
                with pytest.raises(InvalidTransition):
                    transition(final, other)


@pytest.mark.parametrize(("current", "new"), [("placed", "shipped"), ("lost", "paid"), ("", "")])
def test_unknown_status(current: str, new: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        transition(current, new)
    assert caught.value.field == "status"
    assert not isinstance(caught.value, InvalidTransition)


def test_counts_toward_stats() -> None:
    assert {s for s in ORDER_STATUSES if counts_toward_stats(s)} == {"placed", "paid", "fulfilled"}
    assert not counts_toward_stats("cancelled")
    assert not counts_toward_stats("refunded")
    assert not counts_toward_stats("unknown")
