"""Profiles with no deliverable contact, from the customers table's ``unreachable`` index.

Only unreachable profiles carry ``unreachable_key`` (:func:`profile_items.profile_to_item`),
so the index is sparse; it sorts by ``customer_id``.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError, ParamValidationError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.outbox import decode_cursor, encode_cursor
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
        start = decode_cursor(cursor)
        if start:
            if set(start) != _CURSOR_KEYS or start.get("unreachable_key") != {"S": UNREACHABLE}:
                raise ValueError("bad cursor")
            arguments["ExclusiveStartKey"] = start
        try:
            with throttling_as_adapter_error():
                response = self._client.query(**arguments)
        except (ClientError, ParamValidationError) as error:
            if start and (
                not isinstance(error, ClientError) or error_code(error) == "ValidationException"
            ):
                raise ValueError("bad cursor") from error
            raise
        items = [codec.from_item(item) for item in response.get("Items", [])]
        profiles = [profile_from_item(item) for item in items if is_profile(item)]
        return profiles, encode_cursor(response.get("LastEvaluatedKey"))
