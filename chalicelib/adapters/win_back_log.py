"""The customer's last win-back letter, read from the messages table by key prefix."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.domain.win_back import WIN_BACK_KEY_PREFIX


class DynamoWinBackLog:
    """Win-back keys sort by the day they were queued: the last one is the newest."""

    def __init__(self, client: Any, messages_table: str) -> None:
        self._client = client
        self._messages = messages_table

    def last_win_back(self, customer_id: str) -> str | None:
        """The newest ``win-back#<day>`` key of the customer (a consistent Query), or ``None``."""
        with throttling_as_adapter_error():
            answer = self._client.query(
                TableName=self._messages,
                KeyConditionExpression="customer_id = :c AND begins_with(message_key, :p)",
                ExpressionAttributeValues={
                    ":c": {"S": customer_id},
                    ":p": {"S": WIN_BACK_KEY_PREFIX},
                },
                ProjectionExpression="message_key",
                ScanIndexForward=False,
                Limit=1,
                ConsistentRead=True,
            )
        items = answer.get("Items") or []
        return str(items[0]["message_key"]["S"]) if items else None
