"""Stream handlers on Lambda-shaped events (fixtures in ``tests/events``).

Records arrive at least once and a batch may partly fail: handlers must report
``batchItemFailures`` for exactly the records that failed and change nothing when a
record is delivered again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from botocore.awsrequest import AWSResponse

from chalicelib import bootstrap
from tests.functional.conftest import Stack

EVENTS = Path(__file__).resolve().parent.parent / "events"


def event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text())


def messages(stack: Stack) -> dict[str, dict[str, Any]]:
    items = stack.dynamodb().scan(TableName=stack.env["RAPPORT_MESSAGES_TABLE"])["Items"]
    return {item["customer_id"]["S"]: item for item in items}


def test_customer_records_queue_one_welcome_each_even_when_redelivered(stack: Stack) -> None:
    signups = event("customers_signups.json")
    first = stack.client.lambda_.invoke("on_customer", signups).payload
    again = stack.client.lambda_.invoke("on_customer", signups).payload
    assert first == {"batchItemFailures": []} and again == {"batchItemFailures": []}
    queued = messages(stack)
    assert sorted(queued) == ["c-fx-1", "c-fx-2", "c-fx-3"]
    assert {item["status"]["S"] for item in queued.values()} == {"queued"}
    assert {item["message_key"]["S"] for item in queued.values()} == {"welcome"}


def test_mailer_reports_only_the_failed_record_and_never_sends_twice(stack: Stack) -> None:
    stack.client.lambda_.invoke("on_customer", event("customers_signups.json"))
    batch = event("messages_welcome_queued.json")
    failing = batch["Records"][1]
    assert failing["dynamodb"]["Keys"]["customer_id"]["S"] == "c-fx-2"

    def throttle_c_fx_2(params: dict[str, Any], **_: Any) -> Any:
        request = json.loads(params["body"])  # the serialized UpdateItem request
        if request["Key"]["customer_id"]["S"] == "c-fx-2":
            http = AWSResponse("https://test", 400, {}, None)
            return http, {"Error": {"Code": "ProvisionedThroughputExceededException"}}
        return None

    dynamodb = bootstrap.container().client("dynamodb")
    dynamodb.meta.events.register("before-call.dynamodb.UpdateItem", throttle_c_fx_2)
    try:
        result = stack.client.lambda_.invoke("mailer", batch).payload
    finally:
        dynamodb.meta.events.unregister("before-call.dynamodb.UpdateItem", throttle_c_fx_2)
    assert result == {
        "batchItemFailures": [{"itemIdentifier": failing["dynamodb"]["SequenceNumber"]}]
    }
    assert sorted(m["to"][0] for m in stack.mails()) == [
        "Ana <fx1@example.com>",
        "fx3@example.com",
    ]
    # Lambda retries; duplicates of the records already handled change nothing
    assert stack.client.lambda_.invoke("mailer", batch).payload == {"batchItemFailures": []}
    assert stack.client.lambda_.invoke("mailer", batch).payload == {"batchItemFailures": []}
    assert len(stack.mails()) == 3
    statuses = {cid: item["status"]["S"] for cid, item in messages(stack).items()}
    assert statuses == {"c-fx-1": "sent", "c-fx-2": "sent", "c-fx-3": "sent"}
    assert all("provider_message_id" in item for item in messages(stack).values())


def test_a_batch_that_fails_entirely_raises_so_lambda_retries_it(stack: Stack) -> None:
    stack.client.lambda_.invoke("on_customer", event("customers_signups.json"))

    def throttle_all(**_: Any) -> Any:
        return AWSResponse("https://test", 400, {}, None), {
            "Error": {"Code": "ProvisionedThroughputExceededException"}
        }

    dynamodb = bootstrap.container().client("dynamodb")
    dynamodb.meta.events.register("before-call.dynamodb.UpdateItem", throttle_all)
    try:
        try:
            stack.client.lambda_.invoke("mailer", event("messages_welcome_queued.json"))
            raised = False
        except Exception as error:  # Powertools' BatchProcessingError
            raised = "All records failed" in str(error)
    finally:
        dynamodb.meta.events.unregister("before-call.dynamodb.UpdateItem", throttle_all)
    assert raised
    assert stack.mails() == []
