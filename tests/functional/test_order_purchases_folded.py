"""An order's purchases ride in its count: one read and one transaction on the stream.

Orders go through the API and the orders stream (moto); the orders stream's records
are also delivered again as Lambda would redeliver them (the stored order's image as
an ``INSERT``). The requests the app's client makes are counted with botocore's
``before-call`` event.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import bootstrap
from chalicelib.adapters import codec
from chalicelib.domain.order_purchases import FOLDED_SKUS
from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.purchase_reads import replenishables
from tests.functional.shipment_fixtures import sign_up

SETTINGS = {"quiet_hours_start": 0, "quiet_hours_end": 0, "replenishment_categories": {"tea": 30}}
PLACED = datetime.now(UTC) - timedelta(days=3)


def lines(count: int) -> list[dict[str, Any]]:
    return [
        {"sku": f"TEA-{n}", "name": f"Tea {n}", "category": "tea", "quantity": 1, "unit_price": 100}
        for n in range(count)
    ]


def place(stack: Stack, order_id: str, customer_id: str, bought: list[dict[str, Any]]) -> None:
    body = {
        "order_id": order_id,
        "customer_id": customer_id,
        "placed_at": PLACED.isoformat(),
        "currency": "CNY",
        "lines": bought,
        "total": sum(line["unit_price"] * line["quantity"] for line in bought),
        "payment_method": "card",
    }
    answer = stack.http.post("/v1/orders", headers=STORE, body=json.dumps(body))
    assert answer.status_code == 201, answer.body


@contextmanager
def requests() -> Iterator[tuple[Counter[str], list[int]]]:
    """The app's DynamoDB requests by operation, and each transaction's size."""
    counted: Counter[str] = Counter()
    sizes: list[int] = []

    def count(event_name: str, **_: Any) -> None:
        counted[event_name.rsplit(".", 1)[-1]] += 1

    def size(params: dict[str, Any], **_: Any) -> None:
        sizes.append(len(params["TransactItems"]))

    events = bootstrap.container().client("dynamodb").meta.events
    events.register("before-call.dynamodb.*", count)
    events.register("before-parameter-build.dynamodb.TransactWriteItems", size)
    try:
        yield counted, sizes
    finally:
        events.unregister("before-call.dynamodb.*", count)
        events.unregister("before-parameter-build.dynamodb.TransactWriteItems", size)


def purchase_items(stack: Stack, order_id: str) -> dict[str, dict[str, Any]]:
    answer = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_ORDERS_TABLE"],
        KeyConditionExpression="order_id = :o AND begins_with(#r, :p)",
        ExpressionAttributeNames={"#r": "record"},
        ExpressionAttributeValues={":o": {"S": order_id}, ":p": {"S": "purchase#"}},
    )
    return {i["record"]["S"]: codec.from_item(i) for i in answer["Items"]}


def buyers(stack: Stack, sku: str) -> list[str]:
    answer = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_ORDERS_TABLE"],
        IndexName="sku-buyers",
        KeyConditionExpression="purchase_sku = :s",
        ExpressionAttributeValues={":s": {"S": sku}},
    )
    return [i["customer_id"]["S"] for i in answer["Items"]]


def redelivered(stack: Stack, order_id: str) -> dict[str, Any]:
    """The order's ``INSERT`` record again, as the orders stream carries it."""
    key = {"order_id": {"S": order_id}, "record": {"S": "order"}}
    item = stack.dynamodb().get_item(TableName=stack.env["RAPPORT_ORDERS_TABLE"], Key=key)
    image = dict(item["Item"])
    image["status"] = {"S": "placed"}
    image.pop("status_history", None)
    record = {
        "eventID": f"again-{order_id}",
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "Keys": key,
            "NewImage": image,
            "SequenceNumber": "9900000000000000000001",
            "SizeBytes": 900,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
        "eventSourceARN": stack.env["RAPPORT_ORDERS_STREAM_ARN"],
    }
    return {"Records": [record]}


def shop(stack: Stack, *customers: str) -> None:
    answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=json.dumps(SETTINGS))
    assert answer.status_code == 200, answer.body
    for customer_id in customers:
        sign_up(stack, customer_id)
    stack.pump()


