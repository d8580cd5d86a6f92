"""Admin lists of customers: one index each, highest or newest first, paged by a cursor."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.test_orders import order, post


def signup(stack: Stack, cid: str, name: str | None = None, email: str | None = None) -> None:
    body: dict[str, Any] = {"customer_id": cid, "email": email or f"{cid}@example.com"}
    if name is not None:
        body["name"] = name
    answer = stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body))
    assert answer.status_code == 201, answer.body


def get(stack: Stack, path: str) -> Any:
    return stack.http.get(path, headers=ADMIN)


def ids(stack: Stack, path: str, limit: int = 2) -> list[str]:
    """Every customer id of a list, page by page (``limit`` a page)."""
    seen: list[str] = []
    cursor = ""
    sep = "&" if "?" in path else "?"
    for _ in range(50):
        answer = get(stack, f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert answer.status_code == 200, answer.body
        seen += [item["customer_id"] for item in answer.json_body["items"]]
        cursor = answer.json_body["next_cursor"]
        if not cursor:
            return seen
    raise AssertionError("the list never ended")


def spenders(stack: Stack) -> None:
    """c-1 spends 100.00, c-2 300.00, c-3 200.00, c-4 nothing (all tier 1 by default)."""
    for cid in ("c-1", "c-2", "c-3", "c-4"):
        signup(stack, cid, name=cid.upper())
    stack.pump()
    for n, (cid, total) in enumerate((("c-1", 10_000), ("c-2", 30_000), ("c-3", 20_000))):
        assert post(stack, order(f"o-{n}", cid, total)).status_code == 201
    stack.pump()


def test_a_tier_lists_its_customers_by_trailing_spend_highest_first(stack: Stack) -> None:
    spenders(stack)
    assert ids(stack, "/v1/admin/customers?tier=1") == ["c-2", "c-3", "c-1", "c-4"]
    assert ids(stack, "/v1/admin/customers?tier=2") == []
    first = get(stack, "/v1/admin/customers?tier=1&limit=1").json_body["items"][0]
    assert first["email"] == "c-2@example.com" and first["stats"]["spent"] == 30_000


def test_top_spend_and_top_clv_rank_every_customer(stack: Stack) -> None:
    spenders(stack)
    assert ids(stack, "/v1/admin/customers?top=spend", 3) == ["c-2", "c-3", "c-1", "c-4"]
    client = stack.dynamodb()
    for cid, value in (("c-1", 900), ("c-4", 50), ("c-3", 400)):
        client.update_item(
            TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"],
            Key={"customer_id": {"S": cid}},
            UpdateExpression="SET clv_value = :v",
            ExpressionAttributeValues={":v": {"N": str(value)}},
        )
    # only customers with a predicted value are ranked by it
    assert ids(stack, "/v1/admin/customers?top=clv") == ["c-1", "c-3", "c-4"]
    bad = get(stack, "/v1/admin/customers?top=age")
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "top"


def test_signups_within_days_newest_first(stack: Stack) -> None:
    for cid in ("c-1", "c-2", "c-3"):
        signup(stack, cid)
    table = stack.env["RAPPORT_CUSTOMERS_TABLE"]
    for cid, at in (("c-1", "2026-01-05T10:00:00.000Z"), ("c-2", "2026-01-06T23:59:59.999Z")):
        stack.dynamodb().update_item(
            TableName=table,
            Key={"customer_id": {"S": cid}},
            UpdateExpression="SET created_at = :at",
            ExpressionAttributeValues={":at": {"S": at}},
        )
    span = "signed_up_from=2026-01-05&signed_up_to=2026-01-06"
    assert ids(stack, f"/v1/admin/customers?{span}", 1) == ["c-2", "c-1"]
    assert ids(stack, "/v1/admin/customers?signed_up_to=2026-01-05") == ["c-1"]
    assert ids(stack, "/v1/admin/customers?signed_up_from=2026-01-06") == ["c-3", "c-2"]
    backwards = get(stack, "/v1/admin/customers?signed_up_from=2026-01-06&signed_up_to=2026-01-05")
    assert backwards.status_code == 400
    assert backwards.json_body["error"]["field"] == "signed_up_to"
    bad = get(stack, "/v1/admin/customers?signed_up_from=yesterday")
    assert bad.status_code == 400 and bad.json_body["error"]["field"] == "signed_up_from"


def test_search_by_name_or_email_prefix_ignores_case_and_width(stack: Stack) -> None:
    signup(stack, "c-1", name="Ana Lima", email="lima@example.com")
    signup(stack, "c-2", name="王小明", email="xiaoming@example.com")
    signup(stack, "c-3", name="Bo", email="ANABEL@example.com")
    signup(stack, "c-4", name="Anabel", email="anabel2@example.com")
    signup(stack, "c-5", email="zed@example.com")
    # names first (in name order), then the other customers whose address matches
    assert ids(stack, "/v1/admin/customers?q=ANA", 1) == ["c-1", "c-4", "c-3"]
    assert ids(stack, "/v1/admin/customers?q=%EF%BC%A1na", 5) == ["c-1", "c-4", "c-3"]  # Ａna
    assert ids(stack, "/v1/admin/customers?q=%E7%8E%8B") == ["c-2"]  # 王
    assert ids(stack, "/v1/admin/customers?q=%E7%8E%8B%E5%B0%8F%E6%98%8E") == ["c-2"]  # 王小明
    assert ids(stack, "/v1/admin/customers?q=xiao") == ["c-2"]
    assert ids(stack, "/v1/admin/customers?q=nobody") == []
    renamed = stack.http.patch("/v1/customers/c-1", headers=STORE, body='{"name": "Zoe"}')
    assert renamed.status_code == 200
    assert ids(stack, "/v1/admin/customers?q=ana") == ["c-4", "c-3"]
    assert ids(stack, "/v1/admin/customers?q=zo") == ["c-1"]
    empty = get(stack, "/v1/admin/customers?q=%20")
    assert empty.status_code == 400 and empty.json_body["error"]["field"] == "q"


def test_erased_customers_leave_the_search_and_the_rankings(stack: Stack) -> None:
    signup(stack, "c-1", name="Ana")
    signup(stack, "c-2", name="Anabel")
    assert stack.http.delete("/v1/admin/customers/c-1", headers=ADMIN).status_code == 200
    assert ids(stack, "/v1/admin/customers?q=ana") == ["c-2"]
    assert ids(stack, "/v1/admin/customers?top=spend") == ["c-2"]
    assert ids(stack, "/v1/admin/customers?tier=1") == ["c-2"]


def test_loyalty_and_segment_lists_give_profiles(stack: Stack) -> None:
    signup(stack, "c-1")
    signup(stack, "c-2")
    table = stack.env["RAPPORT_CUSTOMERS_TABLE"]
    for cid, value in (("c-1", 10), ("c-2", 20)):
        stack.dynamodb().update_item(
            TableName=table,
            Key={"customer_id": {"S": cid}},
            UpdateExpression="SET loyalty = :l, segment_key = :s, clv_value = :v",
            ExpressionAttributeValues={
                ":l": {"S": "loyal"},
                ":s": {"S": "champions"},
                ":v": {"N": str(value)},
            },
        )
    assert ids(stack, "/v1/admin/customers?loyalty=loyal", 1) == ["c-1", "c-2"]
    assert ids(stack, "/v1/admin/customers?segment=champions", 1) == ["c-2", "c-1"]
    assert get(stack, "/v1/admin/customers?loyalty=fans").json_body["error"]["field"] == "loyalty"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "email"),
        ("email=a@b.co&tier=1", "tier"),
        ("tier=1&q=ana", "q"),
        ("reachable=false&signed_up_to=2026-01-01", "signed_up_from"),
        ("tier=6", "tier"),
        ("tier=x", "tier"),
        ("tier=1&cursor=abc", "cursor"),
        ("top=spend&cursor=eyJ4Ijp7IlMiOiJ5In19", "cursor"),
        ("q=ana&cursor=eyJ4Ijp7IlMiOiJ5In19", "cursor"),
        ("tier=1&limit=0", "limit"),
    ],
)
def test_a_bad_list_request_names_its_field(stack: Stack, query: str, field: str) -> None:
    answer = get(stack, f"/v1/admin/customers?{query}")
    assert answer.status_code == 400, answer.body
    assert answer.json_body["error"]["field"] == field


def test_a_cursor_of_one_list_is_refused_by_another(stack: Stack) -> None:
    spenders(stack)
    cursor = get(stack, "/v1/admin/customers?tier=1&limit=1").json_body["next_cursor"]
    refused = get(stack, f"/v1/admin/customers?top=spend&cursor={cursor}")
    assert refused.status_code == 400 and refused.json_body["error"]["field"] == "cursor"


def test_a_customers_orders_parcels_and_messages_newest_first(stack: Stack) -> None:
    from tests.functional.shipment_fixtures import register

    signup(stack, "c-1", name="Ana")
    signup(stack, "c-2", name="Bo")
    stack.pump()
    for n, day in enumerate(("2026-11-01", "2026-11-03", "2026-11-02")):
        body = {**order(f"o-{n}", "c-1"), "placed_at": f"{day}T10:00:00+00:00"}
        assert post(stack, body).status_code == 201
    assert post(stack, order("o-9", "c-2")).status_code == 201
    stack.pump()
    assert ids_of(stack, "/v1/admin/customers/c-1/orders", "order_id") == ["o-1", "o-2", "o-0"]
    messages = ids_of(stack, "/v1/admin/customers/c-1/messages", "message_key")
    assert messages[-1] == "welcome" and len(messages) == 4  # three confirmations, then welcome
    view = get(stack, "/v1/admin/customers/c-1").json_body
    assert [o["order_id"] for o in view["orders"]] == ["o-1", "o-2", "o-0"]
    assert view["orders_next_cursor"] is None and view["messages"][-1]["message_key"] == "welcome"
    assert view["shipments"] == [] and view["shipments_next_cursor"] is None
    register(stack, "1Z-1", "o-0")
    register(stack, "1Z-2", "o-1")
    parcels = ids_of(stack, "/v1/admin/customers/c-1/shipments", "tracking_number")
    assert sorted(parcels) == ["1Z-1", "1Z-2"]
    assert get(stack, "/v1/admin/customers/c-2/shipments").json_body["items"] == []
    for tail in ("orders", "shipments", "messages", "timeline"):
        assert get(stack, f"/v1/admin/customers/nobody/{tail}").status_code == 404
        foreign = get(stack, f"/v1/admin/customers/c-1/{tail}?limit=1").json_body["next_cursor"]
        refused = get(stack, f"/v1/admin/customers/c-2/{tail}?cursor={foreign}")
        assert refused.status_code == 400 and refused.json_body["error"]["field"] == "cursor"


def ids_of(stack: Stack, path: str, key: str) -> list[str]:
    """Every ``key`` of a customer's list, a page of one at a time."""
    seen: list[str] = []
    cursor = ""
    for _ in range(20):
        answer = get(stack, f"{path}?limit=1" + (f"&cursor={cursor}" if cursor else ""))
        assert answer.status_code == 200, answer.body
        seen += [item[key] for item in answer.json_body["items"]]
        cursor = answer.json_body["next_cursor"]
        if not cursor:
            return seen
    raise AssertionError("the list never ended")
