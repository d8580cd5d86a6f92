"""One customer's orders, parcels and messages, newest first, a page at a time.

Each page is one Query on the customer's partition of an index (``customer-placed`` on
orders, ``customer`` on shipments, ``customer-created`` on messages), never a Scan, so
the admin's customer view stays bounded however long the customer's history is.
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.orders_repository import CUSTOMER_ORDERS_INDEX, is_order
from chalicelib.adapters.pages import key_of, query_page
from chalicelib.adapters.shipments_repository import CUSTOMER_PARCELS_INDEX, is_parcel

MESSAGES_BY_CUSTOMER_INDEX = "customer-created"
"""The messages table by ``customer_id``, newest ``created_at`` first (the admin log)."""

Page = tuple[list[dict[str, Any]], str | None]


class DynamoCustomerRecords:
    """Implements :class:`chalicelib.services.ports.CustomerRecords`."""

    def __init__(
        self, client: Any, orders_table: str, shipments_table: str, messages_table: str
    ) -> None:
        self._client = client
        self._orders = orders_table
        self._shipments = shipments_table
        self._messages = messages_table

    def _page(
        self,
        table: str,
        index: str,
        customer_id: str,
        keys: frozenset[str],
        limit: int,
        cursor: str | None,
    ) -> Page:
        arguments: dict[str, Any] = {
            "TableName": table,
            "IndexName": index,
            "KeyConditionExpression": "customer_id = :c",
            "ExpressionAttributeValues": {":c": {"S": customer_id}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        return query_page(self._client, arguments, cursor, key_of(keys, customer_id=customer_id))

    def orders(self, customer_id: str, limit: int, cursor: str | None) -> Page:
        """The customer's orders, latest ``placed_at`` first."""
        keys = frozenset({"customer_id", "placed_at", "order_id", "record"})
        items, after = self._page(
            self._orders, CUSTOMER_ORDERS_INDEX, customer_id, keys, limit, cursor
        )
        return [item for item in items if is_order(item)], after

    def parcels(self, customer_id: str, limit: int, cursor: str | None) -> Page:
        """The customer's parcels, latest ``registered_at`` first."""
        keys = frozenset({"customer_id", "registered_at", "tracking_number", "record"})
        items, after = self._page(
            self._shipments, CUSTOMER_PARCELS_INDEX, customer_id, keys, limit, cursor
        )
        return [item for item in items if is_parcel(item)], after

    def messages(self, customer_id: str, limit: int, cursor: str | None) -> Page:
        """The customer's messages, latest ``created_at`` first."""
        keys = frozenset({"customer_id", "created_at", "message_key"})
        return self._page(
            self._messages, MESSAGES_BY_CUSTOMER_INDEX, customer_id, keys, limit, cursor
        )
