"""The item-level rollback for moto's TransactWriteItems behaves as DynamoDB does."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.dynamodb.models import dynamodb_backends

from local import moto_transactions

REGION = "us-east-1"


@pytest.fixture()
def ddb(moto_environment: None) -> Iterator[Any]:
    moto_transactions.install()
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        stream = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        client.create_table(
            TableName="plain",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification=stream,
        )
        client.create_table(
            TableName="ranged",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification=stream,
        )
        yield client


def table(name: str) -> Any:
    return dynamodb_backends["123456789012"][REGION].get_table(name)


def stream_events(name: str) -> list[str]:
    shard = table(name).stream_shard
    return [record.record["eventName"] for record in shard.items]


def everything(client: Any, name: str) -> list[dict[str, Any]]:
    return sorted(
        client.scan(TableName=name)["Items"],
        key=lambda i: (i["pk"]["S"], i.get("sk", {}).get("S", "")),
    )


def seed(client: Any) -> None:
    client.put_item(TableName="plain", Item={"pk": {"S": "a"}, "n": {"N": "1"}})
    client.put_item(TableName="ranged", Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "n": {"N": "1"}})


def bump(name: str, key: dict[str, Any]) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": name,
            "Key": key,
            "UpdateExpression": "ADD n :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }


def test_a_cancelled_transaction_leaves_items_and_streams_as_they_were(ddb: Any) -> None:
    seed(ddb)
    before = {name: everything(ddb, name) for name in ("plain", "ranged")}
    events = {name: stream_events(name) for name in ("plain", "ranged")}
    objects = {name: table(name) for name in ("plain", "ranged")}
    with pytest.raises(ClientError) as raised:
        ddb.transact_write_items(
            TransactItems=[
                bump("plain", {"pk": {"S": "a"}}),
                bump("ranged", {"pk": {"S": "a"}, "sk": {"S": "1"}}),
                {"Put": {"TableName": "plain", "Item": {"pk": {"S": "new"}}}},
                {"Put": {"TableName": "ranged", "Item": {"pk": {"S": "a"}, "sk": {"S": "2"}}}},
                {"Delete": {"TableName": "ranged", "Key": {"pk": {"S": "a"}, "sk": {"S": "1x"}}}},
                {
                    "ConditionCheck": {
                        "TableName": "plain",
                        "Key": {"pk": {"S": "missing"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    reasons = [r["Code"] for r in raised.value.response["CancellationReasons"]]
    assert reasons == ["None"] * 5 + ["ConditionalCheckFailed"]
    assert {name: everything(ddb, name) for name in before} == before
    assert {name: stream_events(name) for name in events} == events
    assert {name: table(name) for name in objects} == objects  # same objects, same shards


def test_a_cancelled_delete_puts_the_item_back(ddb: Any) -> None:
    seed(ddb)
    with pytest.raises(ClientError):
        ddb.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": "plain", "Key": {"pk": {"S": "a"}}}},
                {"Delete": {"TableName": "ranged", "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}}}},
                {
                    "Put": {
                        "TableName": "plain",
                        "Item": {"pk": {"S": "b"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    assert ddb.get_item(TableName="plain", Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": "1"}
    ranged = ddb.get_item(TableName="ranged", Key={"pk": {"S": "a"}, "sk": {"S": "1"}})
    assert ranged["Item"]["n"] == {"N": "1"}


def test_a_committed_transaction_writes_every_action_and_its_stream_records(ddb: Any) -> None:
    seed(ddb)
    ddb.transact_write_items(
        TransactItems=[
            bump("plain", {"pk": {"S": "a"}}),
            {"Put": {"TableName": "ranged", "Item": {"pk": {"S": "a"}, "sk": {"S": "2"}}}},
        ]
    )
    assert ddb.get_item(TableName="plain", Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": "2"}
    assert len(everything(ddb, "ranged")) == 2
    assert stream_events("plain") == ["INSERT", "MODIFY"]
    assert stream_events("ranged") == ["INSERT", "INSERT"]


def test_two_actions_on_one_item_are_refused_and_nothing_is_written(ddb: Any) -> None:
    seed(ddb)
    with pytest.raises(ClientError) as raised:
        ddb.transact_write_items(
            TransactItems=[
                bump("plain", {"pk": {"S": "a"}}),
                bump("plain", {"pk": {"S": "a"}}),
            ]
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert ddb.get_item(TableName="plain", Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": "1"}
    assert stream_events("plain") == ["INSERT"]


def test_install_is_idempotent() -> None:
    moto_transactions.install()
    moto_transactions.install()
    from moto.dynamodb.models import DynamoDBBackend

    assert DynamoDBBackend.transact_write_items is moto_transactions.transact_write_items
