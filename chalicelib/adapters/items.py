"""Reading DynamoDB the way every repository does: one item, or every page of a read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.services.ports import Retrier

T = TypeVar("T")


def once(call: Callable[[], T]) -> T:
    """Call ``call`` once: the :class:`Retrier` of reads that are never retried here."""
    return call()


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


def first_on_index(
    client: Any, table: str, index: str, key_name: str, value: str
) -> dict[str, Any] | None:
    """The first item of ``index`` whose (string) key ``key_name`` is ``value``, as plain
    Python, or ``None`` (an index read: eventually consistent)."""
    with throttling_as_adapter_error():
        response = client.query(
            TableName=table,
            IndexName=index,
            KeyConditionExpression="#k = :v",
            ExpressionAttributeNames={"#k": key_name},
            ExpressionAttributeValues={":v": {"S": value}},
            Limit=1,
        )
    items = response.get("Items") or []
    return codec.from_item(items[0]) if items else None


def all_pages(
    client: Any, operation: str, arguments: dict[str, Any], retry: Retrier = once
) -> Iterator[dict[str, Any]]:
    """Every page of a ``query`` or ``scan`` (boto3's paginator), one request per page.

    Transient errors that outlived the SDK's retries (``Throttled``, ``Unavailable``) are
    raised for the page they stopped, through ``retry``: a page read again starts at the
    previous page's ``LastEvaluatedKey``, so no item is returned twice.
    """
    pages = _Pages(client, operation, arguments)
    while True:
        page = retry(pages.next)
        if page is None:
            return
        yield page


class _Pages:
    """The paginator's pages, resumable after a failed request at the page it stopped."""

    def __init__(self, client: Any, operation: str, arguments: dict[str, Any]) -> None:
        self._paginator = client.get_paginator(operation)
        self._arguments = arguments
        self._start: dict[str, Any] | None = arguments.get("ExclusiveStartKey")
        self._pages: Iterator[dict[str, Any]] | None = None
        self._done = False

    def next(self) -> dict[str, Any] | None:
        """The next page, or ``None`` after the last."""
        if self._done:
            return None
        if self._pages is None:
            start = {"ExclusiveStartKey": self._start} if self._start else {}
            self._pages = iter(self._paginator.paginate(**{**self._arguments, **start}))
        try:
            with throttling_as_adapter_error():
                page = next(self._pages, None)
        except Exception:
            self._pages = None  # the paginator stops at an error: resume from the start key
            raise
        self._start = page.get("LastEvaluatedKey") if page is not None else None
        self._done = page is None or self._start is None
        return page


def all_items(
    client: Any, operation: str, arguments: dict[str, Any], retry: Retrier = once
) -> Iterator[dict[str, Any]]:
    """Every item a ``query`` or ``scan`` returns, page after page, as plain Python."""
    for page in all_pages(client, operation, arguments, retry):
        for item in page.get("Items", []):
            yield codec.from_item(item)
