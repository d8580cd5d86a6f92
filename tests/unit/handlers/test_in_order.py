"""A stream batch handled in order: nothing after the first failed record."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib.handlers.in_order import InOrderBatchProcessor


def batch(*sequences: str) -> dict[str, Any]:
    """A Lambda-shaped DynamoDB stream event with one record per sequence number."""
    return {
        "Records": [
            {
                "eventID": f"e-{sequence}",
                "eventName": "MODIFY",
                "eventSource": "aws:dynamodb",
                "dynamodb": {"Keys": {"customer_id": {"S": "c-1"}}, "SequenceNumber": sequence},
            }
            for sequence in sequences
        ]
    }


class Handler:
    """Records the sequence numbers it handles; raises on those in ``failing``."""

    def __init__(self, *failing: str) -> None:
        self.failing = set(failing)
        self.handled: list[str] = []

    def __call__(self, record: DynamoDBRecord) -> None:
        sequence = str(record.dynamodb.sequence_number if record.dynamodb else "")
        self.handled.append(sequence)
        if sequence in self.failing:
            raise RuntimeError("transient")


def failures(response: Any) -> list[str]:
    return [f["itemIdentifier"] for f in response["batchItemFailures"]]


def test_records_after_a_failure_are_reported_failed_without_being_handled() -> None:
    handler = Handler("2")
    answer = process_partial_response(batch("1", "2", "3", "4"), handler, InOrderBatchProcessor())
    assert handler.handled == ["1", "2"]
    assert failures(answer) == ["2", "3", "4"]


def test_a_failed_first_record_is_answered_not_raised_so_lambda_retries_from_it() -> None:
    handler = Handler("1")
    answer = process_partial_response(batch("1", "2"), handler, InOrderBatchProcessor())
    assert handler.handled == ["1"] and failures(answer) == ["1", "2"]


def test_a_batch_without_failures_is_handled_whole_and_in_order() -> None:
    handler = Handler()
    answer = process_partial_response(batch("1", "2", "3"), handler, InOrderBatchProcessor())
    assert handler.handled == ["1", "2", "3"] and failures(answer) == []


def test_the_plain_processor_handles_the_records_after_a_failure() -> None:
    """The contrast the customers stream must not have: a later record taking effect
    before the failed one it is retried with."""
    handler = Handler("2")
    plain = BatchProcessor(EventType.DynamoDBStreams)
    answer = process_partial_response(batch("1", "2", "3"), handler, plain)
    assert handler.handled == ["1", "2", "3"] and failures(answer) == ["2"]
