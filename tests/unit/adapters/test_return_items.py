"""A return item, as the returns route stores it, decodes into the domain's StoredReturn."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.adapters.returns_repository import stored_return_from_item
from chalicelib.domain.returns import ReturnLine, ReturnRequest, StoredReturn

ITEM = {
    "order_id": "o-1",
    "record": "return#r-1",
    "return_id": "r-1",
    "customer_id": "c-1",
    "kind": "exchange",
    "lines": [
        {
            "sku": "TEE-M",
            "name": "Linen tee",
            "quantity": 2,
            "unit_price": 12900,
            "wanted_variant": "TEE-L",
        },
    ],  # fmt: skip
    "refund_amount": 0,
    "currency": "CNY",
    "reason": "too small",
    "status": "requested",
    "created_at": "2026-11-20T08:30:00.000Z",
    "request_digest": "d",
    "correlation_id": None,
}


def test_a_stored_exchange_decodes_with_its_lines_and_refunds_nothing() -> None:
    returned = stored_return_from_item(ITEM)
    line = ReturnLine("TEE-M", 2, "TEE-L")
    assert returned == StoredReturn(
        ReturnRequest("r-1", "o-1", (line,), "too small", "exchange"), 0
    )
    assert returned.refund == 0


def test_a_stored_refund_gives_back_its_amount() -> None:
    returned = stored_return_from_item({**ITEM, "kind": "refund", "refund_amount": 25800})
    assert (returned.request.kind, returned.refund) == ("refund", 25800)
    exchange = replace(returned, request=replace(returned.request, kind="exchange"))
    assert exchange.refund == 0
