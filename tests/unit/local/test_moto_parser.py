"""DynamoDB requests parse to what moto's model path gives, attribute values and all."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from moto.core.parse import BaseJSONParser, JSONParser
from moto.core.responses import get_service_model

from local import moto_parser

ITEM: dict[str, Any] = {
    "order_id": {"S": "o-1"},
    "total": {"N": "4800"},
    "paid": {"BOOL": True},
    "gone": {"NULL": True},
    "tags": {"SS": ["a", "b"]},
    "scores": {"NS": ["1", "2.5"]},
    "blob": {"B": base64.b64encode(b"\x00\x01").decode()},
    "blobs": {"BS": [base64.b64encode(b"x").decode()]},
    "lines": {"L": [{"M": {"sku": {"S": "T"}, "quantity": {"N": "2"}}}, {"S": "x"}]},
    "empty": {"M": {}},
}
REQUESTS: list[tuple[str, dict[str, Any]]] = [
    (
        "PutItem",
        {"TableName": "t", "Item": ITEM, "ConditionExpression": "attribute_not_exists(#r)"},
    ),
    ("BatchWriteItem", {"RequestItems": {"t": [{"PutRequest": {"Item": ITEM}}] * 3}}),
    (
        "TransactWriteItems",
        {
            "TransactItems": [
                {
                    "Update": {
                        "TableName": "t",
                        "Key": {"order_id": {"S": "o-1"}},
                        "UpdateExpression": "SET #a = :a",
                        "ExpressionAttributeValues": {":a": ITEM["lines"]},
                    }
                },
            ]
        },
    ),  # fmt: skip
    ("PutItem", {"TableName": "t", "Item": {"k": {"S": None}, "two": {"S": "a", "N": "1"}}}),
    ("PutItem", {"TableName": "t", "Item": {"n": {"N": 5}, "b": {"B": "not base64!"}}}),
    ("PutItem", {"TableName": "t", "Item": {"s": {"SS": ["a", 1]}, "f": {"BOOL": "yes"}}}),
]


def _parse(operation: str, body: dict[str, Any]) -> Any:
    parser = JSONParser(get_service_model("dynamodb").operation_model(operation), map_type=dict)
    try:
        return parser.parse({"body": json.dumps(body).encode(), "headers": {}})  # type: ignore[typeddict-item]
    except Exception as error:  # noqa: BLE001 - the error is the outcome compared
        return (type(error).__name__, str(error))


@pytest.mark.parametrize(("operation", "body"), REQUESTS)
def test_a_request_parses_as_moto_parses_it(
    operation: str, body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    moto_parser.install()
    ours = _parse(operation, body)
    with monkeypatch.context() as own:
        model_path = BaseJSONParser._parse_structure.model_path  # type: ignore[attr-defined]
        own.setattr(BaseJSONParser, "_parse_structure", model_path)
        theirs = _parse(operation, body)
    assert ours == theirs


def test_blobs_are_decoded_and_nulls_of_members_dropped_as_moto_does() -> None:
    assert moto_parser.attribute_value(ITEM["blob"]) == {"B": b"\x00\x01"}
    with pytest.raises(moto_parser.NotWireForm):
        moto_parser.attribute_value({"S": None})


def test_install_is_idempotent() -> None:
    moto_parser.install()
    installed = BaseJSONParser._parse_structure
    moto_parser.install()
    assert BaseJSONParser._parse_structure is installed
