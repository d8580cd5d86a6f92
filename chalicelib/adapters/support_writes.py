"""The support table's transactional writes: a new ticket, a follow-up, an answer.

Each write moves the ticket, its thread, the open counter and the day's figures in one
transaction with the letter it causes (the outbox item) and, when the customers table is
given, the check that the customer is not erased.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import failed_conditions, throttling_as_adapter_error
from chalicelib.adapters.outbox import message_to_item, not_erased
from chalicelib.adapters.support_items import METRICS, OPEN_COUNT, TICKET_KEYS
from chalicelib.domain.messages import Message
from chalicelib.domain.privacy import TICKET_RECORD as TICKET
from chalicelib.domain.support import OPEN
from chalicelib.services.exceptions import AlreadyExists, CustomerErased, StaleWrite


class SupportWrites:
    """The writes of :class:`~chalicelib.adapters.support_repository.DynamoSupport`."""

    _client: Any
    _table: str
    _messages: str
    _customers: str | None

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
