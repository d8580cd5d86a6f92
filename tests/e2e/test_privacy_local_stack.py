"""Erasure through the local stack: afterwards no table holds the address or the name.

The customer signs up, orders, asks a question and gets their letters (the support
auto-reply among them) through the real stream pumps;
an admin erases them over HTTP; then every table of the stack's moto is scanned
(boto3 against its endpoint), the way an auditor would look.
"""

from __future__ import annotations

import json
import time
from typing import Any

import boto3

from tests.e2e.conftest import ADMIN_KEY, RunningStack

EMAIL = "Zephyrine.Okonkwo@Example.com"
NAME = "Zephyrine Okonkwo"
QUESTION = "Is the oolong from this spring's harvest?"


def _every_item(aws: str) -> list[tuple[str, dict[str, Any]]]:
    client = boto3.client(
        "dynamodb",
        endpoint_url=aws,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    found = []
    for table in client.list_tables()["TableNames"]:
        for page in client.get_paginator("scan").paginate(TableName=table):
            found.extend((table, item) for item in page["Items"])
    return found


def _mentions(items: list[tuple[str, dict[str, Any]]]) -> list[str]:
    personal = ("zephyrine", "Zephyrine", "Okonkwo", QUESTION, "oolong")
    return [table for table, item in items if any(p in json.dumps(item) for p in personal)]


def test_after_erasure_no_table_holds_the_address_or_the_name(local_stack: RunningStack) -> None:
    before = len(local_stack.mails())
    signup = {"customer_id": "e2e-erase", "email": EMAIL, "name": NAME, "phone": "+8613900139000"}
    assert local_stack.request("POST", "/v1/signups", signup).status == 201
    line = {"sku": "TEA", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 5000}
    order = {
        "order_id": "e2e-erase-o1",
        "customer_id": "e2e-erase",
        "placed_at": "2026-11-20T10:00:00+08:00",
        "currency": "CNY",
        "lines": [line],
        "total": 5000,
        "payment_method": "card",
    }
    assert local_stack.request("POST", "/v1/orders", order).status == 201
    question = {
        "message_id": "e2e-erase-m1",
        "customer_id": "e2e-erase",
        "subject": "Zephyrine's oolong",
        "body": QUESTION,
        "channel": "web",
        "order_id": "e2e-erase-o1",
    }
    assert local_stack.request("POST", "/v1/support-messages", question).status == 201
    local_stack.wait_for_mails(before + 3)  # welcome, order confirmation, support auto-reply
    assert _mentions(_every_item(local_stack.aws))  # the data is there before

    erased = local_stack.request("DELETE", "/v1/admin/customers/e2e-erase", key=ADMIN_KEY)
    assert erased.status == 200 and erased.body["status"] == "erased"
    assert erased.body["requested_by"] == "admin:bootstrap"
    time.sleep(2.0)  # let the pumps deliver the erasure's stream records
    assert _mentions(_every_item(local_stack.aws)) == []
    assert local_stack.request("GET", "/v1/customers/e2e-erase").status == 404
    again = local_stack.request("DELETE", "/v1/admin/customers/e2e-erase", key=ADMIN_KEY)
    assert again.status == 200 and again.body == erased.body
    assert len(local_stack.mails()) == before + 3  # nothing more was mailed
