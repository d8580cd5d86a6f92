"""Turn records read with boto3's ``dynamodbstreams`` into what Lambda sends.

boto3 gives ``ApproximateCreationDateTime`` as a ``datetime`` (Lambda: epoch seconds),
binary attributes as raw bytes (Lambda: base64 text) and no ``eventSourceARN``.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any


def _attribute(value: dict[str, Any]) -> dict[str, Any]:
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64encode(inner).decode("ascii") if isinstance(inner, bytes) else inner}
    if kind == "BS":
        return {
            "BS": [
                base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v for v in inner
            ]
        }
    if kind == "M":
        return {"M": {k: _attribute(v) for k, v in inner.items()}}
    if kind == "L":
        return {"L": [_attribute(v) for v in inner]}
    return {kind: inner}


def _image(image: dict[str, Any] | None) -> dict[str, Any] | None:
    if image is None:
        return None
    return {name: _attribute(value) for name, value in image.items()}


def lambda_record(record: dict[str, Any], stream_arn: str, region: str) -> dict[str, Any]:
    """One stream record as Lambda delivers it."""
    stream = dict(record["dynamodb"])
    created = stream.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        stream["ApproximateCreationDateTime"] = int(created.timestamp())
    for name in ("Keys", "NewImage", "OldImage"):
        if name in stream:
            stream[name] = _image(stream[name])
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": record.get("awsRegion", region),
        "dynamodb": stream,
        "eventSourceARN": stream_arn,
    }


def lambda_event(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The event a stream-triggered Lambda receives."""
    return {"Records": records}
