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

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import failed_conditions, throttling_as_adapter_error
from chalicelib.adapters.items import all_items, get_item
from chalicelib.adapters.outbox import message_to_item, not_erased
from chalicelib.adapters.pages import key_of, query_page
from chalicelib.domain.messages import Message
from chalicelib.domain.privacy import TICKET_RECORD as TICKET
from chalicelib.domain.support import OPEN
from chalicelib.services.exceptions import AlreadyExists, CustomerErased, StaleWrite

STATUS_OPENED_INDEX = "status-opened"
OPEN_DUE_INDEX = "open-due"
CUSTOMER_OPENED_INDEX = "customer-opened"
METRICS = "metrics"
OPEN_COUNT = "open-count"
TICKET_KEYS = frozenset({"ticket_id", "record"})


class DynamoSupport:
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

    def _with_letter(self, actions: list[dict[str, Any]], customer_id: str) -> list[dict[str, Any]]:
        """``actions`` and, last, the check that the customer is not erased."""
        if self._customers is None:
            return actions
        return [*actions, not_erased(self._customers, customer_id)]

    def _put(self, item: dict[str, Any]) -> dict[str, Any]:
        present = {key: value for key, value in item.items() if value is not None}
        return {
            "Put": {
                "TableName": self._table,
                "Item": codec.to_item(present),
                "ConditionExpression": "attribute_not_exists(#r)",
                "ExpressionAttributeNames": {"#r": "record"},
            }
        }

    def _letter(self, letter: Message) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._messages,
                "Item": codec.to_item(message_to_item(letter)),
                "ConditionExpression": "attribute_not_exists(message_key)",
            }
        }

    def _count(self, delta: int) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": codec.to_item({"ticket_id": METRICS, "record": OPEN_COUNT}),
                "UpdateExpression": "ADD open_tickets :d",
                "ExpressionAttributeValues": {":d": {"N": str(delta)}},
            }
        }

    def _day(self, day: str, expression: str, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": codec.to_item({"ticket_id": METRICS, "record": f"day#{day}"}),
                "UpdateExpression": expression,
                "ExpressionAttributeValues": codec.to_item(values),
            }
        }

    def _ticket_update(self, ticket: dict[str, Any], previous: str) -> dict[str, Any]:
        fields = {k: v for k, v in ticket.items() if k not in TICKET_KEYS}
        fields["due_key"] = OPEN if ticket.get("status") == OPEN else None
        expression, names, values = codec.update_expression(fields)
        names["#prev"] = "status"
        values[":prev"] = {"S": previous}
        return {
            "Update": {
                "TableName": self._table,
                "Key": codec.to_item({"ticket_id": ticket["ticket_id"], "record": TICKET}),
                "UpdateExpression": expression,
                "ConditionExpression": "#prev = :prev",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    def _write(self, actions: list[dict[str, Any]], guard_field: str) -> None:
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            failed = failed_conditions(error)
            if 0 in failed:
                raise AlreadyExists(guard_field) from error
            if "ConditionCheck" in actions[-1] and len(actions) - 1 in failed:
                raise CustomerErased() from error
            if failed:
                raise StaleWrite() from error
            raise

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

    def _guard(self, message: dict[str, Any]) -> dict[str, Any]:
        return self._put(
            {
                "ticket_id": f"message-id#{message['message_id']}",
                "record": "guard",
                "target": message["ticket_id"],
                "digest": message["digest"],
            }
        )

    def open_ticket(
        self, ticket: dict[str, Any], message: dict[str, Any], letter: Message, day: str
    ) -> None:
        """Guard, ticket, first message, counter, day and auto-reply in one transaction."""
        actions = [
            self._guard(message),
            self._put({**ticket, "record": TICKET, "due_key": OPEN}),
            self._put({**message, "record": f"message#{message['message_id']}"}),
            self._count(1),
            self._day(day, "ADD opened :one", {":one": 1}),
            self._letter(letter),
        ]
        self._write(self._with_letter(actions, letter.customer_id), "message_id")

    def follow_up(self, ticket: dict[str, Any], message: dict[str, Any], previous: str) -> None:
        """Guard, message and the ticket (reopened) in one transaction."""
        actions = [
            self._guard(message),
            self._ticket_update(ticket, previous),
            self._put({**message, "record": f"message#{message['message_id']}"}),
        ]
        if previous != OPEN:
            actions.append(self._count(1))
        self._write(actions, "message_id")

    def answer(
        self,
        ticket: dict[str, Any],
        reply: dict[str, Any],
        previous: str,
        letter: Message,
        first_reply: dict[str, Any] | None,
    ) -> None:
        """Reply, ticket, counter, day figures and the letter in one transaction."""
        actions = [
            self._put({**reply, "record": f"reply#{reply['reply_id']}"}),
            self._ticket_update(ticket, previous),
            self._letter(letter),
        ]
        if previous == OPEN:
            actions.append(self._count(-1))
        if first_reply is not None:
            actions.append(
                self._day(
                    first_reply["day"],
                    "ADD answered :one, on_time :kept SET reply_minutes = "
                    "list_append(if_not_exists(reply_minutes, :empty), :minutes)",
                    {
                        ":one": 1,
                        ":kept": 1 if first_reply["on_time"] else 0,
                        ":empty": [],
                        ":minutes": [first_reply["minutes"]],
                    },
                )
            )
        self._write(self._with_letter(actions, letter.customer_id), "reply_id")

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