def test_the_count_reads_once_and_writes_the_purchases_in_its_transaction(stack: Stack) -> None:
    shop(stack, "c-f1")
    place(stack, "o-f1", "c-f1", lines(2))
    with requests() as (counted, sizes):
        stack.pump()
    assert counted["BatchGetItem"] == 1
    assert counted["GetItem"] == 0 and counted["PutItem"] == 0
    # the count, then the confirmation sent (claimed and marked by the mailer)
    assert counted["TransactWriteItems"] == 2 and counted["UpdateItem"] == 1
    assert sorted(purchase_items(stack, "o-f1")) == ["purchase#TEA-0", "purchase#TEA-1"]
    kept = replenishables(stack, "c-f1")
    assert [p["order_id"] for p in kept["TEA-1"]["purchases"]] == ["o-f1"]
    assert kept["TEA-1"]["replenish_due"] == (PLACED.date() + timedelta(days=30)).isoformat()
    assert buyers(stack, "TEA-0") == ["c-f1"]


def test_an_order_of_sixty_skus_keeps_each_transaction_within_100_actions(stack: Stack) -> None:
    shop(stack, "c-f2")
    place(stack, "o-f2", "c-f2", lines(60))
    with requests() as (counted, sizes):
        stack.pump()
    assert sizes and max(sizes) <= 100
    assert counted["PutItem"] == 2 * (60 - FOLDED_SKUS)  # the skus past the transaction
    assert len(purchase_items(stack, "o-f2")) == 60
    kept = replenishables(stack, "c-f2")
    assert len(kept) == 60
    assert all([p["order_id"] for p in item["purchases"]] == ["o-f2"] for item in kept.values())
    # Lambda delivers the record again: nothing is written twice
    assert stack.client.lambda_.invoke("on_order", redelivered(stack, "o-f2")).payload == {
        "batchItemFailures": []
    }
    kept = replenishables(stack, "c-f2")
    assert all(len(item["purchases"]) == 1 for item in kept.values())
    assert all(buyers(stack, f"TEA-{n}") == ["c-f2"] for n in (0, 44, 45, 59))


def test_a_replayed_placement_never_brings_a_withdrawn_purchase_back(stack: Stack) -> None:
    shop(stack, "c-f3")
    place(stack, "o-f3", "c-f3", lines(50))
    stack.pump()
    cancel = json.dumps({"status": "cancelled"})
    assert stack.http.patch("/v1/orders/o-f3", headers=STORE, body=cancel).status_code == 200
    stack.pump()
    assert buyers(stack, "TEA-0") == [] and buyers(stack, "TEA-49") == []
    assert stack.client.lambda_.invoke("on_order", redelivered(stack, "o-f3")).payload == {
        "batchItemFailures": []
    }
    assert buyers(stack, "TEA-0") == [] and buyers(stack, "TEA-49") == []
    items = purchase_items(stack, "o-f3")
    assert len(items) == 50 and all("withdrawn_at" in item for item in items.values())
    kept = replenishables(stack, "c-f3")
    assert kept["TEA-0"]["purchases"] == [] and "replenish_due" not in kept["TEA-0"]


def test_a_replenishable_item_changed_meanwhile_is_read_again(stack: Stack) -> None:
    """Another change of the customer's item between the read and the commit: the count
    is refused as a whole, read again and applied once, keeping both purchases."""
    shop(stack, "c-f4")
    place(stack, "o-f4a", "c-f4", lines(1))
    stack.pump()
    place(stack, "o-f4b", "c-f4", lines(1))
    client = bootstrap.container().client("dynamodb")
    timeline = stack.env["RAPPORT_TIMELINE_TABLE"]
    moved = []

    def concurrent(**_: Any) -> None:
        if not moved:
            moved.append(True)
            stack.dynamodb().update_item(
                TableName=timeline,
                Key={"customer_id": {"S": "c-f4"}, "entry_key": {"S": "replenish#TEA-0"}},
                UpdateExpression="ADD revision :one",
                ExpressionAttributeValues={":one": {"N": "1"}},
            )

    client.meta.events.register("before-call.dynamodb.TransactWriteItems", concurrent)
    try:
        stack.pump()
    finally:
        client.meta.events.unregister("before-call.dynamodb.TransactWriteItems", concurrent)
    assert moved
    kept = replenishables(stack, "c-f4")["TEA-0"]
    assert [p["order_id"] for p in kept["purchases"]] == ["o-f4a", "o-f4b"]
    assert int(kept["revision"]) == 3
    answer = stack.http.get("/v1/customers/c-f4", headers=STORE)
    assert answer.json_body["stats"]["orders"] == 2
