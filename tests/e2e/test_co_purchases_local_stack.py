"""The co-purchases job through the local stack: fanned out over 3 scan segments of the
orders, the run finishes with the document a single-segment run writes."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from chalicelib.adapters import codec
from chalicelib.domain.co_purchase_packing import unpacked
from tests.e2e.conftest import ADMIN_KEY, RunningStack, wait_for

pytestmark = pytest.mark.e2e

BASKETS = [  # what each order holds: tea with its pot twice, a cup once
    ("OOLONG", "POT"),
    ("OOLONG", "POT", "CUP"),
    ("GREEN", "CUP"),
    ("GREEN",),
    ("OOLONG", "CUP"),
    ("POT", "CUP"),
]
PRODUCTS = {
    "OOLONG": ("Oolong tea", "tea", 8_800),
    "GREEN": ("Green tea", "tea", 4_800),
    "POT": ("Clay teapot", "teaware", 26_000),
    "CUP": ("Tea cup", "teaware", 3_000),
}


def order(n: int, skus: tuple[str, ...]) -> dict[str, Any]:
    lines = [
        {
            "sku": sku,
            "name": PRODUCTS[sku][0],
            "category": PRODUCTS[sku][1],
            "quantity": 1,
            "unit_price": PRODUCTS[sku][2],
        }
        for sku in skus
    ]
    return {
        "order_id": f"cp-o{n}",
        "customer_id": f"cp-{n % 3}",
        "placed_at": f"2026-10-{n + 1:02d}T09:30:00+08:00",
        "currency": "CNY",
        "payment_method": "card",
        "total": sum(line["unit_price"] for line in lines),
        "lines": lines,
    }


def document(stack: RunningStack) -> dict[str, Any]:
    client = boto3.client(
        "dynamodb",
        endpoint_url=stack.aws,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    item = client.get_item(TableName="rapport-settings", Key={"setting_id": {"S": "co-purchases"}})
    return unpacked(codec.from_item(item["Item"])["value"])


def learn(stack: RunningStack, segments: int) -> dict[str, Any]:
    saved = stack.request(
        "PUT", "/v1/admin/settings/store", {"job_segments": segments}, key=ADMIN_KEY
    )
    assert saved.status == 200, saved.body
    queued = stack.request("POST", "/v1/admin/jobs/co-purchases", key=ADMIN_KEY)
    assert queued.status == 202 and queued.body["status"] == "queued"
    run = wait_for(
        lambda: (
            r.body
            if (r := stack.request("GET", queued.body["url"], key=ADMIN_KEY)).body["status"]
            in ("succeeded", "failed")
            else None
        ),
        timeout=60,
    )
    assert run and run["status"] == "succeeded", run
    result: dict[str, Any] = run["result"]
    return result


def test_three_segments_learn_what_one_segment_learns(local_stack: RunningStack) -> None:
    s = local_stack
    for n in range(3):
        signup = {"customer_id": f"cp-{n}", "email": f"cp{n}@example.com"}
        assert s.request("POST", "/v1/signups", signup).status == 201
    for n, skus in enumerate(BASKETS):
        assert s.request("POST", "/v1/orders", order(n, skus)).status == 201
    assert s.request("PATCH", "/v1/orders/cp-o5", {"status": "cancelled"}).status == 200
    one = learn(s, 1)
    single = document(s)
    assert (one["orders"], one["scan_segments"]) == (5, 1)  # the cancelled one is not counted
    assert single["pairs"] == [
        ["CUP", "OOLONG", 2],
        ["OOLONG", "POT", 2],
        ["CUP", "GREEN", 1],
        ["CUP", "POT", 1],
    ]
    assert single["names"]["POT"] == "Clay teapot"
    three = learn(s, 3)
    assert document(s) == single
    assert (three["orders"], three["pairs"], three["skus"]) == (5, 4, 4)
    assert [t["segment"] for t in three["segment_timings"]] == [0, 1, 2]
    assert sum(t["orders"] for t in three["segment_timings"]) == 5
