"""Shop activity in the profile: viewed products in recommendations; export and erasure."""

from __future__ import annotations

from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.test_cart_events import POT, TEA, event, reminders, send
from tests.functional.test_orders import order, post, signup

BOOK = {"sku": "BOOK-7", "name": "Tea atlas", "category": "books", "quantity": 1,
        "unit_price": 9900}  # fmt: skip


def test_products_viewed_and_not_bought_lead_the_recommendations(stack: Stack) -> None:
    signup(stack, "c-1")
    assert post(stack, order("o-1", "c-1")).status_code == 201  # TEA-1 and CUP-1 bought
    stack.pump()
    short = event("v-1", "c-1", "product_viewed", items=[POT], seconds_viewed=20)
    long = event("v-2", "c-1", "product_viewed", items=[BOOK], seconds_viewed=400)
    bought = event("v-3", "c-1", "product_viewed", seconds_viewed=900,
                   items=[{**TEA, "sku": "TEA-1"}])  # fmt: skip
    for body in (short, long, bought):
        assert send(stack, body).status_code == 201
    for path in ("/v1/customers/c-1", "/v1/customers/c-1/recommendations"):
        found = stack.http.get(path, headers=STORE).json_body["recommendations"]
        assert [(r["id"], r["reason"]) for r in found[:2]] == [
            ("BOOK-7", "viewed"),
            ("POT-2", "viewed"),
        ], path
        assert found[0]["name"] == "Tea atlas"
        assert "TEA-1" not in [r["id"] for r in found]


def test_activity_is_exported_and_deleted_by_an_erasure(stack: Stack) -> None:
    signup(stack, "c-1")
    assert send(stack, event("e-1", "c-1")).status_code == 201
    view = event("v-1", "c-1", "product_viewed", items=[BOOK], seconds_viewed=40)
    assert send(stack, view).status_code == 201
    exported = stack.http.get("/v1/admin/customers/c-1/export", headers=ADMIN).json_body
    records = {item["record"]: item for item in exported["shop_activity"]}
    assert set(records) == {"event#e-1", "event#v-1", "cart", "view#BOOK-7"}
    assert records["cart"]["items"][0]["name"] == "Oolong tea"
    erased = stack.http.delete("/v1/admin/customers/c-1", headers=ADMIN)
    assert erased.status_code == 200, erased.body
    table = stack.env["RAPPORT_ACTIVITY_TABLE"]
    items = stack.dynamodb().query(
        TableName=table,
        KeyConditionExpression="customer_id = :c",
        ExpressionAttributeValues={":c": {"S": "c-1"}},
    )["Items"]
    assert items == []
    assert reminders(stack)["due"] == 0  # the erased customer's cart is never reminded
