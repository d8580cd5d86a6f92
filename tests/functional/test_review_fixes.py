"""Cases a review found: pagination input, refunds after returns, late payments."""

from __future__ import annotations

import base64
import json

import pytest

from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.test_orders import order, post, profile, signup, status


@pytest.mark.parametrize(
    "query",
    [
        "limit=%C2%B2",  # a superscript two is a digit to Python, not to us
        "cursor=" + base64.urlsafe_b64encode(b'{"x": 1}').decode().rstrip("="),
        "cursor=" + base64.urlsafe_b64encode(b'{"x": {"S": "1"}}').decode().rstrip("="),
    ],
)
def test_bad_paging_input_is_400_not_500(stack: Stack, query: str) -> None:
    for path in ("/v1/admin/messages", "/v1/admin/customers/c-1/messages"):
        response = stack.http.get(f"{path}?{query}", headers=ADMIN)
        assert response.status_code == 400, (path, response.body)


def test_refund_after_a_partial_return_takes_back_only_the_rest(stack: Stack) -> None:
    from chalicelib import bootstrap
    from chalicelib.domain.returns import ReturnLine, ReturnRequest, StoredReturn
    from chalicelib.services.return_events import return_requested

    signup(stack, "c-1")
    post(stack, order("o-1", "c-1", total=12_000))
    status(stack, "o-1", "paid")
    stack.pump()
    deps = bootstrap.container().order_deps
    request = ReturnRequest("r-1", "o-1", (ReturnLine("TEA-1", 1),), "too big", "refund")
    assert return_requested(StoredReturn(request, 3_000), deps, None) == "applied"
    mid = profile(stack, "c-1")
    assert (mid["stats"]["spent"], mid["points"]) == (9_000, 90)
    status(stack, "o-1", "refunded")
    stack.pump()
    end = profile(stack, "c-1")
    assert (end["stats"]["orders"], end["stats"]["spent"], end["points"]) == (0, 0, 0)


def test_payment_seen_after_cancellation_awards_nothing(stack: Stack) -> None:
    from chalicelib import bootstrap
    from chalicelib.adapters.orders_repository import order_from_item
    from chalicelib.services.order_events import order_paid, order_reversed

    signup(stack, "c-1")
    post(stack, order("o-1", "c-1", total=12_000))
    stack.pump()
    deps = bootstrap.container().order_deps
    placed = order_from_item(deps.orders.get("o-1"))
    assert order_reversed(placed, "cancelled", False, deps, None) == "applied"
    assert order_paid(placed, deps, None) == "superseded"
    assert profile(stack, "c-1")["points"] == 0


def test_returns_of_a_cancelled_order_are_refused(stack: Stack) -> None:
    signup(stack, "c-1")
    post(stack, order("o-1", "c-1"))
    status(stack, "o-1", "cancelled")
    body = {
        "return_id": "r-9",
        "order_id": "o-1",
        "lines": [{"sku": "TEA-1", "quantity": 1}],
        "reason": "changed my mind",
        "kind": "refund",
    }
    response = stack.http.post("/v1/returns", headers=STORE, body=json.dumps(body))
    assert response.status_code == 422 and response.json_body["error"]["field"] == "order_id"
