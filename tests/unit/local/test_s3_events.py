"""The local stack's S3 notifications: AWS's event shape, once per new or rewritten upload."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from local.s3_events import S3EventPoller, object_created

FIXTURE = Path(__file__).resolve().parents[2] / "events" / "s3_object_created.json"


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


def test_the_event_has_the_documented_shape_and_an_encoded_key() -> None:
    event = object_created("b", "imports/a b/upload", 3, '"e"', "us-east-1", datetime.now(UTC))
    assert _shape(event) == _shape(json.loads(FIXTURE.read_text()))
    record = event["Records"][0]
    assert record["s3"]["object"]["key"] == "imports/a+b/upload"
    assert record["s3"]["object"]["eTag"] == "e" and record["eventName"] == "ObjectCreated:Put"
    assert record["eventTime"].endswith("Z")


def test_each_new_or_rewritten_upload_is_announced_once(moto_environment: None) -> None:
    delivered: list[dict[str, Any]] = []
    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        s3 = session.client("s3")
        s3.create_bucket(Bucket="imports")
        s3.put_object(Bucket="imports", Key="imports/old/upload", Body=b"x")
        poller = S3EventPoller(
            lambda e, c: delivered.append(e), session, "imports", threading.Event()
        )
        assert poller.poll_once() == 0  # there before the poller: not announced
        s3.put_object(Bucket="imports", Key="imports/i1/upload", Body=b"one")
        s3.put_object(Bucket="imports", Key="imports/i1/rejects.csv", Body=b"line")
        assert poller.poll_once() == 1 and poller.poll_once() == 0
        s3.put_object(Bucket="imports", Key="imports/i1/upload", Body=b"two")
        assert poller.poll_once() == 1
    keys = [e["Records"][0]["s3"]["object"]["key"] for e in delivered]
    assert keys == ["imports/i1/upload", "imports/i1/upload"]
    assert [e["Records"][0]["s3"]["object"]["size"] for e in delivered] == [3, 3]


def test_a_failing_invocation_is_retried_twice_as_lambda_does(moto_environment: None) -> None:
    attempts: list[int] = []

    def failing(event: dict[str, Any], context: Any) -> None:
        attempts.append(1)
        raise RuntimeError("boom")

    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        session.client("s3").create_bucket(Bucket="imports")
        poller = S3EventPoller(failing, session, "imports", threading.Event())
        session.client("s3").put_object(Bucket="imports", Key="imports/i/upload", Body=b"x")
        poller.poll_once()
    assert len(attempts) == 3


@pytest.fixture(autouse=True)
def _quiet(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("CRITICAL", logger="local.s3_events")
