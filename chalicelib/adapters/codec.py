"""Convert between plain Python values and DynamoDB's typed attribute values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _prepare(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, (list, tuple)):
        return [_prepare(item) for item in value]
    if isinstance(value, dict):
        return {key: _prepare(item) for key, item in value.items()}
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, set):
        return {_plain(item) for item in value}
    return value


def to_item(data: dict[str, Any]) -> dict[str, Any]:
    """Serialize a flat dict to a DynamoDB item; top-level ``None`` values are left out."""
    return {
        key: _serializer.serialize(_prepare(value))
        for key, value in data.items()
        if value is not None
    }


def to_value(value: Any) -> dict[str, Any]:
    """Serialize one value (for expression attribute values)."""
    return _serializer.serialize(_prepare(value))


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """Deserialize a DynamoDB item to plain Python (numbers become int or float)."""
    return {key: _plain(_deserializer.deserialize(value)) for key, value in item.items()}


def from_image(image: dict[str, Any]) -> dict[str, Any]:
    """Deserialize an already-deserialized stream image (Decimal to int or float)."""
    return {key: _plain(value) for key, value in image.items()}


def update_expression(attributes: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """``SET``/``REMOVE`` expression writing ``attributes`` (``None`` removes the attribute).

    Returns the expression, its attribute names and its attribute values.
    """
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    sets: list[str] = []
    removes: list[str] = []
    for index, (key, value) in enumerate(attributes.items()):
        names[f"#u{index}"] = key
        if value is None:
            removes.append(f"#u{index}")
        else:
            sets.append(f"#u{index} = :u{index}")
            values[f":u{index}"] = to_value(value)
    expression = ""
    if sets:
        expression = "SET " + ", ".join(sets)
    if removes:
        expression += " REMOVE " + ", ".join(removes)
    return expression.strip(), names, values
