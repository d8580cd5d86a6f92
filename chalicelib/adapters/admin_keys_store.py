"""Admin keys in the keys table: digests, names, roles and dates (no personal data).

Listing reads the ``listing-created`` index (every key carries ``listing = "key"``),
oldest first; a key is read with a strongly consistent ``GetItem``, so a revoked key
(deleted) is refused by the very next request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.items import get_item
from chalicelib.adapters.pages import key_of, query_page
from chalicelib.domain.admin_keys import AdminKey
from chalicelib.domain.times import iso

LISTING = "key"
LISTING_INDEX = "listing-created"
CURSOR_KEYS = frozenset({"key_id", "listing", "created_at"})


class DynamoAdminKeys:
    """Implements :class:`chalicelib.services.ports.AdminKeyStore`."""

    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def create(self, key: AdminKey) -> None:
        """Store a new key (its id is random: a clash is a bug, so the put is conditional)."""
        item = {
            "key_id": key.key_id,
            "listing": LISTING,
            "name": key.name,
            "role": key.role,
            "digest": key.digest,
            "created_at": iso(key.created_at),
        }
        with throttling_as_adapter_error():
            self._client.put_item(
                TableName=self._table,
                Item=codec.to_item(item),
                ConditionExpression="attribute_not_exists(key_id)",
            )

    def get(self, key_id: str) -> AdminKey | None:
        """The key, read strongly consistent."""
        item = get_item(self._client, self._table, {"key_id": key_id})
        return _key(item) if item else None

    def page(self, limit: int, cursor: str | None) -> tuple[list[AdminKey], str | None]:
        """One page of keys, oldest first."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": LISTING_INDEX,
            "KeyConditionExpression": "listing = :l",
            "ExpressionAttributeValues": {":l": {"S": LISTING}},
            "Limit": limit,
        }
        items, next_cursor = query_page(
            self._client, arguments, cursor, key_of(CURSOR_KEYS, listing=LISTING)
        )
        return [_key(item) for item in items], next_cursor

    def delete(self, key_id: str) -> bool:
        """Delete the key; whether it existed."""
        with throttling_as_adapter_error():
            response = self._client.delete_item(
                TableName=self._table, Key={"key_id": {"S": key_id}}, ReturnValues="ALL_OLD"
            )
        return bool(response.get("Attributes"))

    def record_use(self, key_id: str, at: datetime, unless_since: datetime) -> None:
        """Set ``last_used_at`` (conditional: one write per period, none for a gone key)."""
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._table,
                    Key={"key_id": {"S": key_id}},
                    UpdateExpression="SET last_used_at = :at",
                    ConditionExpression="attribute_exists(key_id) AND "
                    "(attribute_not_exists(last_used_at) OR last_used_at <= :since)",
                    ExpressionAttributeValues={
                        ":at": {"S": iso(at)},
                        ":since": {"S": iso(unless_since)},
                    },
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise


def _key(item: dict[str, Any]) -> AdminKey:
    last_used = item.get("last_used_at")
    return AdminKey(
        key_id=str(item["key_id"]),
        name=str(item["name"]),
        role=str(item["role"]),
        digest=str(item["digest"]),
        created_at=datetime.fromisoformat(str(item["created_at"])),
        last_used_at=datetime.fromisoformat(str(last_used)) if last_used else None,
    )
