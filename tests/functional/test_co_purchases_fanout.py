"""The co-purchases job fanned out over scan segments of the orders table (moto) writes
the document one segment writes, and counts a segment delivered twice once."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from chalicelib import bootstrap
from chalicelib.adapters import codec
from chalicelib.adapters.segment_queue import InProcessSegmentQueue
from chalicelib.domain.co_purchase_packing import unpacked
from chalicelib.domain.co_purchase_summary import Basket, co_purchases_document, summarized
from chalicelib.services.fanout import handle_task
from chalicelib.services.recommending import CO_PURCHASES_ID
from tests.functional.conftest import ADMIN, Stack, run_job
from tests.unit.domain.test_co_purchase_summary import generated

ORDERS = 300


def order_item(basket: Basket) -> dict[str, Any]:
    """An order as the orders table stores it (the API's and the import's shape); a
    placed one without its status attribute, which reads as placed."""
    lines = [
        {
            "sku": line.sku,
            "name": line.name,
            "category": line.category,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
        }
        for line in basket.lines
    ]
    return {
        "order_id": basket.order_id,
        "record": "order",
        "customer_id": f"c-{basket.order_id[-2:]}",
        "placed_at": basket.placed_at,
        "currency": "CNY",
        "lines": lines,
        "total": sum(line.unit_price for line in basket.lines),
        "payment_method": "card",
        "status": None if basket.status == "placed" else basket.status,
    }


def put_orders(stack: Stack, baskets: list[Basket]) -> None:
    client, table = stack.dynamodb(), stack.env["RAPPORT_ORDERS_TABLE"]
    for basket in baskets:
        client.put_item(TableName=table, Item=codec.to_item(order_item(basket)))
    # the table's other records are no orders: a return of the first order
    other = {"order_id": baskets[0].order_id, "record": "return#r-1", "lines": [], "status": "x"}
    client.put_item(TableName=table, Item=codec.to_item(other))


def with_segments(stack: Stack, segments: int) -> None:
    body = json.dumps({"job_segments": segments})
    answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=body)
    assert answer.status_code == 200, answer.body


def learned(stack: Stack, segments: int) -> tuple[dict[str, Any], dict[str, Any]]:
    with_segments(stack, segments)
    result = run_job(stack, "co-purchases")
    document = unpacked(bootstrap.container().settings.document(CO_PURCHASES_ID, fresh=True))
    assert document
    return result, document


def test_one_three_and_eight_segments_write_the_same_document(stack: Stack) -> None:
    baskets = generated(ORDERS)
    put_orders(stack, baskets)
    one, document = learned(stack, 1)
    assert document == co_purchases_document(summarized(baskets))  # what the orders say
    counted = sum(1 for b in baskets if b.status not in ("cancelled", "refunded"))
    assert (one["orders"], one["pairs"], one["skus"]) == (counted, len(document["pairs"]), 40)
    for segments in (3, 8):
        result, again = learned(stack, segments)
        assert again == document
        figures = ("job", "orders", "pairs", "skus")
        assert {k: result[k] for k in figures} == {k: one[k] for k in figures}
        timings = result["segment_timings"]
        assert result["scan_segments"] == segments == len(timings)
        assert [t["segment"] for t in timings] == list(range(segments))
        assert sum(t["orders"] for t in timings) == counted and all(t["orders"] for t in timings)
        assert all(t["seconds"] >= 0 for t in timings)


def test_a_segment_task_delivered_twice_counts_its_orders_once(stack: Stack) -> None:
    baskets = generated(ORDERS)
    put_orders(stack, baskets)
    _, document = learned(stack, 1)
    container = bootstrap.container()
    original = container.fanout

    delivered: list[dict[str, Any]] = []

    def twice(task: dict[str, Any]) -> None:  # SQS delivers at least once
        for _ in range(2):
            delivered.append(handle_task(task, container.fanout))

    container.fanout = dataclasses.replace(original, queue=InProcessSegmentQueue(twice))
    container.job_runs = dataclasses.replace(container.job_runs, fanout=container.fanout)
    result, again = learned(stack, 4)
    assert again == document and result["scan_segments"] == 4
    assert len(delivered) == 8 and [d.get("done") for d in delivered[:2]] == [1, 1]
    assert delivered[-1]["skipped"] == "not the run's current attempt"  # it was over
    assert result["orders"] == sum(1 for b in baskets if b.status not in ("cancelled", "refunded"))


def test_the_nightly_schedule_requests_a_run_that_fans_out(stack: Stack) -> None:
    put_orders(stack, generated(60))
    with_segments(stack, 2)
    fixture = Path(__file__).resolve().parent.parent / "events" / "scheduled_event.json"
    answer = stack.client.lambda_.invoke("co_purchases", json.loads(fixture.read_text()))
    assert answer.payload["requested"] is True and answer.payload["job"] == "co-purchases"
    url = f"/v1/admin/jobs/co-purchases/runs/{answer.payload['run_id']}"
    run = stack.http.get(url, headers=ADMIN).json_body
    assert run["status"] == "succeeded" and run["result"]["scan_segments"] == 2
    stored = bootstrap.container().settings.document(CO_PURCHASES_ID, fresh=True)
    assert unpacked(stored) == co_purchases_document(summarized(generated(60)))


def test_only_one_task_claims_a_phases_close_until_a_failed_close_gives_it_back(
    stack: Stack,
) -> None:
    store = bootstrap.container().fanout.store
    store.create("run-x#1", {"job": "co-purchases", "total": 2, "now": "2026-11-23T17:30:00"})
    assert store.close_phase("run-x#1", "count") is True
    assert store.close_phase("run-x#1", "count") is False  # a duplicate finds it claimed
    assert (store.state("run-x#1") or {}).get("count_closed") is True
    store.reopen_phase("run-x#1", "count")
    assert "count_closed" not in (store.state("run-x#1") or {})
    assert store.close_phase("run-x#1", "count") is True  # the retry claims it
