"""moto's Query narrowed to the partition or the index's matches answers as moto does."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.models.table import Table

from local import moto_queries

TABLE = "queries"


@pytest.fixture()
def client(moto_environment: None) -> Iterator[Any]:
    """A table with a sparse string-keyed index, a number-keyed one, and random items."""
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName=TABLE,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": name, "AttributeType": kind}
                for name, kind in (("pk", "S"), ("sk", "S"), ("sku", "S"), ("who", "S"), ("n", "N"))
            ],
            GlobalSecondaryIndexes=[
                _index("by-sku", [("sku", "HASH"), ("who", "RANGE")]),
                _index("by-n", [("n", "HASH")]),
            ],
        )
        rng = random.Random(7)
        for i in range(400):
            item = {"pk": {"S": f"p{rng.randrange(25)}"}, "sk": {"S": f"s{i:04d}"}}
            if rng.random() < 0.8:  # sparse: some items are not in the index
                item["sku"] = {"S": rng.choice(["K-1", "K-2", "K-3"])}
                item["who"] = {"S": f"c{rng.randrange(60):03d}"}
            item["n"] = {"N": str(rng.randrange(4))}
            item["weight"] = {"N": str(rng.randrange(100))}
            dynamodb.put_item(TableName=TABLE, Item=item)
        yield dynamodb


def _index(name: str, keys: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [{"AttributeName": a, "KeyType": k} for a, k in keys],
        "Projection": {"ProjectionType": "ALL"},
    }


QUERIES: list[dict[str, Any]] = [
    {"KeyConditionExpression": "pk = :v", "ExpressionAttributeValues": {":v": {"S": "p3"}}},
    {
        "KeyConditionExpression": "pk = :v AND begins_with(sk, :s)",
        "ExpressionAttributeValues": {":v": {"S": "p4"}, ":s": {"S": "s01"}},
        "ScanIndexForward": False,
    },
    {
        "KeyConditionExpression": "pk = :v",
        "FilterExpression": "weight > :m",
        "ExpressionAttributeValues": {":v": {"S": "p5"}, ":m": {"N": "50"}},
    },
    {"KeyConditionExpression": "pk = :v", "ExpressionAttributeValues": {":v": {"S": "none"}}},
    {
        "IndexName": "by-sku",
        "KeyConditionExpression": "sku = :v",
        "ExpressionAttributeValues": {":v": {"S": "K-2"}},
    },
    {
        "IndexName": "by-sku",
        "KeyConditionExpression": "sku = :v",
        "ExpressionAttributeValues": {":v": {"S": "K-1"}},
        "ScanIndexForward": False,
    },
    {
        "IndexName": "by-sku",
        "KeyConditionExpression": "sku = :v AND who BETWEEN :a AND :b",
        "ExpressionAttributeValues": {":v": {"S": "K-3"}, ":a": {"S": "c010"}, ":b": {"S": "c030"}},
    },
    {
        "IndexName": "by-sku",
        "KeyConditionExpression": "sku = :v",
        "FilterExpression": "weight < :m",
        "ProjectionExpression": "pk, sk, who",
        "ExpressionAttributeValues": {":v": {"S": "K-1"}, ":m": {"N": "30"}},
    },
    {
        "IndexName": "by-n",
        "KeyConditionExpression": "n = :v",
        "ExpressionAttributeValues": {":v": {"N": "2"}},
    },
]


def _pages(dynamodb: Any, query: dict[str, Any], limit: int) -> list[Any]:
    """Every page of ``query`` (items, counts and ``LastEvaluatedKey``)."""
    pages, start = [], None
    while True:
        extra: dict[str, Any] = {"ExclusiveStartKey": start} if start else {}
        page = dynamodb.query(TableName=TABLE, Limit=limit, **query, **extra)
        page.pop("ResponseMetadata")
        pages.append(page)
        start = page.get("LastEvaluatedKey")
        if not start:
            return pages


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
@pytest.mark.parametrize("limit", [7, 50, 1000])
def test_the_narrowed_query_answers_every_page_as_moto_does(
    client: Any, query: dict[str, Any], limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    moto_queries.install()
    narrowed = _pages(client, query, limit)
    monkeypatch.setattr(Table, "query", Table.query.moto_query)  # type: ignore[attr-defined]
    theirs = _pages(client, query, limit)
    assert narrowed == theirs
    assert sum(page["Count"] for page in theirs) > 0 or query is QUERIES[3]


def test_install_is_idempotent() -> None:
    moto_queries.install()
    installed = Table.query
    moto_queries.install()
    assert Table.query is installed
    assert getattr(installed, "moto_query", None) is not None


def test_a_partition_or_string_index_query_never_lists_the_whole_table(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    moto_queries.install()

    def whole_table(self: Table) -> list[Any]:
        raise AssertionError("all_items sorted the whole table")

    monkeypatch.setattr(Table, "all_items", whole_table)
    for query in QUERIES[:8]:
        assert _pages(client, query, 50)
    with pytest.raises(Exception, match="whole table"):
        _pages(client, QUERIES[8], 50)  # a number hash key: moto's own path
