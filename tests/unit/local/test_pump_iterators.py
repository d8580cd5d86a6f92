"""The pump reads a shard as Lambda does: one GetRecords per poll, in order, nothing skipped."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from local.pump import ConsumerSettings, StreamPump

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/label"


class FakeShard:
    """A stream client over one shard whose iterators are positions; counts every call."""

    def __init__(self, count: int) -> None:
        self.records = [
            {
                "eventID": str(n),
                "eventName": "INSERT",
                "dynamodb": {"SequenceNumber": str(100 + n), "Keys": {"pk": {"S": str(n)}}},
            }
            for n in range(count)
        ]
        self.calls: list[str] = []
        self.expired: set[str] = set()

    def describe_stream(self, StreamArn: str) -> dict[str, Any]:  # noqa: N803 (boto3's names)
        return {"StreamDescription": {"Shards": [{"ShardId": "s-1"}]}}

    def get_shard_iterator(self, **arguments: Any) -> dict[str, Any]:
        self.calls.append("GetShardIterator")
        if arguments["ShardIteratorType"] == "TRIM_HORIZON":
            return {"ShardIterator": "0"}
        return {"ShardIterator": f"fresh-{int(arguments['SequenceNumber']) - 100 + 1}"}

    def get_records(self, ShardIterator: str, Limit: int) -> dict[str, Any]:  # noqa: N803
        self.calls.append("GetRecords")
        if ShardIterator in self.expired:
            raise ClientError({"Error": {"Code": "ExpiredIteratorException"}}, "GetRecords")
        start = int(ShardIterator.removeprefix("fresh-"))
        page = self.records[start : start + Limit]
        return {"Records": page, "NextShardIterator": str(start + len(page))}


def pump(shard: FakeShard, handler: Any) -> StreamPump:
    return StreamPump("h", ARN, handler, shard, ConsumerSettings(batch_size=2, retry_delay=0))


def test_each_poll_reads_with_the_iterator_the_last_read_handed_back() -> None:
    shard, seen = FakeShard(5), []
    p = pump(shard, lambda event, context: seen.extend(r["eventID"] for r in event["Records"]))
    assert [p.poll() for _ in range(4)] == [2, 2, 1, 0]
    assert seen == ["0", "1", "2", "3", "4"]
    assert shard.calls.count("GetShardIterator") == 1  # only the first, at TRIM_HORIZON
    assert shard.calls.count("GetRecords") == 4


def test_a_refused_iterator_is_replaced_after_the_last_record_delivered() -> None:
    shard, seen = FakeShard(4), []
    p = pump(shard, lambda event, context: seen.extend(r["eventID"] for r in event["Records"]))
    p.poll()
    shard.expired.add("2")
    assert p.poll() == 2
    assert seen == ["0", "1", "2", "3"]
    assert shard.calls.count("GetShardIterator") == 2


def test_a_delivery_that_raises_is_read_again_not_skipped() -> None:
    shard, seen = FakeShard(4), []
    p = pump(shard, lambda event, context: seen.extend(r["eventID"] for r in event["Records"]))
    p.poll()

    def dead_letter(records: list[dict[str, Any]], attempts: int) -> None:
        raise ConnectionError("the on-failure queue is down")

    p._deliver = lambda records: dead_letter(records, 1)  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        p.poll()
    del p._deliver
    assert p.poll() == 2
    assert seen == ["0", "1", "2", "3"]
