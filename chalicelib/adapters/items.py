"""Reading one DynamoDB item, the way every repository does it."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error


def get_item(
    client: Any, table: str, key: dict[str, str], consistent: bool = True
) -> dict[str, Any] | None:
    """The item at ``key`` (string key attributes) as plain Python, or ``None``."""
    with throttling_as_adapter_error():
        response = client.get_item(
            TableName=table,
            Key={name: {"S": value} for name, value in key.items()},
            ConsistentRead=consistent,
        )
    item = response.get("Item")
    return codec.from_item(item) if item else None
