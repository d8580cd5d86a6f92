"""Queue many messages in few requests, each still exactly once.

Each message is a conditional put on its dedup key (``attribute_not_exists``), checked
in the same transaction against an erased customer (:func:`outbox.not_erased`), as
:meth:`DynamoOutbox.enqueue` does for one. ``TransactWriteItems`` takes 100 actions, so
up to 50 messages (two actions each) go in one request. A transaction is all or nothing:
one message already queued (a redelivered page, a buyer of two orders) or one erased
customer cancels it, and DynamoDB names each refused action in ``CancellationReasons``.
The same chunk is then written again without the refused messages, so every new
message is queued once and none is queued twice, whatever was queued before. Any other
cancellation (throttling, a conflicting transaction) is raised as ``Throttled``, and the
caller runs the whole page again, which queues only what is still missing.

A chunk of 50 messages stays under the request's 4 MB: a campaign's message carries its
two subjects (150 characters each) and two bodies (5,000 each), at most about 32 KB in
UTF-8, so 50 are about 1.6 MB.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import failed_conditions, throttling_as_adapter_error
from chalicelib.adapters.outbox import message_to_item, not_erased
from chalicelib.domain.messages import Message

TRANSACT_ACTIONS = 100
"""``TransactWriteItems`` takes at most 100 actions."""


class DynamoOutboxBatch:
    """Implements :class:`chalicelib.services.campaign_ports.OutboxBatch`."""

    def __init__(self, client: Any, table: str, customers_table: str | None = None) -> None:
        """With ``customers_table``, no message is queued for an erased customer."""
        self._client = client
        self._table = table
        self._customers = customers_table
        self._per_message = 1 if customers_table is None else 2

    def enqueue_all(self, messages: Sequence[Message]) -> int:
        """Queue the messages that are new; returns how many of them are in the outbox now,
        queued by this call or already (an earlier attempt of the same page), so a page
        retried after a failure still counts every message it stands for."""
        return sum(self._chunk(chunk) for chunk in self._chunks(messages))

    def _chunks(self, messages: Sequence[Message]) -> list[list[Message]]:
        """Chunks of at most 100 actions, each customer once per chunk (a transaction
        may not name one item twice); a repeated message key is left out."""
        size = TRANSACT_ACTIONS // self._per_message
        seen: set[tuple[str, str]] = set()
        chunks: list[list[Message]] = [[]]
        for message in messages:
            key = (message.customer_id, message.message_key)
            if key in seen:
                continue
            seen.add(key)
            current = chunks[-1]
            if len(current) == size or any(m.customer_id == key[0] for m in current):
                chunks.append(current := [])
            current.append(message)
        return [chunk for chunk in chunks if chunk]

    def _actions(self, message: Message) -> list[dict[str, Any]]:
        put = {
            "Put": {
                "TableName": self._table,
                "Item": codec.to_item(message_to_item(message)),
                "ConditionExpression": "attribute_not_exists(message_key)",
            }
        }
        if self._customers is None:
            return [put]
        return [not_erased(self._customers, message.customer_id), put]

    def _chunk(self, messages: list[Message]) -> int:
        """Write the chunk, dropping the messages refused, until the rest is written."""
        pending, present = messages, 0
        while pending:
            actions = [action for message in pending for action in self._actions(message)]
            try:
                with throttling_as_adapter_error():
                    self._client.transact_write_items(TransactItems=actions)
            except ClientError as error:
                failed = failed_conditions(error)
                refused = {index // self._per_message for index in failed}
                if not refused:
                    raise
                present += sum(1 for index in failed if self._is_put(index))
                pending = [m for i, m in enumerate(pending) if i not in refused]
                continue
            return present + len(pending)
        return present

    def _is_put(self, index: int) -> bool:
        """Whether action ``index`` is a message's put (refused: the message is there)."""
        return index % self._per_message == self._per_message - 1
