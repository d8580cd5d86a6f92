"""Returns and exchanges: window from delivery, delivered quantities, idempotency, mail."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.mail.render import render
from tests.functional.conftest import STORE, Stack
from tests.functional.shipment_fixtures import (
    LINES,
    pump,
    put_order,
    register,
    scan_delivered,
    sign_up,
)


def _deliver(stack: Stack, tracking_number: str, days_ago: float) -> None:
    delivered_at = datetime.now(UTC) - timedelta(days=days_ago)
    scan_delivered(stack, tracking_number, delivered_at, transit_hours=30)
    pump(stack)


def _return(stack: Stack, **changes: Any) -> Any:
    body = {
        "return_id": "r-1",
        "order_id": "o-ret",
        "lines": [{"sku": "TEE-M", "quantity": 1}],
        "reason": "too small",
        "kind": "refund",
        **changes,
    }
    return stack.http.post("/v1/returns", headers=STORE, body=json.dumps(body))


@pytest.fixture()
def order(stack: Stack) -> Stack:
    sign_up(stack, "c-ret")
    put_order(stack, "o-ret", "c-ret", LINES)
    return stack


def test_a_refund_within_the_window_is_recorded_once(order: Stack) -> None:
    stack = order
    assert _return(stack, order_id="o-none").status_code == 404
    assert register(stack, "RET0001", "o-ret").status_code == 201
    not_yet = _return(stack)
    assert (
        not_yet.status_code == 422 and "not been delivered" in not_yet.json_body["error"]["message"]
    )
    _deliver(stack, "RET0001", days_ago=2)
    created = _return(stack, lines=[{"sku": "TEE-M", "quantity": 2}])
    assert created.status_code == 201, created.body
    body = created.json_body
    assert body["refund_amount"] == 25800 and body["currency"] == "CNY"
    assert body["status"] == "requested" and body["customer_id"] == "c-ret"
    assert body["lines"] == [
        {
            "sku": "TEE-M",
            "name": "Linen tee",
            "quantity": 2,
            "unit_price": 12900,
            "wanted_variant": None,
        }
    ]
    replay = _return(stack, lines=[{"sku": "TEE-M", "quantity": 2}])
    assert replay.status_code == 200 and replay.json_body == body
    assert _return(stack).status_code == 409  # same id, another request
    more = _return(stack, return_id="r-2")
    assert more.status_code == 422 and more.json_body["error"]["field"] == "lines[0].quantity"
    cap = _return(stack, return_id="r-3", lines=[{"sku": "CAP", "quantity": 1}])
    assert cap.status_code == 201 and cap.json_body["refund_amount"] == 5900
    stored = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_ORDERS_TABLE"],
        Key={"order_id": {"S": "o-ret"}, "record": {"S": "return#r-1"}},
    )["Item"]
    assert stored["kind"]["S"] == "refund" and stored["refund_amount"]["N"] == "25800"


def test_exchange_needs_the_variant_and_costs_nothing(order: Stack) -> None:
    stack = order
    register(stack, "RET0002", "o-ret")
    _deliver(stack, "RET0002", days_ago=1)
    missing = _return(stack, kind="exchange")
    assert missing.status_code == 400
    assert missing.json_body["error"]["field"] == "lines[0].wanted_variant"
    wrong_sku = _return(stack, lines=[{"sku": "SOCKS", "quantity": 1}])
    assert wrong_sku.status_code == 422 and wrong_sku.json_body["error"]["field"] == "lines[0].sku"
    done = _return(
        stack, kind="exchange", lines=[{"sku": "TEE-M", "quantity": 1, "wanted_variant": "L"}]
    )
    assert done.status_code == 201 and done.json_body["refund_amount"] == 0


def test_outside_the_window_is_422_with_the_dates(order: Stack) -> None:
    stack = order
    register(stack, "RET0003", "o-ret")
    _deliver(stack, "RET0003", days_ago=8)
    late = _return(stack)
    assert late.status_code == 422
    assert "return window of 7 days" in late.json_body["error"]["message"]


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
@pytest.mark.parametrize("kind", ["refund", "exchange"])
def test_return_acknowledgement_renders_with_next_steps(locale: str, kind: str) -> None:
    from chalicelib.domain.settings import StoreSettings
    from chalicelib.services.mail_context import store_context

    context = {
        "return_id": "r-9",
        "order_id": "o-9",
        "kind": kind,
        "lines": [
            {
                "name": "Linen tee",
                "quantity": 1,
                "wanted_variant": "L" if kind == "exchange" else None,
            }
        ],
        "refund_amount": "¥129.00" if kind == "refund" else "¥0.00",
        "currency": "CNY",
        "reason": "too small",
        "lang": locale,
        "name": "Ana",
        "store": store_context(StoreSettings(), locale),
        "preferences_url": "http://rapport.test/v1/preferences?t=x",
    }
    mail = render("return_ack", locale, context)
    assert "r-9" in mail.subject and "r-9" in mail.text and "Linen tee" in mail.html
    if kind == "refund":
        assert "¥129.00" in mail.text
    else:
        assert ("exchanged for L" if locale == "en" else "换成 L") in mail.text
    assert "support@shop.example" in mail.text
