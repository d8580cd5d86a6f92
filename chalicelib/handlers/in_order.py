"""A stream batch handled in order, up to its first failed record.

Lambda, answered with ``batchItemFailures`` on a stream (``ReportBatchItemFailures``),
checkpoints at the failed record with the lowest sequence number and delivers every
record from there again, the ones that succeeded after it included (AWS Lambda
developer guide, "Configuring partial batch response with DynamoDB and Lambda"). So
handling the records after a failure does not spare their retry; it only lets them take
effect *before* the failed one. For the customers stream that loses counts: its counts
keep, per customer, the sequence number of the last change counted and refuse an older
one, so a signup retried after the same customer's tier change (handled while the
signup failed) would never be counted.

:class:`InOrderBatchProcessor` is Powertools' ``BatchProcessor`` that, once a record has
failed, reports each later record of the batch as failed too without handling it (as
Powertools' ``SqsFifoPartialProcessor`` does for FIFO queues; it has none for streams).
Every record is then handled after all the earlier ones of its shard, on each delivery,
and a redelivered batch replays them in the same order. When the first record fails,
the answer names every record rather than raising (Powertools' ``BatchProcessingError``):
a function error would make Lambda bisect the batch (``BisectBatchOnFunctionError``),
whereas a partial answer makes it retry from the first record, the rest in order.

Option not taken: an exactly-once guard per change (deltas commute) would count records
handled in any order, but costs an item per change kept past the stream's retention, and
the change's events and letters would still go out of order.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    ExceptionInfo,
    FailureResponse,
    SuccessResponse,
)


class EarlierRecordFailed(Exception):
    """A record not handled because an earlier record of its batch failed."""


HELD_BACK: ExceptionInfo = (
    EarlierRecordFailed,
    EarlierRecordFailed("an earlier record of the batch failed; handled on the retry"),
    None,
)


class InOrderBatchProcessor(BatchProcessor):
    """DynamoDB stream records handled in shard order, none after the first failure."""

    def __init__(self) -> None:
        super().__init__(EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)

    def _process_record(self, record: dict[str, Any]) -> SuccessResponse | FailureResponse:
        if self.fail_messages:
            held = self._to_batch_type(record=record, event_type=self.event_type)
            return self.failure_handler(record=held, exception=HELD_BACK)
        return super()._process_record(record)
