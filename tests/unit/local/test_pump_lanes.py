"""A ParallelizationFactor above 1: a shard's batches at once, each key's changes in order."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from typing import Any

from local.pump import ConsumerSettings, StreamPump
from tests.unit.local.test_pump_iterators import ARN, FakeShard


class KeyedShard(FakeShard):
    """Two changes of each of ``keys`` keys (``pk``), interleaved as a busy table's."""

    def __init__(self, keys: int) -> None:
        super().__init__(0)
        self.records = [
            {
                "eventID": f"{key}-{change}",
                "eventName": "MODIFY",
                "dynamodb": {
                    "SequenceNumber": str(100 + change * keys + key),
                    "Keys": {"pk": {"S": f"o-{key}"}, "record": {"S": "order"}},
                },
            }
            for change in range(2)
            for key in range(keys)
        ]


class Handler:
    """Records what each call got, how many calls overlapped, and fails a record once."""

    def __init__(self, fail_once: str | None = None) -> None:
        self.seen: list[str] = []
        self.batches: list[int] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._fail_once = fail_once

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.batches.append(len(event["Records"]))
        time.sleep(0.02)
        failures = []
        with self._lock:
            for record in event["Records"]:
                if record["eventID"] == self._fail_once:
                    self._fail_once = None
                    failures.append({"itemIdentifier": record["dynamodb"]["SequenceNumber"]})
                    break
                self.seen.append(record["eventID"])
            self.in_flight -= 1
        return {"batchItemFailures": failures}


def lanes_pump(shard: FakeShard, handler: Any, factor: int) -> StreamPump:
    settings = ConsumerSettings(
        batch_size=3, retry_delay=0, parallelization_factor=factor, partition_key="pk"
    )
    return StreamPump("on_order", ARN, handler, shard, settings)


def _per_key(seen: list[str]) -> dict[str, list[str]]:
    changes: dict[str, list[str]] = defaultdict(list)
    for event_id in seen:
        changes[event_id.split("-")[0]].append(event_id)
    return dict(changes)


def test_batches_of_one_shard_are_handled_at_once_each_key_in_order() -> None:
    shard, handler = KeyedShard(12), Handler()
    p = lanes_pump(shard, handler, factor=4)
    while p.poll():
        pass
    assert sorted(handler.seen) == sorted(r["eventID"] for r in shard.records)
    assert all(c == [f"{k}-0", f"{k}-1"] for k, c in _per_key(handler.seen).items())
    assert handler.most_in_flight > 1
    assert max(handler.batches) <= 3  # the declared batch size, per lane


def test_a_failed_record_is_retried_in_its_lane_before_its_key_moves_on() -> None:
    shard, handler = KeyedShard(12), Handler(fail_once="5-0")
    p = lanes_pump(shard, handler, factor=4)
    while p.poll():
        pass
    assert _per_key(handler.seen)["5"] == ["5-0", "5-1"]
    assert p.stats.retries == 1
    assert p.stats.records == 24


def test_records_of_one_partition_key_share_a_lane_whatever_their_sort_key() -> None:
    p = lanes_pump(FakeShard(0), Handler(), factor=10)
    records = [
        {"dynamodb": {"Keys": {"pk": {"S": "o-1"}, "record": {"S": kind}}}}
        for kind in ("order", "return#1", "return#2")
    ]
    assert p.lanes(records) == [records]


def test_a_factor_of_one_is_one_lane_one_batch_at_a_time() -> None:
    shard, handler = KeyedShard(6), Handler()
    p = lanes_pump(shard, handler, factor=1)
    while p.poll():
        pass
    assert handler.most_in_flight == 1
    assert handler.seen == [r["eventID"] for r in shard.records]
