"""One page of a query behind an opaque cursor: what it gives out, it takes back; nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from chalicelib.adapters.pages import encode_cursor, key_of, query_page

KEYS = frozenset({"customer_id", "entry_key"})
LAST = {"customer_id": {"S": "c-1"}, "entry_key": {"S": "e#2"}}


class Client:
    """A query that answers one item and the key it stopped at, or raises ``error``."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[dict[str, Any]] = []

    def query(self, **arguments: Any) -> dict[str, Any]:
        self.calls.append(arguments)
        if self.error is not None:
            raise self.error
        return {"Items": [{"customer_id": {"S": "c-1"}}], "LastEvaluatedKey": LAST}


def test_the_next_cursor_starts_the_next_page_where_the_last_stopped() -> None:
    client = Client()
    items, cursor = query_page(client, {"TableName": "t"}, None, key_of(KEYS, customer_id="c-1"))
    assert items == [{"customer_id": "c-1"}] and cursor == encode_cursor(LAST)
    query_page(client, {"TableName": "t"}, cursor, key_of(KEYS, customer_id="c-1"))
    assert "ExclusiveStartKey" not in client.calls[0]
    assert client.calls[1]["ExclusiveStartKey"] == LAST


def test_a_cursor_of_another_partition_or_shape_is_refused_before_any_query() -> None:
    client = Client()
    with pytest.raises(ValueError, match="bad cursor"):
        query_page(client, {}, encode_cursor(LAST), key_of(KEYS, customer_id="c-2"))
    with pytest.raises(ValueError, match="bad cursor"):
        query_page(client, {}, encode_cursor(LAST), key_of(frozenset({"customer_id"})))
    with pytest.raises(ValueError, match="bad cursor"):
        query_page(client, {}, "not-a-cursor", key_of(KEYS))
    assert client.calls == []


@pytest.mark.parametrize(
    "error",
    [
        ClientError({"Error": {"Code": "ValidationException"}}, "Query"),
        ParamValidationError(report="bad start key"),
    ],
)
def test_a_start_key_the_table_refuses_is_a_bad_cursor(error: Exception) -> None:
    with pytest.raises(ValueError, match="bad cursor"):
        query_page(Client(error), {}, encode_cursor(LAST), key_of(KEYS))


def test_without_a_cursor_a_refused_query_is_not_blamed_on_the_cursor() -> None:
    error = ClientError({"Error": {"Code": "ValidationException"}}, "Query")
    with pytest.raises(ClientError):
        query_page(Client(error), {}, None, key_of(KEYS))
