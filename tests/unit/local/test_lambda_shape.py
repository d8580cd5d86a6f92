"""boto3 ``dynamodbstreams`` records turned into the records Lambda delivers."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from local.lambda_shape import lambda_event, lambda_record

FIXTURE = Path(__file__).resolve().parents[2] / "events" / "dynamodb_stream_lambda_shape.json"
STREAM_ARN = (
    "arn:aws:dynamodb:us-east-1:123456789012:table/rapport-messages/stream/2024-06-15T00:00:00.000"
)


def boto3_record() -> dict[str, Any]:
    """A record as ``dynamodbstreams.get_records`` returns it: datetime and raw bytes."""
    return {
        "eventID": "5b7c1f7e0e1a4c3c9d2f1a0b9c8d7e6f",
        "eventName": "MODIFY",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "ApproximateCreationDateTime": datetime(2024, 6, 15, 8, 30, 5, tzinfo=UTC),
            "Keys": {"customer_id": {"S": "c-1"}, "message_key": {"S": "welcome"}},
            "NewImage": {
                "customer_id": {"S": "c-1"},
                "message_key": {"S": "welcome"},
                "attempts": {"N": "1"},
                "sent": {"BOOL": True},
                "digest": {"B": b"\x00\x01\xfe\xff"},
                "thumbs": {"BS": [b"hi", b"\xff"]},
                "context": {
                    "M": {
                        "order_id": {"S": "o-1"},
                        "token": {"B": b"Rapport"},
                        "lines": {
                            "L": [
                                {"M": {"sku": {"S": "tea-1"}, "sig": {"B": b"\x01\x02\x03"}}},
                                {"BS": [b"a"]},
                                {"N": "2"},
                                {"NULL": True},
                                {"BOOL": False},
                                {"SS": ["x", "y"]},
                            ]
                        },
                    }
                },
            },
            "OldImage": {
                "customer_id": {"S": "c-1"},
                "message_key": {"S": "welcome"},
                "attempts": {"N": "0"},
                "digest": {"B": b"\x00"},
            },
            "SequenceNumber": "4100000000000000000000001",
            "SizeBytes": 321,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }


def test_record_matches_the_lambda_fixture() -> None:
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert lambda_record(boto3_record(), STREAM_ARN, "us-east-1") == expected


def test_converted_record_is_plain_json() -> None:
    converted = lambda_record(boto3_record(), STREAM_ARN, "us-east-1")
    assert json.loads(json.dumps(converted)) == converted


def test_creation_time_becomes_integer_epoch_seconds() -> None:
    record = boto3_record()
    record["dynamodb"]["ApproximateCreationDateTime"] = datetime(
        2024, 6, 15, 16, 30, 5, 999_000, tzinfo=timezone(timedelta(hours=8))
    )
    created = lambda_record(record, STREAM_ARN, "us-east-1")["dynamodb"][
        "ApproximateCreationDateTime"
    ]
    assert created == 1718440205
    assert type(created) is int


def test_binary_values_are_standard_base64_at_every_depth() -> None:
    image = lambda_record(boto3_record(), STREAM_ARN, "us-east-1")["dynamodb"]["NewImage"]
    assert image["digest"] == {"B": "AAH+/w=="}
    assert image["thumbs"] == {"BS": ["aGk=", "/w=="]}
    assert image["context"]["M"]["token"] == {"B": "UmFwcG9ydA=="}
    lines = image["context"]["M"]["lines"]["L"]
    assert lines[0]["M"]["sig"] == {"B": "AQID"}
    assert lines[1] == {"BS": ["YQ=="]}


def test_other_attribute_types_pass_through() -> None:
    image = lambda_record(boto3_record(), STREAM_ARN, "us-east-1")["dynamodb"]["NewImage"]
    assert image["attempts"] == {"N": "1"}
    assert image["sent"] == {"BOOL": True}
    assert image["context"]["M"]["lines"]["L"][2:] == [
        {"N": "2"},
        {"NULL": True},
        {"BOOL": False},
        {"SS": ["x", "y"]},
    ]


def test_keys_and_old_image_are_converted_too() -> None:
    record = boto3_record()
    record["dynamodb"]["Keys"]["blob_key"] = {"B": b"\xff"}
    stream = lambda_record(record, STREAM_ARN, "us-east-1")["dynamodb"]
    assert stream["Keys"]["blob_key"] == {"B": "/w=="}
    assert stream["OldImage"]["digest"] == {"B": "AA=="}


def test_event_source_arn_is_added() -> None:
    converted = lambda_record(
        boto3_record(), "arn:aws:dynamodb:eu-west-1:1:table/t/stream/x", "eu-west-1"
    )
    assert converted["eventSourceARN"] == "arn:aws:dynamodb:eu-west-1:1:table/t/stream/x"
    assert converted["eventSource"] == "aws:dynamodb"


def test_missing_region_and_version_get_lambdas_defaults() -> None:
    record = boto3_record()
    del record["awsRegion"]
    del record["eventVersion"]
    converted = lambda_record(record, STREAM_ARN, "ap-east-1")
    assert converted["awsRegion"] == "ap-east-1"
    assert converted["eventVersion"] == "1.1"


def test_record_region_wins_over_the_default() -> None:
    assert lambda_record(boto3_record(), STREAM_ARN, "ap-east-1")["awsRegion"] == "us-east-1"


def test_remove_record_with_keys_and_old_image_only() -> None:
    record = boto3_record()
    record["eventName"] = "REMOVE"
    del record["dynamodb"]["NewImage"]
    record["dynamodb"]["StreamViewType"] = "OLD_IMAGE"
    stream = lambda_record(record, STREAM_ARN, "us-east-1")["dynamodb"]
    assert "NewImage" not in stream
    assert stream["OldImage"]["digest"] == {"B": "AA=="}


def test_input_record_is_not_changed() -> None:
    record = boto3_record()
    before = copy.deepcopy(record)
    lambda_record(record, STREAM_ARN, "us-east-1")
    assert record == before


def test_already_converted_values_are_left_as_they_are() -> None:
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    record = copy.deepcopy(expected)
    del record["eventSourceARN"]
    assert lambda_record(record, STREAM_ARN, "us-east-1") == expected


def test_event_wraps_records() -> None:
    first = lambda_record(boto3_record(), STREAM_ARN, "us-east-1")
    assert lambda_event([first, first]) == {"Records": [first, first]}
    assert lambda_event([]) == {"Records": []}
