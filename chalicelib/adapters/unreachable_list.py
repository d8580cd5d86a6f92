"""Profiles with no deliverable contact, from the customers table's ``unreachable`` index.

Only unreachable profiles carry ``unreachable_key`` (:func:`profile_items.profile_to_item`),
so the index is sparse; it sorts by ``customer_id``.
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.pages import key_of, query_page
from chalicelib.adapters.profile_items import UNREACHABLE, is_profile, profile_from_item
from chalicelib.domain.profile import Profile

UNREACHABLE_INDEX = "unreachable"
_CURSOR_KEYS = frozenset({"customer_id", "unreachable_key"})


class DynamoUnreachableList:
    """Implements :class:`chalicelib.services.ports.UnreachableList`."""

    def __init__(self, client: Any, customers_table: str) -> None:
        self._client = client
        self._table = customers_table

    def page(self, limit: int, cursor: str | None) -> tuple[list[Profile], str | None]:
        """One page of unreachable profiles and the next page's cursor (``None`` at the end).

        Raises ``ValueError`` for a cursor this list did not give out.
        """
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": UNREACHABLE_INDEX,
            "KeyConditionExpression": "unreachable_key = :u",
            "ExpressionAttributeValues": {":u": {"S": UNREACHABLE}},
            "Limit": limit,
        }
        check = key_of(_CURSOR_KEYS, unreachable_key=UNREACHABLE)
        items, next_cursor = query_page(self._client, arguments, cursor, check)
        profiles = [profile_from_item(item) for item in items if is_profile(item)]
        return profiles, next_cursor
