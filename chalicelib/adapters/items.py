"""Reading DynamoDB the way every repository does: one item, or every page of a read."""

from __future__ import annotations

from collections.abc import Iterator
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


def all_pages(client: Any, operation: str, arguments: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every page of a ``query`` or ``scan`` (boto3's paginator), one request per page.

    Throttling that outlived the SDK's retries is raised as ``Throttled`` for the page
    it stopped.
    """
    pages = iter(client.get_paginator(operation).paginate(**arguments))
    while True:
        with throttling_as_adapter_error():
            page = next(pages, None)
        if page is None:
            return
        yield page


def all_items(client: Any, operation: str, arguments: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item a ``query`` or ``scan`` returns, page after page, as plain Python."""
    for page in all_pages(client, operation, arguments):
        for item in page.get("Items", []):
            yield codec.from_item(item)
