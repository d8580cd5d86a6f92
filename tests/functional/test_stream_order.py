"""A customers-stream record retried after a later change of its customer loses nothing.

The batch ``customers_signup_then_tier.json`` holds one customer's signup (S1) and her
tier change 1 → 2 (S2). S1's write meets another transaction (``TransactionConflict``)
once. Lambda retries from the lowest failed record, S2 included; had S2 been counted
while S1 failed, S1's retry would be refused by the counts' newer-change-only marker and
its ``+1`` lost. The handler holds S2 back instead, so after the redelivery the counts
equal an independent count of the profiles.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.awsrequest import AWSResponse

from chalicelib import bootstrap
from tests.functional.conftest import Stack
from tests.functional.test_segment_counts import independent_count, shown
from tests.functional.test_stream_handlers import event, messages


def conflict_on_the_welcome(stack: Stack) -> Any:
    """Cancel, as a TransactionConflict, each transaction that queues a letter."""
    table = stack.env["RAPPORT_MESSAGES_TABLE"]

    def cancel(params: dict[str, Any], **_: Any) -> Any:
        actions = json.loads(params["body"])["TransactItems"]
        if not any(a.get("Put", {}).get("TableName") == table for a in actions):
            return None
        codes = [{"Code": "TransactionConflict" if "Put" in a else "None"} for a in actions]
        error = {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"}
        return AWSResponse("https://test", 400, {}, None), {
            "Error": error,
            "CancellationReasons": codes,
        }

    return cancel


def put_final_profile(stack: Stack, batch: dict[str, Any]) -> None:
    """The customers table as the batch leaves it (the independent count reads it)."""
    item = batch["Records"][-1]["dynamodb"]["NewImage"]
    stack.dynamodb().put_item(TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"], Item=item)


def test_a_signup_retried_after_its_customers_tier_change_is_still_counted(stack: Stack) -> None:
    batch = event("customers_signup_then_tier.json")
    signup, promotion = (r["dynamodb"]["SequenceNumber"] for r in batch["Records"])
    put_final_profile(stack, batch)
    dynamodb = bootstrap.container().client("dynamodb")
    cancel = conflict_on_the_welcome(stack)
    dynamodb.meta.events.register("before-call.dynamodb.TransactWriteItems", cancel)
    try:
        first = stack.client.lambda_.invoke("on_customer", batch).payload
    finally:
        dynamodb.meta.events.unregister("before-call.dynamodb.TransactWriteItems", cancel)
    # the tier change is not handled before the signup: it waits for the retry
    assert first == {
        "batchItemFailures": [{"itemIdentifier": signup}, {"itemIdentifier": promotion}]
    }
    assert shown(stack)["total"] == 0 and messages(stack) == {}
    # Lambda delivers again from the lowest failed record: both, in order
    assert stack.client.lambda_.invoke("on_customer", batch).payload == {"batchItemFailures": []}
    view = shown(stack)
    assert (view["total"], view["tiers"], view["loyalty"]) == (1, {2: 1}, {"occasional": 1})
    assert shown(stack) == independent_count(stack)
    assert [m["message_key"]["S"] for m in messages(stack).values()] == ["welcome"]
    # a duplicate of the whole batch changes nothing
    assert stack.client.lambda_.invoke("on_customer", batch).payload == {"batchItemFailures": []}
    assert shown(stack) == independent_count(stack) and len(messages(stack)) == 1
