"""DynamoDB side of SES feedback: find a message by SES's id, count soft bounces, markers.

- The messages table's sparse ``provider-message`` index (keys only) finds the message a
  notification names by ``provider_message_id`` (written when the mail was sent).
- Soft bounces are counted on the address's email guard (``email#<address>``) as a
  string set, so a redelivered notification adds nothing, and a corrected address (a new
  guard) starts with none.
- One marker per SNS notification in the settings table (``mail-feedback#<id>``), kept
  for ``MARKER_DAYS``, says it was handled; a bounce, complaint or delivery is counted in
  the day's metrics in the marker's transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import (
    error_code,
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.adapters.items import first_on_index, get_item
from chalicelib.adapters.metrics_store import DynamoMetrics
from chalicelib.adapters.profile_items import email_guard_key
from chalicelib.domain.metrics import Tally
from chalicelib.domain.times import iso

PROVIDER_INDEX = "provider-message"
MARKER_DAYS = 30


def marker_id(notification_id: str) -> str:
    """The settings-table key of a notification's marker."""
    return f"mail-feedback#{notification_id}"


class DynamoFeedbackStore:
    """Implements :class:`chalicelib.services.ports.MailFeedbackStore`."""

    def __init__(
        self,
        client: Any,
        messages_table: str,
        customers_table: str,
        settings_table: str,
        metrics: DynamoMetrics | None = None,
    ) -> None:
        self._client = client
        self._metrics = metrics
        self._messages = messages_table
        self._customers = customers_table
        self._settings = settings_table

    def seen(self, notification_id: str) -> bool:
        """Whether the notification was handled already."""
        key = {"setting_id": marker_id(notification_id)}
        return get_item(self._client, self._settings, key) is not None

    def remember(
        self,
        notification_id: str,
        outcome: str,
        now: datetime,
        reason: str | None = None,
        tally: Tally | None = None,
    ) -> None:
        """Mark the notification handled (with the reason when it could not be).

        With ``tally``, the marker is put only if absent and the day's counters move in
        the same transaction: a notification delivered twice is counted once.
        """
        item = {
            "setting_id": marker_id(notification_id),
            "outcome": outcome,
            "handled_at": iso(now),
            "expires_at": int((now + timedelta(days=MARKER_DAYS)).timestamp()),
        }
        if reason:
            item["reason"] = reason
        put = {"TableName": self._settings, "Item": codec.to_item(item)}
        if tally is None or self._metrics is None:
            with throttling_as_adapter_error():
                self._client.put_item(**put)
            return
        put["ConditionExpression"] = "attribute_not_exists(setting_id)"
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(
                    TransactItems=[{"Put": put}, self._metrics.update(tally)]
                )
        except ClientError as error:
            if 0 not in failed_conditions(error):
                raise  # else another delivery marked and counted it

    def find_message(self, provider_message_id: str) -> tuple[str, str] | None:
        """``(customer_id, message_key)`` of the message SES knows as ``provider_message_id``."""
        found = first_on_index(
            self._client, self._messages, PROVIDER_INDEX, "provider_message_id", provider_message_id
        )
        return None if found is None else (str(found["customer_id"]), str(found["message_key"]))

    def record_outcome(self, customer_id: str, message_key: str, outcome: str, at: str) -> None:
        """Record what SES said about the message (``feedback`` and ``feedback_at``)."""
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._messages,
                    Key={"customer_id": {"S": customer_id}, "message_key": {"S": message_key}},
                    UpdateExpression="SET feedback = :o, feedback_at = :at",
                    ConditionExpression="attribute_exists(message_key)",
                    ExpressionAttributeValues={":o": {"S": outcome}, ":at": {"S": at}},
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise  # a message gone (erased) has nothing left to record

    def count_transient_bounce(self, email: str, customer_id: str, entry: str) -> list[str]:
        """Add ``entry`` to the address's soft bounces; all of them, or ``[]`` when the
        address is no longer ``customer_id``'s."""
        try:
            with throttling_as_adapter_error():
                response = self._client.update_item(
                    TableName=self._customers,
                    Key={"customer_id": {"S": email_guard_key(email)}},
                    UpdateExpression="ADD transient_bounces :e",
                    ConditionExpression="#o = :owner",
                    ExpressionAttributeNames={"#o": "owner"},
                    ExpressionAttributeValues={
                        ":e": {"SS": [entry]},
                        ":owner": {"S": customer_id},
                    },
                    ReturnValues="ALL_NEW",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return []
            raise
        return sorted(codec.from_item(response["Attributes"]).get("transient_bounces") or [])
