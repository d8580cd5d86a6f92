"""A signup's customers-stream record costs one DynamoDB write: the welcome letter and
the profile's counts in one transaction, each still taken exactly once."""

from __future__ import annotations

from collections import Counter
from typing import Any

from chalicelib import bootstrap
from tests.functional.conftest import ADMIN, Stack
from tests.functional.test_segment_counts import independent_count, shown, signup
from tests.functional.test_stream_handlers import event, messages

WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"})


def count_writes(stack: Stack) -> Counter[str]:
    """The app's DynamoDB writes from now on, by operation."""
    writes: Counter[str] = Counter()

    def counter(event_name: str, **_: Any) -> None:
        operation = event_name.rsplit(".", 1)[-1]
        writes[operation] += operation in WRITES

    client = bootstrap.container().client("dynamodb")
    client.meta.events.register("before-call.dynamodb.*", counter)
    return writes


def test_a_signup_record_queues_its_welcome_and_counts_it_in_one_write(stack: Stack) -> None:
    writes = count_writes(stack)
    signups = event("customers_signups.json")
    assert stack.client.lambda_.invoke("on_customer", signups).payload == {"batchItemFailures": []}
    assert +writes == {"TransactWriteItems": 3}  # three profiles (and their email guards)
    assert shown(stack)["total"] == 3 and shown(stack)["tiers"] == {1: 3}
    assert {item["message_key"]["S"] for item in messages(stack).values()} == {"welcome"}
    again = stack.client.lambda_.invoke("on_customer", signups).payload
    assert again == {"batchItemFailures": []}
    assert shown(stack)["total"] == 3 and len(messages(stack)) == 3  # nothing twice


def test_a_signup_read_after_its_erasure_is_counted_once_and_uncounted_once(stack: Stack) -> None:
    signup(stack, "c-gone")
    signup(stack, "c-kept")
    assert stack.http.delete("/v1/admin/customers/c-gone", headers=ADMIN).status_code == 200
    stack.pump()  # c-gone's signup is read after the erasure: no welcome, yet counted
    assert sorted(messages(stack)) == ["c-kept"]
    assert shown(stack) == independent_count(stack) and shown(stack)["total"] == 1
