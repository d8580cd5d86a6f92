"""moto in a child process: AWS calls reach it, the viewer's mail route and the request
counts answer, it stops."""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Iterator

import boto3
import pytest

from local.moto_process import MotoProcess, from_mail_route
from local.moto_requests import read_counts


@pytest.fixture()
def moto(moto_environment: None, free_port: int) -> Iterator[MotoProcess]:
    server = MotoProcess("127.0.0.1", free_port)
    server.start()
    yield server
    server.stop()


def test_mail_sent_through_the_child_is_in_its_mail_route(moto: MotoProcess) -> None:
    ses = boto3.client("sesv2", endpoint_url=moto.endpoint)
    ses.create_email_identity(EmailIdentity="shop@example.com")
    ses.send_email(
        FromEmailAddress="shop@example.com",
        Destination={"ToAddresses": ["ana@example.com"]},
        Content={"Simple": {"Subject": {"Data": "你好"}, "Body": {"Html": {"Data": "<p>好</p>"}}}},
    )
    mail = from_mail_route(moto.endpoint)
    assert [(m["to"], m["subject"], m["html"]) for m in mail] == [
        (["ana@example.com"], "你好", "<p>好</p>")
    ]


def test_the_child_keeps_dynamodb_state_and_stops(moto: MotoProcess) -> None:
    dynamodb = boto3.client("dynamodb", endpoint_url=moto.endpoint)
    dynamodb.create_table(
        TableName="t",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}})
    assert dynamodb.get_item(TableName="t", Key={"pk": {"S": "a"}})["Item"] == {"pk": {"S": "a"}}
    moto.stop()
    with pytest.raises(OSError), socket.create_connection((moto.host, moto.port), timeout=1):
        pass


def test_the_child_counts_every_request_it_received(moto: MotoProcess) -> None:
    dynamodb = boto3.client("dynamodb", endpoint_url=moto.endpoint)
    for name in ("a", "b"):
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    before = read_counts(moto.endpoint)
    dynamodb.put_item(TableName="a", Item={"pk": {"S": "1"}})
    dynamodb.put_item(TableName="a", Item={"pk": {"S": "2"}})
    dynamodb.batch_write_item(
        RequestItems={
            "a": [{"PutRequest": {"Item": {"pk": {"S": str(n)}}}} for n in range(3, 28)],
            "b": [{"PutRequest": {"Item": {"pk": {"S": "x"}}}}],
        }
    )
    dynamodb.transact_write_items(
        TransactItems=[{"Put": {"TableName": "b", "Item": {"pk": {"S": "y"}}}}]
    )
    dynamodb.get_item(TableName="a", Key={"pk": {"S": "1"}})
    after = read_counts(moto.endpoint)
    requests = Counter(after["requests"]) - Counter(before["requests"])
    assert requests == Counter(
        {
            "dynamodb:PutItem": 2,
            "dynamodb:BatchWriteItem": 1,
            "dynamodb:TransactWriteItems": 1,
            "dynamodb:GetItem": 1,
        }
    )
    writes = Counter(after["writes_by_table"]) - Counter(before["writes_by_table"])
    assert writes == Counter({"a": 3, "b": 2})
    assert after["peak_rss_mb"] > 20  # moto's own process, tables and all
