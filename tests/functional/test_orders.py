"""Orders: the API, and every order fact changing the profile exactly once."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.functional.conftest import ADMIN, STORE, Stack, run_job


def signup(stack: Stack, cid: str, **extra: Any) -> None:
    body = {"customer_id": cid, "email": f"{cid}@example.com", "name": cid.upper(), **extra}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201


def order(oid: str, cid: str, total: int = 12_000, **extra: Any) -> dict[str, Any]:
    lines = [
        {
            "sku": "TEA-1",
            "name": "Jasmine tea",
            "category": "tea",
            "quantity": 2,
            "unit_price": total // 4,
        },
        {
            "sku": "CUP-1",
            "name": "Tea cup",
            "category": "cups",
            "quantity": 1,
            "unit_price": total // 2,
        },
    ]
    return {
        "order_id": oid,
        "customer_id": cid,
        "placed_at": "2026-11-20T10:00:00+08:00",
        "currency": "CNY",
        "lines": lines,
        "total": total,
        "payment_method": "card",
        **extra,
    }


def post(stack: Stack, body: Any) -> Any:
    return stack.http.post("/v1/orders", headers=STORE, body=json.dumps(body))


def status(stack: Stack, oid: str, value: str) -> Any:
    return stack.http.patch(f"/v1/orders/{oid}", headers=STORE, body=json.dumps({"status": value}))


def profile(stack: Stack, cid: str) -> dict[str, Any]:
    return stack.http.get(f"/v1/customers/{cid}", headers=STORE).json_body


def test_order_api_answers_replays_conflicts_and_bad_input(stack: Stack) -> None:
    signup(stack, "c-1")
    assert post(stack, order("o-1", "c-1")).status_code == 201
    again = post(stack, order("o-1", "c-1"))
    assert again.status_code == 200 and again.json_body["status"] == "placed"
    assert post(stack, order("o-1", "c-1", total=16_000)).status_code == 409
    unknown = post(stack, order("o-2", "nobody"))
    assert unknown.status_code == 422 and unknown.json_body["error"]["field"] == "customer_id"
    bad_total = post(stack, {**order("o-3", "c-1"), "total": 1})
    assert bad_total.status_code == 400 and bad_total.json_body["error"]["field"] == "total"
    bad_quantity = order("o-4", "c-1")
    bad_quantity["lines"][0]["quantity"] = -1
    assert post(stack, bad_quantity).json_body["error"]["field"] == "lines[0].quantity"
    assert (
        post(stack, {**order("o-5", "c-1"), "currency": "XYZ"}).json_body["error"]["field"]
        == "currency"
    )
    stack.pump()
    other_currency = post(stack, {**order("o-6", "c-1"), "currency": "USD"})
    assert (
        other_currency.status_code == 422
        and other_currency.json_body["error"]["field"] == "currency"
    )
    assert status(stack, "o-1", "fulfilled").status_code == 409
    assert status(stack, "o-1", "shipped").status_code == 400
    assert status(stack, "nope", "paid").status_code == 404


def test_placed_paid_refunded_counts_once_and_reverses_with_points(stack: Stack) -> None:
    signup(stack, "c-1", locale="zh-CN")
    assert post(stack, order("o-1", "c-1", total=12_000)).status_code == 201
    stack.pump()
    stack.pump()
    p = profile(stack, "c-1")
    assert p["stats"]["orders"] == 1 and p["stats"]["spent"] == 12_000
    assert p["stats"]["first_order_at"] == "2026-11-20T02:00:00.000Z"
    assert p["points"] == 0
    confirmation = [m for m in stack.mails() if "订单 o-1" in m["subject"]]
    assert len(confirmation) == 1
    assert "茉莉" not in confirmation[0]["text"]  # names come from the order, not invented
    assert "Jasmine tea × 2" in confirmation[0]["text"] and "¥120.00" in confirmation[0]["text"]
    assert status(stack, "o-1", "paid").status_code == 200
    stack.pump()
    assert profile(stack, "c-1")["points"] == 120  # 1 point per yuan at 1 star
    assert status(stack, "o-1", "refunded").status_code == 200
    stack.pump()
    p = profile(stack, "c-1")
    assert p["stats"]["orders"] == 0 and p["stats"]["spent"] == 0 and p["stats"]["returns"] == 1
    assert p["points"] == 0


def test_redelivered_records_change_nothing(stack: Stack) -> None:
    signup(stack, "c-1")
    post(stack, order("o-1", "c-1"))
    status(stack, "o-1", "paid")
    stack.pump()
    before = profile(stack, "c-1")
    # every orders-stream record again, as Lambda may
    for pump in stack.pumps:
        if pump.name == "on_order":
            pump.rewind()
    stack.pump()
    after = profile(stack, "c-1")
    assert after["stats"] == before["stats"] and after["points"] == before["points"]
    assert len([m for m in stack.mails() if "o-1" in m["subject"]]) == 1


def test_referrer_earns_the_bonus_once_when_the_first_order_is_paid(stack: Stack) -> None:
    signup(stack, "ref")
    signup(stack, "new", referred_by="ref")
    post(stack, order("o-1", "new"))
    post(stack, order("o-2", "new"))
    stack.pump()
    assert profile(stack, "ref")["points"] == 0  # placed is not paid
    status(stack, "o-1", "paid")
    status(stack, "o-2", "paid")
    stack.pump()
    assert profile(stack, "ref")["points"] == 500
    subjects = [m["subject"] for m in stack.mails()]
    assert sum("Thank you for bringing NEW" in s for s in subjects) == 1
    assert sum("thank REF for us" in s for s in subjects) == 1


def test_big_spender_is_promoted_with_one_congratulation(stack: Stack) -> None:
    signup(stack, "c-1")
    post(stack, order("o-1", "c-1", total=60_000))  # 600 yuan: 2 stars from 500
    stack.pump()
    assert profile(stack, "c-1")["tier"] == 2
    promotions = [m for m in stack.mails() if "2-star member" in m["subject"]]
    assert len(promotions) == 1


def test_points_redemptions_are_idempotent_and_never_go_below_zero(stack: Stack) -> None:
    signup(stack, "c-1")
    post(stack, order("o-1", "c-1", total=12_000))
    status(stack, "o-1", "paid")
    stack.pump()
    url = "/v1/customers/c-1/points/redemptions"
    first = stack.http.post(
        url,
        headers=STORE,
        body=json.dumps({"redemption_id": "r-1", "points": 100, "reason": "sample"}),
    )
    assert first.status_code == 201 and first.json_body["balance"] == 20
    replay = stack.http.post(
        url,
        headers=STORE,
        body=json.dumps({"redemption_id": "r-1", "points": 100, "reason": "sample"}),
    )
    assert replay.status_code == 200
    assert profile(stack, "c-1")["points"] == 20
    other = stack.http.post(
        url, headers=STORE, body=json.dumps({"redemption_id": "r-1", "points": 5})
    )
    assert other.status_code == 409 and other.json_body["error"]["field"] == "redemption_id"
    too_many = stack.http.post(
        url, headers=STORE, body=json.dumps({"redemption_id": "r-2", "points": 21})
    )
    assert too_many.status_code == 409 and too_many.json_body["error"]["field"] == "points"
    assert (
        stack.http.post(
            url, headers=STORE, body=json.dumps({"redemption_id": "r-3", "points": 0})
        ).status_code
        == 400
    )


def test_recommendations_follow_store_rules_and_co_purchases(stack: Stack) -> None:
    rules = {"recommendations": {"cross_sell": {"category:tea": ["category:teapots"]}}}
    saved = stack.http.put(
        "/v1/admin/settings/customer-value", headers=ADMIN, body=json.dumps(rules)
    )
    assert saved.status_code == 200
    signup(stack, "c-1")
    signup(stack, "c-2")
    post(stack, order("o-1", "c-1"))
    post(stack, order("o-2", "c-2"))
    stack.pump()
    result = stack.http.get("/v1/customers/c-1/recommendations", headers=STORE).json_body
    assert result["recommendations"][0]["id"] == "teapots"
    assert result["recommendations"][0]["reason"] == "rule"
    assert [r["id"] for r in profile(stack, "c-1")["recommendations"]][0] == "teapots"
    assert run_job(stack, "co-purchases")["pairs"] == 1


@pytest.mark.parametrize("method", ["card", "cash_on_delivery", "convenience_store"])
def test_payment_methods_are_shown_in_the_confirmation(stack: Stack, method: str) -> None:
    signup(stack, "c-1")
    post(stack, order("o-1", "c-1", payment_method=method))
    stack.pump()
    text = stack.mails()[-1]["text"]
    label = {
        "card": "Payment: card",
        "cash_on_delivery": "cash on delivery",
        "convenience_store": "convenience store",
    }[method]
    assert label in text
