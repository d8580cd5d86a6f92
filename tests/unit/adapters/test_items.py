"""Reading every page of a Query: all items, page counts summed, one request per page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ReadTimeoutError
from moto import mock_aws

from chalicelib.adapters.items import all_items, all_pages, first_on_index
from chalicelib.services.exceptions import Unavailable
from chalicelib.services.retry import RetryPolicy

TAG_INDEX = "by-tag"


@pytest.fixture()
def table(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName="t",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
                {"AttributeName": "tag", "AttributeType": "S"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": TAG_INDEX,
                    "KeySchema": [{"AttributeName": "tag", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        for n in range(7):
            item = {"pk": {"S": "a"}, "sk": {"S": f"{n:02d}"}, "tag": {"S": f"t{n % 3}"}}
            client.put_item(TableName="t", Item=item)
        yield client


def query(**extra: Any) -> dict[str, Any]:
    return {
        "TableName": "t",
        "KeyConditionExpression": "pk = :a",
        "ExpressionAttributeValues": {":a": {"S": "a"}},
        **extra,
    }


def test_every_item_of_every_page_in_order(table: Any) -> None:
    calls: list[str] = []
    table.meta.events.register("before-call.dynamodb.Query", lambda **_: calls.append("q"))
    items = list(all_items(table, "query", query(Limit=2)))
    assert [item["sk"] for item in items] == [f"{n:02d}" for n in range(7)]
    assert len(calls) == 4  # pages of 2, 2, 2 and 1


def test_counts_add_up_across_pages(table: Any) -> None:
    pages = all_pages(table, "query", query(Limit=3, Select="COUNT"))
    assert sum(page["Count"] for page in pages) == 7


def fail_calls(table: Any, failing: set[int]) -> list[int]:
    """Make the Query calls numbered in ``failing`` (from 1) time out; returns the count."""
    calls: list[int] = []

    def maybe_fail(**_: Any) -> None:
        calls.append(len(calls) + 1)
        if calls[-1] in failing:
            raise ReadTimeoutError(endpoint_url="http://dynamodb")

    table.meta.events.register("before-call.dynamodb.Query", maybe_fail)
    return calls


def test_a_page_that_timed_out_is_read_again_from_where_it_stopped(table: Any) -> None:
    calls = fail_calls(table, {2, 3, 5})
    pauses: list[float] = []
    retry = RetryPolicy(retries=2, sleep=pauses.append, jitter=lambda: 0.0)
    items = list(all_items(table, "query", query(Limit=2), retry))
    assert [item["sk"] for item in items] == [f"{n:02d}" for n in range(7)]  # each once
    assert len(calls) == 7 and len(pauses) == 3


def test_without_a_retry_a_timeout_is_raised_as_unavailable(table: Any) -> None:
    fail_calls(table, {2})
    with pytest.raises(Unavailable):
        list(all_items(table, "query", query(Limit=2)))


def test_the_first_item_on_an_index_in_one_request(table: Any) -> None:
    calls: list[str] = []
    table.meta.events.register("before-call.dynamodb.Query", lambda **_: calls.append("q"))
    found = first_on_index(table, "t", TAG_INDEX, "tag", "t1")
    assert found is not None and found["tag"] == "t1" and found["sk"] in ("01", "04")
    assert first_on_index(table, "t", TAG_INDEX, "tag", "t9") is None
    assert len(calls) == 2
