"""The request counter names each request's operation and the tables a write writes."""

from __future__ import annotations

import io
import json
from typing import Any

from local.moto_requests import COUNTS_PATH, RequestCounter, operation, written_tables

SIGNED = "AWS4-HMAC-SHA256 Credential=local/20261202/us-east-1/{}/aws4_request, Signed…"


def _environ(
    body: bytes = b"", target: str = "", service: str = "dynamodb", **extra: str
) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_AUTHORIZATION": SIGNED.format(service),
        **extra,
    }
    if target:
        environ["HTTP_X_AMZ_TARGET"] = target
    return environ


def test_json_targets_name_the_service_and_operation() -> None:
    assert operation(_environ(target="DynamoDB_20120810.PutItem"), b"") == "dynamodb:PutItem"
    streams = _environ(target="DynamoDBStreams_20120810.GetRecords", service="dynamodb")
    assert operation(streams, b"") == "dynamodbstreams:GetRecords"
    sqs = _environ(target="AmazonSQS.ReceiveMessage", service="sqs")
    assert operation(sqs, b"") == "sqs:ReceiveMessage"


def test_query_actions_and_rest_calls_are_named_by_action_or_method() -> None:
    form = b"Action=Publish&TopicArn=arn"
    sns = _environ(form, service="sns", CONTENT_TYPE="application/x-www-form-urlencoded")
    assert operation(sns, form) == "sns:Publish"
    presigned = _environ(
        REQUEST_METHOD="PUT",
        QUERY_STRING="X-Amz-Credential=local%2F20261202%2Fus-east-1%2Fs3%2Faws4_request",
    )
    del presigned["HTTP_AUTHORIZATION"]
    assert operation(presigned, b"") == "s3:PUT"


def test_a_write_counts_once_for_each_table_it_writes() -> None:
    batch = {"RequestItems": {"orders": [{"PutRequest": {}}] * 25, "timeline": [{}]}}
    assert written_tables("BatchWriteItem", json.dumps(batch).encode()) == {"orders", "timeline"}
    transaction = {
        "TransactItems": [
            {"Update": {"TableName": "customers"}},
            {"Put": {"TableName": "timeline"}},
            {"Put": {"TableName": "timeline"}},
        ]
    }
    tables = written_tables("TransactWriteItems", json.dumps(transaction).encode())
    assert tables == {"customers", "timeline"}
    assert written_tables("PutItem", b'{"TableName": "orders"}') == {"orders"}
    assert written_tables("GetItem", b'{"TableName": "orders"}') == set()


def test_the_counter_passes_requests_through_and_answers_its_counts() -> None:
    seen: list[bytes] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(environ["wsgi.input"].read())
        start_response("200 OK", [])
        return [b"{}"]

    counter = RequestCounter(app)
    put = b'{"TableName": "orders", "Item": {}}'
    for _ in range(3):
        counter(_environ(put, "DynamoDB_20120810.PutItem"), lambda *a: None)
    counter(_environ(b"{}", "DynamoDBStreams_20120810.GetRecords"), lambda *a: None)
    assert seen == [put, put, put, b"{}"]  # moto still reads the whole body
    answer = counter({"PATH_INFO": COUNTS_PATH}, lambda *a: None)
    counts = json.loads(b"".join(answer))
    assert counts["requests"] == {"dynamodb:PutItem": 3, "dynamodbstreams:GetRecords": 1}
    assert counts["writes_by_table"] == {"orders": 3}
    assert counts["peak_rss_mb"] > 0
