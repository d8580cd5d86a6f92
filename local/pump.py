"""Pump DynamoDB streams into the real Chalice handlers, the way Lambda does.

For each stream event source the app registers (``app.event_sources``), a
:class:`StreamPump` reads every shard, hands Lambda-shaped batches to the handler,
and honours its answer: ``batchItemFailures`` make it retry from the first failed
record (Lambda's checkpoint semantics), an exception retries the whole batch, and a
batch still failing after the consumer's ``maximum_retry_attempts`` is reported to
the on-failure destination (an SQS queue) and skipped, so a poison record never
blocks its shard. The ``duplicate`` fault delivers a successful batch a second time.

A consumer declared with a ``ParallelizationFactor`` above 1 (``infra.resources``) has
each shard read into that many lanes by partition key, as Lambda does: the lanes'
batches are handed over at the same time, and each lane keeps its keys' order, so two
changes of one order are never handled out of order or at once.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from chalice.local import LambdaContext

from local.lambda_shape import lambda_event, lambda_record

log = logging.getLogger("rapport.pump")


@dataclass
class ConsumerSettings:
    """How Lambda is configured to call the handler (from ``infra.resources``)."""

    batch_size: int = 25
    maximum_retry_attempts: int = 10
    retry_delay: float = 0.02
    max_retry_delay: float = 1.0
    parallelization_factor: int = 1
    partition_key: str | None = None  # the table's hash key: records of one key, one lane


@dataclass
class PumpStats:
    """Counters for the bench and the tests."""

    batches: int = 0
    records: int = 0
    retries: int = 0
    duplicates: int = 0
    dead_letters: list[dict[str, Any]] = field(default_factory=list)


class StreamPump:
    """Deliver one stream's records to one handler."""

    def __init__(
        self,
        name: str,
        stream_arn: str,
        handler: Any,
        streams_client: Any,
        settings: ConsumerSettings,
        faults: Any = None,
        sqs_client: Any = None,
        dead_letter_queue_url: str | None = None,
        region: str = "us-east-1",
    ) -> None:
        self.name = name
        self.stream_arn = stream_arn
        self._handler = handler
        self._streams = streams_client
        self._settings = settings
        self._faults = faults
        self._sqs = sqs_client
        self._dlq = dead_letter_queue_url
        self._region = region
        self._iterators: dict[str, str | None] = {}
        self._last_sequence: dict[str, str] = {}
        self._shards_checked = 0.0
        self._buffer: list[dict[str, Any]] = []
        self.stats = PumpStats()
        self._stats_lock = threading.Lock()
        factor = settings.parallelization_factor
        self._lanes = ThreadPoolExecutor(factor, f"{name}-lane") if factor > 1 else None

    def rewind(self) -> None:
        """Read every shard again from its start (a replay, as after a Lambda restart)."""
        self._iterators.clear()
        self._last_sequence.clear()
        self._shards_checked = 0.0

    def _refresh_shards(self) -> None:
        if self._iterators and time.monotonic() - self._shards_checked < 2.0:
            return  # shards change rarely (every few hours on AWS)
        self._shards_checked = time.monotonic()
        description = self._streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
        for shard in description.get("Shards", []):
            shard_id = shard["ShardId"]
            if shard_id not in self._iterators:
                self._iterators[shard_id] = "open"

    def _iterator(self, shard_id: str) -> str:
        """The iterator the last read handed back, or a fresh one after the last record.

        Reusing ``NextShardIterator`` is how Lambda reads a shard (one GetRecords per poll,
        not two). A fresh one, by sequence number, is taken at the start, after a
        delivery failed, and when an iterator is refused (expired after 15 minutes on
        AWS). moto would strand iterators if it replaced a table object on a cancelled
        transaction; :mod:`local.moto_transactions` never does.
        """
        kept = self._iterators.get(shard_id)
        if kept not in (None, "open"):
            return str(kept)
        last = self._last_sequence.get(shard_id)
        arguments: dict[str, Any] = {"StreamArn": self.stream_arn, "ShardId": shard_id}
        if last is None:
            arguments["ShardIteratorType"] = "TRIM_HORIZON"
        else:
            arguments.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=last)
        return str(self._streams.get_shard_iterator(**arguments)["ShardIterator"])

    def poll(self) -> int:
        """Read what is new on every shard and deliver it; returns records delivered."""
        self._refresh_shards()
        delivered = 0
        for shard_id, open_ in list(self._iterators.items()):
            if open_ is None:
                continue
            response = self._read(shard_id)
            records = [lambda_record(r, self.stream_arn, self._region) for r in response["Records"]]
            if records:
                self._iterators[shard_id] = "open"  # until delivered: read again if it raises
                self._deliver_in_lanes(records)
                self._last_sequence[shard_id] = records[-1]["dynamodb"]["SequenceNumber"]
                delivered += len(records)
            self._iterators[shard_id] = response.get("NextShardIterator")  # None: closed
        return delivered

    def _read(self, shard_id: str) -> dict[str, Any]:
        """One GetRecords; a refused kept iterator is replaced by a fresh one once."""
        limit = self._settings.batch_size * self._settings.parallelization_factor
        try:
            return dict(
                self._streams.get_records(ShardIterator=self._iterator(shard_id), Limit=limit)
            )
        except Exception:  # expired or unknown iterator: start again after the last record
            if self._iterators.get(shard_id) in (None, "open"):
                raise
            self._iterators[shard_id] = "open"
            return dict(
                self._streams.get_records(ShardIterator=self._iterator(shard_id), Limit=limit)
            )

    def _invoke(self, records: list[dict[str, Any]]) -> list[str] | None:
        """Call the handler; ``None`` when all succeeded, else the failed sequence numbers."""
        context = LambdaContext(self.name, memory_size=512)
        try:
            result = self._handler(lambda_event(records), context)
        except Exception:  # the whole batch failed, as Lambda sees it
            log.warning("%s: batch of %d failed as a whole", self.name, len(records))
            return [r["dynamodb"]["SequenceNumber"] for r in records]
        failures = (result or {}).get("batchItemFailures") or []
        return [f["itemIdentifier"] for f in failures] or None

    def lanes(self, records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """The records of each lane, in shard order (one lane per partition key's hash)."""
        factor = self._settings.parallelization_factor
        key = self._settings.partition_key
        if factor <= 1 or key is None:
            return [records]
        lanes: list[list[dict[str, Any]]] = [[] for _ in range(factor)]
        for record in records:
            value = json.dumps(record["dynamodb"]["Keys"][key], sort_keys=True)
            lanes[zlib.crc32(value.encode()) % factor].append(record)
        return [lane for lane in lanes if lane]

    def _deliver_lane(self, records: list[dict[str, Any]]) -> None:
        size = self._settings.batch_size
        for start in range(0, len(records), size):
            self._deliver(records[start : start + size])

    def _deliver_in_lanes(self, records: list[dict[str, Any]]) -> None:
        """Deliver every lane's batches, the lanes at once; returns when all are done."""
        lanes = self.lanes(records)
        if self._lanes is None or len(lanes) == 1:
            for lane in lanes:
                self._deliver_lane(lane)
            return
        futures = [self._lanes.submit(self._deliver_lane, lane) for lane in lanes]
        wait(futures)  # every lane settled before the shard is read on
        for future in futures:
            future.result()  # a lane that raised: the shard is read again after its checkpoint

    def _count(self, **increments: int) -> None:
        with self._stats_lock:
            for name, value in increments.items():
                setattr(self.stats, name, getattr(self.stats, name) + value)

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        pending = records
        attempt = 0
        while pending:
            self._count(batches=1)
            failed = self._invoke(pending)
            if failed is None:
                self._count(records=len(pending))
                if self._faults is not None and self._faults.roll("duplicate"):
                    self._count(duplicates=1)
                    self._invoke(pending)
                return
            first = min(
                i for i, r in enumerate(pending) if r["dynamodb"]["SequenceNumber"] in set(failed)
            )
            self._count(records=first)
            pending = pending[first:]
            # records before the first failure are checkpointed: the rest is a new batch
            attempt = attempt + 1 if first == 0 else 1
            if attempt > self._settings.maximum_retry_attempts:
                self._dead_letter(pending, attempt)
                return
            self._count(retries=1)
            time.sleep(
                min(self._settings.max_retry_delay, self._settings.retry_delay * 2 ** (attempt - 1))
            )

    def _dead_letter(self, records: list[dict[str, Any]], attempts: int) -> None:
        info = {
            "requestContext": {"condition": "RetryAttemptsExhausted", "functionArn": self.name},
            "DDBStreamBatchInfo": {
                "streamArn": self.stream_arn,
                "startSequenceNumber": records[0]["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": records[-1]["dynamodb"]["SequenceNumber"],
                "batchSize": len(records),
            },
            "attempts": attempts,
        }
        with self._stats_lock:
            self.stats.dead_letters.append(info)
        log.error("%s: %d records sent to the on-failure destination", self.name, len(records))
        if self._sqs is not None and self._dlq:
            self._sqs.send_message(QueueUrl=self._dlq, MessageBody=json.dumps(info))


class PumpThread(threading.Thread):
    """Poll a set of pumps until stopped, idling politely when there is nothing new."""

    def __init__(self, pumps: list[StreamPump], stop: threading.Event) -> None:
        super().__init__(name="stream-pump " + ",".join(p.name for p in pumps), daemon=True)
        self._pumps = pumps
        self._stop_event = stop

    def run(self) -> None:
        idle = 0.01
        while not self._stop_event.is_set():
            delivered = 0
            for pump in self._pumps:
                try:
                    delivered += pump.poll()
                except Exception:  # keep pumping; the stack must not die on one error
                    log.exception("pump %s failed to poll", pump.name)
            idle = 0.01 if delivered else min(0.1, idle * 1.5)
            self._stop_event.wait(idle)


def drain(pumps: list[StreamPump], rounds: int = 200) -> int:
    """Poll until every stream is quiet twice in a row (tests); returns records delivered."""
    total = 0
    quiet = 0
    for _ in range(rounds):
        delivered = sum(pump.poll() for pump in pumps)
        total += delivered
        quiet = quiet + 1 if delivered == 0 else 0
        if quiet >= 2:
            return total
    return total


def pumps_for_app(
    app: Any,
    session: Any,
    env: dict[str, str],
    faults: Any = None,
    max_retry_delay: float = 1.0,
) -> list[StreamPump]:
    """One pump per stream consumer declared in ``infra.resources``.

    The stream ARN comes from ``env`` (what provisioning returned) and the handler from
    the app's ``handler_map``, so a consumer declared in infra but missing in the app
    (or the reverse, see the tests) shows up at once.
    """
    from infra.resources import FAILED_RECORDS_QUEUE, STREAM_CONSUMERS, table_by_logical_id

    streams = session.client("dynamodbstreams")
    sqs = session.client("sqs")
    pumps = []
    for consumer in STREAM_CONSUMERS:
        table = table_by_logical_id(consumer.table)
        assert table.stream_env is not None
        pumps.append(
            StreamPump(
                consumer.handler,
                env[table.stream_env],
                app.handler_map[consumer.handler],
                streams,
                ConsumerSettings(
                    consumer.batch_size,
                    consumer.maximum_retry_attempts,
                    max_retry_delay=max_retry_delay,
                    parallelization_factor=consumer.parallelization_factor,
                    partition_key=table.hash_key,
                ),
                faults,
                sqs,
                env.get(FAILED_RECORDS_QUEUE.env),
                session.region_name or "us-east-1",
            )
        )
    return pumps
