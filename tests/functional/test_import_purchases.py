"""An imported history's purchases: written by the import in its fold transactions.

Past buyers of a sku from the history are in a product-update campaign's audience (not
those whose order was refunded); old purchases mail no replenishment reminder on the
import day; the orders stream writes nothing for the imported orders; a second import
of the file writes nothing again.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import bootstrap
from chalicelib.domain.imports import object_key
from tests.functional.campaign_fixtures import SKU, campaign, post
from tests.functional.conftest import ADMIN, STORE, Stack, run_job
from tests.functional.import_helpers import deliver, jsonl, order_row, run, s3_event
from tests.functional.purchase_reads import replenishables

SETTINGS = {"quiet_hours_start": 0, "quiet_hours_end": 0, "replenishment_categories": {"tea": 30}}
NOW = datetime.now(UTC)
TODAY = NOW.date()
WRITES = ("BatchWriteItem", "TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem")


def ago(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def kettle(oid: str, cid: str, days: int, **extra: Any) -> dict[str, Any]:
    row = order_row(oid, cid, ago(days), 9_900, status="paid", **extra)
    row["lines"][0].update(sku=SKU, name="Clay kettle")
    return row


HISTORY = jsonl(
    kettle("o-h1", "c-h1", 200),
    order_row("o-h2", "c-h1", ago(150), status="paid"),
    kettle("o-h3", "c-h2", 200, paid_at=ago(200)) | {"status": "refunded"},
    order_row("o-h4", "c-h2", ago(150), status="paid"),
    order_row("o-h5", "c-h2", ago(120), status="paid"),
    order_row("o-h6", "c-h3", ago(10), status="paid"),  # due in 20 days
    order_row("o-h7", "c-h3", ago(33), status="paid"),  # due 3 days ago: inside catch-up
    order_row("o-h8", "c-h3", ago(100), status="fulfilled"),
)


def shop(stack: Stack) -> None:
    answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=json.dumps(SETTINGS))
    assert answer.status_code == 200, answer.body
    for cid in ("c-h1", "c-h2", "c-h3"):
        body = {
            "customer_id": cid,
            "email": f"{cid}@example.com",
            "name": cid.upper(),
            "consents": {"marketing": True},
        }
        assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code
    stack.pump()


def buyers(stack: Stack, sku: str) -> list[str]:
    answer = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_ORDERS_TABLE"],
        IndexName="sku-buyers",
        KeyConditionExpression="purchase_sku = :s",
        ExpressionAttributeValues={":s": {"S": sku}},
    )
    return sorted(i["customer_id"]["S"] for i in answer["Items"])


def test_imported_buyers_are_in_a_campaigns_dry_run_audience(stack: Stack) -> None:
    shop(stack)
    done = run(stack, "history", "orders", "jsonl", HISTORY)
    assert done["imported"] == 8
    assert buyers(stack, SKU) == ["c-h1"]  # c-h2's kettle was refunded
    assert buyers(stack, "SKU-o-h5") == ["c-h2"]
    answer = post(stack, campaign(dry_run=True))
    assert answer.status_code == 200, answer.body
    assert answer.json_body["recipients"] == 1
    assert "because you bought Clay kettle" in answer.json_body["samples"]["en"]["text"]
    # an imported order refunded later through the API withdraws its purchases
    refund = json.dumps({"status": "refunded"})
    assert stack.http.patch("/v1/orders/o-h1", headers=STORE, body=refund).status_code == 200
    stack.pump()
    assert buyers(stack, SKU) == []
    assert replenishables(stack, "c-h1")[SKU]["purchases"] == []


def test_old_purchases_mail_no_reminder_on_import_day_and_a_recent_one_later(
    stack: Stack,
) -> None:
    shop(stack)
    run(stack, "history", "orders", "jsonl", HISTORY)
    kept = replenishables(stack, "c-h3")
    assert sorted(kept) == ["SKU-o-h6", "SKU-o-h7", "SKU-o-h8"]
    assert kept["SKU-o-h6"]["replenish_due"] == (TODAY + timedelta(days=20)).isoformat()
    assert "replenish_due" not in kept["SKU-o-h7"] and "replenish_due" not in kept["SKU-o-h8"]
    assert kept["SKU-o-h7"]["interval_days"] == 30  # kept: a new purchase is due again
    assert "SKU-o-h3" not in replenishables(stack, "c-h2")  # refunded: nothing to refill
    assert run_job(stack, "replenishment")["queued"] == 0
    stack.pump()
    assert [m for m in stack.mails() if "replenishment" in str(m["headers"])] == []
    later = (TODAY + timedelta(days=20)).isoformat()
    assert run_job(stack, "replenishment", json.dumps({"as_of": later}))["queued"] == 1


def test_the_orders_stream_writes_nothing_for_imported_orders(stack: Stack) -> None:
    """Counted with botocore's ``before-parameter-build`` event on the app's client."""
    shop(stack)
    bucket = stack.env["RAPPORT_IMPORTS_BUCKET"]
    created = stack.http.post(
        "/v1/admin/imports",
        headers=ADMIN,
        body=json.dumps({"import_id": "history", "kind": "orders", "format": "jsonl"}),
    )
    assert created.status_code in (200, 201), created.body
    key = object_key("history")
    stack.session.client("s3").put_object(Bucket=bucket, Key=key, Body=HISTORY)
    import app as app_module

    app_module.on_import_upload(s3_event(bucket, key), None)
    writes: Counter[str] = Counter()
    written: list[str] = []

    def count(event_name: str, params: dict[str, Any], **_: Any) -> None:
        operation = event_name.rsplit(".", 1)[-1]
        if operation in WRITES:
            writes[operation] += 1
            written.append(json.dumps(params, default=str))

    events = bootstrap.container().client("dynamodb").meta.events
    events.register("before-parameter-build.dynamodb.*", count)
    try:
        records = stack.pump()
    finally:
        events.unregister("before-parameter-build.dynamodb.*", count)
    assert records >= 8  # the orders, their purchase items, the folded profiles
    # only the customers stream's segment counts follow each folded profile (one write
    # per customer, not per order); nothing reaches the orders or the timeline table
    assert writes == Counter({"TransactWriteItems": 3})
    assert not any(stack.env["RAPPORT_ORDERS_TABLE"] in write for write in written)
    assert not any(stack.env["RAPPORT_TIMELINE_TABLE"] in write for write in written)
    assert buyers(stack, SKU) == ["c-h1"]


def test_the_same_file_again_writes_no_purchase_twice(stack: Stack) -> None:
    shop(stack)
    run(stack, "history", "orders", "jsonl", HISTORY)
    before = replenishables(stack, "c-h3")
    again = deliver(stack, "history", HISTORY)
    assert (again["imported"], again["skipped"]) == (0, 8)
    other = run(stack, "history-copy", "orders", "jsonl", HISTORY)
    assert other["imported"] == 0
    assert replenishables(stack, "c-h3") == before
    assert buyers(stack, SKU) == ["c-h1"]


class LiveOrderMeanwhile:
    """The real history writer; a live order of a sku of the history is placed (and
    counted, with its replenishable item) before the first fold commits."""

    def __init__(self, stack: Stack, writer: Any) -> None:
        self._stack = stack
        self._writer = writer
        self.folds = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._writer, name)

    def commit_folds(self, folds: list[Any]) -> set[str]:
        self.folds += 1
        if self.folds == 1:
            live = order_row("o-live", "c-h3", ago(1), 7_000)
            live["lines"][0]["sku"] = "SKU-o-h6"
            posted = self._stack.http.post("/v1/orders", headers=STORE, body=json.dumps(live))
            assert posted.status_code == 201
            self._stack.pump()
        refused: set[str] = self._writer.commit_folds(folds)
        return refused


def test_a_live_purchase_of_the_same_sku_during_the_import_is_kept(stack: Stack) -> None:
    shop(stack)
    deps = bootstrap.container().imports
    meanwhile = LiveOrderMeanwhile(stack, deps.history.writer)
    object.__setattr__(deps.history, "writer", meanwhile)
    assert run(stack, "history", "orders", "jsonl", HISTORY)["imported"] == 8
    assert meanwhile.folds == 2  # refused once, read and folded again
    kept = replenishables(stack, "c-h3")["SKU-o-h6"]
    assert [p["order_id"] for p in kept["purchases"]] == ["o-h6", "o-live"]
    assert kept["replenish_due"] == (TODAY + timedelta(days=29)).isoformat()
    stats = stack.http.get("/v1/customers/c-h3", headers=STORE).json_body["stats"]
    assert stats["orders"] == 4


def test_a_customer_with_more_purchase_items_than_a_transaction_holds_gets_them_all(
    stack: Stack,
) -> None:
    shop(stack)
    lines = [
        {"sku": f"BIG-{n}", "name": "Cup", "category": "cups", "quantity": 1, "unit_price": 100}
        for n in range(120)
    ]
    big = order_row("o-big", "c-h1", ago(5), 12_000, status="paid") | {"lines": lines}
    assert run(stack, "big", "orders", "jsonl", jsonl(big))["imported"] == 1
    assert all(buyers(stack, f"BIG-{n}") == ["c-h1"] for n in (0, 97, 98, 119))
    assert stack.http.get("/v1/customers/c-h1", headers=STORE).json_body["stats"]["orders"] == 1
