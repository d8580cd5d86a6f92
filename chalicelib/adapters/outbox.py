"""The messages table as outbox and message log.

Life of a message item: ``queued`` → ``sending`` (claimed with a lease) → ``sent``,
``suppressed``, ``deferred`` or ``failed``. A failed send attempt releases the claim
back to ``queued`` (which re-triggers the mailer through the stream); a claim whose
holder died is taken over once its lease has run out. The claim is a conditional
update, so two deliveries of the same stream record never send two mails.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.domain import messages as m
from chalicelib.domain.messages import Message, Recipient
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import ClaimHeld

LEASE = timedelta(seconds=60)


def message_to_item(message: Message) -> dict[str, Any]:
    """Stored form of a message."""
    data = asdict(message)
    data["recipient"] = asdict(message.recipient)
    return data


def message_from_item(item: dict[str, Any]) -> Message:
    """Rebuild a message from a deserialized item or stream image."""
    known = Message.__dataclass_fields__
    values = {key: value for key, value in item.items() if key in known}
    values["recipient"] = Recipient(**values["recipient"])
    values.setdefault("context", {})
    return Message(**values)


class DynamoOutbox:
    """Implements :class:`chalicelib.services.ports.Outbox`."""

    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _key(self, message: Message) -> dict[str, Any]:
        return {
            "customer_id": {"S": message.customer_id},
            "message_key": {"S": message.message_key},
        }

    def enqueue(self, message: Message) -> bool:
        """Queue ``message``; ``False`` when a message with that key already exists."""
        try:
            with throttling_as_adapter_error():
                self._client.put_item(
                    TableName=self._table,
                    Item=codec.to_item(message_to_item(message)),
                    ConditionExpression="attribute_not_exists(message_key)",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def claim(self, customer_id: str, message_key: str, now: datetime) -> Message | None:
        """Take the message for sending; ``None`` when it is not (or no longer) queued.

        Raises ``ClaimHeld`` when another attempt holds an unexpired lease.
        """
        try:
            with throttling_as_adapter_error():
                response = self._client.update_item(
                    TableName=self._table,
                    Key={"customer_id": {"S": customer_id}, "message_key": {"S": message_key}},
                    UpdateExpression=(
                        "SET #s = :sending, lease_until = :lease, updated_at = :now "
                        "ADD attempts :one"
                    ),
                    ConditionExpression=("#s = :queued OR (#s = :sending AND lease_until < :now)"),
                    ExpressionAttributeNames={"#s": "status"},
                    ExpressionAttributeValues={
                        ":sending": {"S": m.SENDING},
                        ":queued": {"S": m.QUEUED},
                        ":lease": {"S": iso(now + LEASE)},
                        ":now": {"S": iso(now)},
                        ":one": {"N": "1"},
                    },
                    ReturnValues="ALL_NEW",
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            old = error.response.get("Item")
            if old and codec.from_item(old).get("status") == m.SENDING:
                raise ClaimHeld() from error
            return None
        return message_from_item(codec.from_item(response["Attributes"]))

    def _finish(self, message: Message, status: str, now: datetime, **extra: Any) -> None:
        attributes: dict[str, Any] = {"status": status, "updated_at": iso(now), **extra}
        expression, names, values = codec.update_expression(attributes)
        names["#claimed"] = "status"
        values[":claimed"] = {"S": m.SENDING}
        with throttling_as_adapter_error():
            self._client.update_item(
                TableName=self._table,
                Key=self._key(message),
                UpdateExpression=expression + " REMOVE lease_until",
                ConditionExpression="#claimed = :claimed",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )

    def mark_sent(self, message: Message, provider_id: str, now: datetime) -> None:
        """Record a successful send with the provider's message id."""
        self._finish(message, m.SENT, now, sent_at=iso(now), provider_message_id=provider_id)

    def mark_suppressed(self, message: Message, reason: str, now: datetime) -> None:
        """Record that the policy stopped the message, and why."""
        self._finish(message, m.SUPPRESSED, now, reason=reason)

    def mark_deferred(self, message: Message, not_before: datetime, now: datetime) -> None:
        """Park the message until ``not_before`` (the deferred-mail job re-queues it)."""
        self._finish(message, m.DEFERRED, now, reason="quiet_hours", not_before=iso(not_before))

    def release(self, message: Message, error: str, now: datetime) -> None:
        """Give the claim back after a failed attempt, so the send is tried again."""
        self._finish(message, m.QUEUED, now, last_error=error)

    def mark_failed(self, message: Message, reason: str, now: datetime) -> None:
        """Give up on the message (after the maximum attempts)."""
        self._finish(message, m.FAILED, now, reason=reason)

    def sent_count_since(self, customer_id: str, since: datetime) -> int:
        """How many non-transactional mails the customer was sent since ``since``."""
        count = 0
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "customer_id = :c",
            "FilterExpression": "#s = :sent AND sent_at >= :since AND purpose <> :tx",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {
                ":c": {"S": customer_id},
                ":sent": {"S": m.SENT},
                ":since": {"S": iso(since)},
                ":tx": {"S": "transactional"},
            },
            "Select": "COUNT",
        }
        while True:
            with throttling_as_adapter_error():
                response = self._client.query(**arguments)
            count += int(response.get("Count", 0))
            if "LastEvaluatedKey" not in response:
                return count
            arguments["ExclusiveStartKey"] = response["LastEvaluatedKey"]
