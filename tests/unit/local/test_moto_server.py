"""The embedded moto server: kept-alive connections, every backend still reached."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from local.moto_server import RememberingDispatcher, SerializedMotoServer


@pytest.fixture()
def moto(moto_environment: None, free_port: int) -> Iterator[str]:
    server = SerializedMotoServer(ip_address="127.0.0.1", port=free_port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _list_tables(connection: http.client.HTTPConnection) -> dict[str, Any]:
    connection.request(
        "POST",
        "/",
        body=b"{}",
        headers={
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Content-Type": "application/x-amz-json-1.0",
            "Authorization": "AWS4-HMAC-SHA256 Credential=local/20261201/us-east-1/dynamodb/"
            "aws4_request, SignedHeaders=host, Signature=0",
        },
    )
    response = connection.getresponse()
    assert response.getheader("Connection") != "close"
    return dict(json.loads(response.read()))


def test_one_connection_carries_several_requests(moto: str) -> None:
    connection = http.client.HTTPConnection(moto.removeprefix("http://"), timeout=10)
    _list_tables(connection)
    first = connection.sock
    assert _list_tables(connection) == {"TableNames": []}
    assert connection.sock is first  # the same TCP connection: no reconnect
    connection.close()


def test_each_service_reaches_its_own_backend(moto: str) -> None:
    dynamodb = boto3.client("dynamodb", endpoint_url=moto)
    sqs = boto3.client("sqs", endpoint_url=moto)
    for _ in range(2):  # the second time from the remembered backends
        assert dynamodb.list_tables()["TableNames"] == []
        assert "QueueUrl" in sqs.create_queue(QueueName="q")


def test_the_dispatcher_remembers_a_hosts_backend() -> None:
    dispatcher = RememberingDispatcher(lambda service: None)
    assert dispatcher.get_backend_for_host("dynamodb.us-east-1.amazonaws.com") == "dynamodb"
    dispatcher.backend_url_patterns = []  # moto's own look-up would now find nothing
    assert dispatcher.get_backend_for_host("dynamodb.us-east-1.amazonaws.com") == "dynamodb"
