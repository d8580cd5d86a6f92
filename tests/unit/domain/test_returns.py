"""Return rules: parsing, the window from delivery, returnable quantities, refunds."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.exceptions import InvalidInput, Unprocessable
from chalicelib.domain.returns import (
    check_window,
    parse_return,
    priced_lines,
    refund_amount,
    returned_quantities,
    window_days,
)

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
ORDER_LINES = [
    {"sku": "A", "name": "Tee", "quantity": 2, "unit_price": 1000},
    {"sku": "B", "name": "Cap", "quantity": 1, "unit_price": 500},
    {"sku": "A", "name": "Tee", "quantity": 1, "unit_price": 1000},
]


def _request(**changes: object) -> dict[str, object]:
    return {
        "return_id": "r-1",
        "order_id": "o-1",
        "lines": [{"sku": "A", "quantity": 1}],
        "reason": "too small",
        "kind": "refund",
        **changes,
    }


def test_parse_names_the_bad_field() -> None:
    for changes, field in (
        ({"kind": "swap"}, "kind"),
        ({"lines": []}, "lines"),
        ({"lines": [{"sku": "A", "quantity": 0}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "A", "quantity": True}]}, "lines[0].quantity"),
        ({"lines": [{"sku": "A", "quantity": 1}, {"quantity": 1}]}, "lines[1].sku"),
        ({"kind": "exchange"}, "lines[0].wanted_variant"),
        ({"reason": " "}, "reason"),
        ({"extra": 1}, "extra"),
    ):
        with pytest.raises(InvalidInput) as error:
            parse_return(_request(**changes))
        assert error.value.field == field


def test_identical_requests_share_a_digest() -> None:
    assert parse_return(_request()).digest() == parse_return(_request()).digest()
    assert parse_return(_request()).digest() != parse_return(_request(reason="x")).digest()


def test_window_counts_from_the_last_delivery() -> None:
    delivered = NOW - timedelta(days=7)
    assert check_window([delivered], NOW, 7) == delivered
    with pytest.raises(Unprocessable, match="closed on 2026-11-23"):
        check_window([delivered - timedelta(seconds=1)], NOW, 7)
    with pytest.raises(Unprocessable, match="not been delivered"):
        check_window([delivered, None], NOW, 7)
    with pytest.raises(Unprocessable, match="not been shipped"):
        check_window([], NOW, 7)


def test_quantities_are_what_was_bought_minus_active_returns() -> None:
    earlier = [
        {"return_id": "r-0", "status": "requested", "lines": [{"sku": "A", "quantity": 2}]},
        {"return_id": "r-x", "status": "rejected", "lines": [{"sku": "A", "quantity": 1}]},
        {"return_id": "r-1", "status": "requested", "lines": [{"sku": "A", "quantity": 1}]},
    ]
    already = returned_quantities(earlier, skip="r-1")
    assert already == Counter({"A": 2})
    lines = priced_lines(parse_return(_request()), ORDER_LINES, already)
    assert lines == [
        {"sku": "A", "name": "Tee", "quantity": 1, "unit_price": 1000, "wanted_variant": None}
    ]
    two = _request(lines=[{"sku": "A", "quantity": 1}, {"sku": "A", "quantity": 1}])
    with pytest.raises(Unprocessable) as error:
        priced_lines(parse_return(two), ORDER_LINES, already)
    assert error.value.field == "lines[1].quantity"
    with pytest.raises(Unprocessable) as error:
        priced_lines(
            parse_return(_request(lines=[{"sku": "Z", "quantity": 1}])), ORDER_LINES, already
        )
    assert error.value.field == "lines[0].sku"


def test_refund_and_window_setting() -> None:
    lines = [{"unit_price": 1000, "quantity": 2}, {"unit_price": 500, "quantity": 1}]
    assert refund_amount("refund", lines) == 2500
    assert refund_amount("exchange", lines) == 0

    class Settings:
        return_window_days = 14

    assert window_days(Settings()) == 14
    assert window_days(object()) == 7
