"""moto answers the same bytes with the direct attribute-value path as with its model path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.serialize import BaseJSONSerializer

from local import moto_serializer

REGION = "us-east-1"
ITEM = {
    "pk": {"S": "c-1"},
    "name": {"S": "王芳"},
    "spent": {"N": "26400"},
    "ratio": {"N": "0.25"},
    "active": {"BOOL": True},
    "gone": {"NULL": True},
    "digest": {"B": b"\x00\x01\xfe\xff"},
    "digests": {"BS": [b"\x01", b"\x02\x03"]},
    "tags": {"SS": ["tea", "teaware"]},
    "days": {"NS": ["20260101", "20260102"]},
    "stats": {
        "M": {
            "orders": {"N": "3"},
            "purchase_days": {"M": {"2026-01-01": {"N": "8800"}}},
            "lines": {"L": [{"S": "OOLONG"}, {"M": {"q": {"N": "1"}}}, {"L": []}]},
            "empty": {"M": {}},
        }
    },
}


def _raw_answers() -> list[bytes]:
    """The raw bodies moto answers for a write then every read that returns items."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        bodies: list[bytes] = []

        def keep(response_dict: dict[str, Any], **_: Any) -> None:
            bodies.append(response_dict["body"])

        for operation in ("PutItem", "UpdateItem", "GetItem", "Scan", "Query"):
            client.meta.events.register(f"before-parse.dynamodb.{operation}", keep)
        client.put_item(TableName="t", Item=ITEM)
        client.update_item(
            TableName="t",
            Key={"pk": {"S": "c-1"}},
            UpdateExpression="SET spent = :s",
            ExpressionAttributeValues={":s": {"N": "30000"}},
            ReturnValues="ALL_NEW",
        )
        client.get_item(TableName="t", Key={"pk": {"S": "c-1"}})
        client.scan(TableName="t")
        client.query(
            TableName="t",
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": "c-1"}},
        )
        streams = boto3.client("dynamodbstreams", region_name=REGION)
        streams.meta.events.register("before-parse.dynamodbstreams.GetRecords", keep)
        arn = client.describe_table(TableName="t")["Table"]["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records = streams.get_records(ShardIterator=iterator)["Records"]
        assert records[-1]["dynamodb"]["NewImage"]["digest"] == {"B": b"\x00\x01\xfe\xff"}
        # record ids and times differ from run to run: keep the images and keys
        images = [r["dynamodb"] for r in json.loads(bodies.pop())["Records"]]
        for image in images:
            image.pop("ApproximateCreationDateTime")
            image.pop("SizeBytes")  # moto counts the record's time in its size
        return [*bodies, json.dumps(images).encode()]


@pytest.fixture()
def aws(monkeypatch: pytest.MonkeyPatch, moto_environment: None) -> Iterator[None]:
    # whatever another test installed, start from moto's own path and restore it after
    monkeypatch.setattr(
        BaseJSONSerializer,
        "_serialize_type_structure",
        getattr(BaseJSONSerializer._serialize_type_structure, "model_path", None)
        or BaseJSONSerializer._serialize_type_structure,
    )
    yield


def test_the_direct_path_answers_the_same_bytes_as_the_model_path(aws: None) -> None:
    model = _raw_answers()
    moto_serializer.install()
    assert getattr(BaseJSONSerializer._serialize_type_structure, "model_path", None)
    direct = _raw_answers()
    assert len(direct) == len(model) == 6  # put, update, get, scan, query, records
    assert direct == model


def test_values_not_in_wire_form_are_left_to_moto(aws: None) -> None:
    moto_serializer.install()
    serializer = BaseJSONSerializer.__new__(BaseJSONSerializer)
    with pytest.raises(moto_serializer.NotWireForm):
        moto_serializer.wire_value(serializer, {"S": "a", "N": "1"})
    with pytest.raises(moto_serializer.NotWireForm):
        moto_serializer.wire_value(serializer, {"M": {"x": {"X": 1}}})
    assert moto_serializer.wire_value(serializer, {"L": [{"N": 1}]}) == {"L": [{"N": "1"}]}
