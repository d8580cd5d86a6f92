"""Support tickets in the support table (``ticket_id`` + ``record``).

Items of one ticket: ``ticket`` (status, promise, first reply), ``message#<message_id>``
and ``reply#<reply_id>`` (the thread). Beside them: ``message-id#<id>`` / ``guard`` (a
message id is taken once across tickets), and the ``metrics`` partition with the open
counter (``open-count``) and one item per day (``day#YYYY-MM-DD``: opened, answered,
answered on time, first-reply minutes). Status changes move the counter and the day in
the same transaction as the ticket and the letter they cause (the outbox item).
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.adapters.items import all_items, get_item
from chalicelib.adapters.pages import key_of, query_page
from chalicelib.adapters.support_items import METRICS, OPEN_COUNT, TICKET_KEYS
from chalicelib.adapters.support_writes import SupportWrites
from chalicelib.domain.privacy import TICKET_RECORD as TICKET
from chalicelib.domain.support import OPEN

STATUS_OPENED_INDEX = "status-opened"
OPEN_DUE_INDEX = "open-due"
CUSTOMER_OPENED_INDEX = "customer-opened"

__all__ = [
    "CUSTOMER_OPENED_INDEX",
    "METRICS",
    "OPEN_COUNT",
    "OPEN_DUE_INDEX",
    "STATUS_OPENED_INDEX",
    "DynamoSupport",
]


class DynamoSupport(SupportWrites):
    """Implements :class:`chalicelib.services.ports.SupportRepository`."""

    def __init__(
        self, client: Any, table: str, messages_table: str, customers_table: str | None = None
    ) -> None:
        """With ``customers_table``, a write that queues a letter also checks, in its
        transaction, that the customer is not erased (an erasure between the service's
        read and this write queues no mail)."""
        self._client = client
        self._table = table
        self._messages = messages_table
        self._customers = customers_table

    def open_count(self) -> int:
        """Tickets open now (the counter item)."""
        item = get_item(self._client, self._table, {"ticket_id": METRICS, "record": OPEN_COUNT})
        return max(0, int((item or {}).get("open_tickets", 0)))

    def ticket(self, ticket_id: str) -> dict[str, Any] | None:
        """The ticket item, or ``None``."""
        return get_item(self._client, self._table, {"ticket_id": ticket_id, "record": TICKET})

    def message_guard(self, message_id: str) -> dict[str, Any] | None:
        """The guard of a message id, or ``None``."""
        key = {"ticket_id": f"message-id#{message_id}", "record": "guard"}
        return get_item(self._client, self._table, key)

    def reply_item(self, ticket_id: str, reply_id: str) -> dict[str, Any] | None:
        """One stored reply, or ``None``."""
        key = {"ticket_id": ticket_id, "record": f"reply#{reply_id}"}
        return get_item(self._client, self._table, key)

    def thread(self, ticket_id: str) -> list[dict[str, Any]]:
        """Messages and replies of the ticket, oldest first."""
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "ticket_id = :t",
            "ExpressionAttributeValues": {":t": {"S": ticket_id}},
        }
        entries = [
            item for item in all_items(self._client, "query", kwargs) if item["record"] != TICKET
        ]
        return sorted(entries, key=lambda item: (str(item.get("at")), item["record"]))

    def _page(
        self, arguments: dict[str, Any], cursor: str | None, keys: frozenset[str]
    ) -> tuple[list[dict[str, Any]], str | None]:
        return query_page(self._client, arguments, cursor, key_of(keys))

    def by_status(
        self, status: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Tickets in ``status``, oldest first (status index)."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": STATUS_OPENED_INDEX,
            "KeyConditionExpression": "#s = :s",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":s": {"S": status}},
            "Limit": limit,
        }
        return self._page(arguments, cursor, TICKET_KEYS | {"status", "opened_at"})

    def overdue(
        self, now: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Open tickets whose promise has passed, the most overdue first (due index)."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": OPEN_DUE_INDEX,
            "KeyConditionExpression": "due_key = :open AND due_at < :now",
            "ExpressionAttributeValues": {":open": {"S": OPEN}, ":now": {"S": now}},
            "Limit": limit,
        }
        return self._page(arguments, cursor, TICKET_KEYS | {"due_key", "due_at"})

    def for_customer(self, customer_id: str, limit: int) -> list[dict[str, Any]]:
        """The customer's newest tickets (customer index)."""
        with throttling_as_adapter_error():
            response = self._client.query(
                TableName=self._table,
                IndexName=CUSTOMER_OPENED_INDEX,
                KeyConditionExpression="customer_id = :c",
                ExpressionAttributeValues={":c": {"S": customer_id}},
                ScanIndexForward=False,
                Limit=limit,
            )
        return [codec.from_item(item) for item in response.get("Items", [])]

    def days(self, start: str, end: str) -> list[dict[str, Any]]:
        """Per-day figures from ``start`` to ``end`` (one query on the metrics partition)."""
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "ticket_id = :m AND #r BETWEEN :a AND :b",
            "ExpressionAttributeNames": {"#r": "record"},
            "ExpressionAttributeValues": {
                ":m": {"S": METRICS},
                ":a": {"S": f"day#{start}"},
                ":b": {"S": f"day#{end}"},
            },
        }
        return list(all_items(self._client, "query", kwargs))
