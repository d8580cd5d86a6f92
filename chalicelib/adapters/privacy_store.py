"""Everything held about one customer, read and rewritten for export and erasure.

Every read is a key or index query on the customer's id (no Scan): the profile and its
email guard, the timeline (versions, consents, survey answers, points facts), the
messages, the orders with their returns (``customer-placed`` index, then each order's
partition), the parcels with their scans (``customer`` index, then each parcel's
partition) and the support tickets with their thread (``customer-opened`` index, then
each ticket's partition).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import (
    condition_held,
    error_code,
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.adapters.items import all_items, get_item
from chalicelib.adapters.orders_repository import CUSTOMER_ORDERS_INDEX
from chalicelib.adapters.profile_items import email_guard_key
from chalicelib.adapters.shipments_repository import CUSTOMER_PARCELS_INDEX
from chalicelib.adapters.support_repository import CUSTOMER_OPENED_INDEX, METRICS, OPEN_COUNT
from chalicelib.config import Config
from chalicelib.domain.privacy import (
    ACTIVITY,
    CUSTOMERS,
    MESSAGES,
    ORDERS,
    SHIPMENTS,
    SUPPORT,
    TICKET_RECORD,
    TIMELINE,
)
from chalicelib.domain.support import OPEN

OPEN_COUNT_KEY = {"ticket_id": METRICS, "record": OPEN_COUNT}
"""The support table's open-ticket counter."""


class DynamoPrivacyStore:
    """Implements :class:`chalicelib.services.ports.PrivacyStore`."""

    def __init__(self, client: Any, config: Config) -> None:
        self._client = client
        self._tables = {
            CUSTOMERS: config.customers_table,
            TIMELINE: config.timeline_table,
            MESSAGES: config.messages_table,
            ORDERS: config.orders_table,
            SHIPMENTS: config.shipments_table,
            SUPPORT: config.support_table,
            ACTIVITY: config.activity_table,
        }

    def _query(
        self, table: str, key: str, value: str, index: str | None = None
    ) -> list[dict[str, Any]]:
        arguments: dict[str, Any] = {
            "TableName": self._tables[table],
            "KeyConditionExpression": "#k = :v",
            "ExpressionAttributeNames": {"#k": key},
            "ExpressionAttributeValues": {":v": {"S": value}},
        }
        if index:
            arguments["IndexName"] = index
        return list(all_items(self._client, "query", arguments))

    def profile_item(self, customer_id: str) -> dict[str, Any] | None:
        """The customers item of ``customer_id`` (a profile or an erased record)."""
        return get_item(self._client, self._tables[CUSTOMERS], {"customer_id": customer_id})

    def timeline(self, customer_id: str) -> list[dict[str, Any]]:
        """Every timeline entry of the customer, by entry key."""
        return self._query(TIMELINE, "customer_id", customer_id)

    def messages(self, customer_id: str) -> list[dict[str, Any]]:
        """Every message item of the customer."""
        return self._query(MESSAGES, "customer_id", customer_id)

    def orders(self, customer_id: str) -> list[dict[str, Any]]:
        """Every order item of the customer and the records stored beside it (returns)."""
        found: list[dict[str, Any]] = []
        for order in self._query(ORDERS, "customer_id", customer_id, CUSTOMER_ORDERS_INDEX):
            found.extend(self._query(ORDERS, "order_id", str(order["order_id"])))
        return found

    def shipments(self, customer_id: str) -> list[dict[str, Any]]:
        """Every parcel item of the customer and its scans."""
        found: list[dict[str, Any]] = []
        for parcel in self._query(SHIPMENTS, "customer_id", customer_id, CUSTOMER_PARCELS_INDEX):
            found.extend(self._query(SHIPMENTS, "tracking_number", str(parcel["tracking_number"])))
        return found

    def support(self, customer_id: str) -> list[dict[str, Any]]:
        """Every support ticket of the customer and its thread (messages, replies)."""
        found: list[dict[str, Any]] = []
        for ticket in self._query(SUPPORT, "customer_id", customer_id, CUSTOMER_OPENED_INDEX):
            found.extend(self._query(SUPPORT, "ticket_id", str(ticket["ticket_id"])))
        return found

    def activity(self, customer_id: str) -> list[dict[str, Any]]:
        """Every activity item of the customer: events, cart, product views."""
        return self._query(ACTIVITY, "customer_id", customer_id)

    def message_guard(self, message_id: str) -> dict[str, Any] | None:
        """The support table's guard of a customer's message id, or ``None``."""
        key = {"ticket_id": f"message-id#{message_id}", "record": "guard"}
        return get_item(self._client, self._tables[SUPPORT], key)

    def close_ticket(self, ticket: dict[str, Any], previous: str) -> bool:
        """Write the closed ticket if its status is still ``previous``; one open fewer.

        The open counter moves in the same transaction, so the backlog the promise is
        computed from stays right. ``False`` when the ticket changed meanwhile.
        """
        actions: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._tables[SUPPORT],
                    "Item": codec.to_item(ticket),
                    "ConditionExpression": "#r = :ticket AND #s = :previous",
                    "ExpressionAttributeNames": {"#r": "record", "#s": "status"},
                    "ExpressionAttributeValues": {
                        ":ticket": {"S": TICKET_RECORD},
                        ":previous": {"S": previous},
                    },
                }
            }
        ]
        if previous == OPEN:
            actions.append(
                {
                    "Update": {
                        "TableName": self._tables[SUPPORT],
                        "Key": codec.to_item(OPEN_COUNT_KEY),
                        "UpdateExpression": "ADD open_tickets :d",
                        "ExpressionAttributeValues": {":d": {"N": "-1"}},
                    }
                }
            )
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            if failed_conditions(error):
                return False
            raise
        return True

    def save(self, table: str, item: dict[str, Any]) -> None:
        """Write ``item`` over the stored one (same key)."""
        with throttling_as_adapter_error():
            self._client.put_item(TableName=self._tables[table], Item=codec.to_item(item))

    def delete(self, table: str, key: dict[str, str]) -> None:
        """Delete the item at ``key`` (string key attributes); nothing if it is gone."""
        with throttling_as_adapter_error():
            self._client.delete_item(
                TableName=self._tables[table],
                Key={name: {"S": value} for name, value in key.items()},
            )

    def drop_email_guard(self, email: str, owner: str) -> None:
        """Delete the guard that reserves ``email`` if ``owner`` still holds it."""
        try:
            with throttling_as_adapter_error():
                self._client.delete_item(
                    TableName=self._tables[CUSTOMERS],
                    Key={"customer_id": {"S": email_guard_key(email)}},
                    ConditionExpression="#o = :owner",
                    ExpressionAttributeNames={"#o": "owner"},
                    ExpressionAttributeValues={":owner": {"S": owner}},
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise

    def replace_profile(self, record: dict[str, Any], version: int) -> bool:
        """Put the erased record over the profile if it is still at ``version``.

        ``False`` when the profile changed meanwhile (the caller reads it again).
        """
        return condition_held(
            self._client.put_item,
            TableName=self._tables[CUSTOMERS],
            Item=codec.to_item(record),
            ConditionExpression="record_type = :profile AND #v = :version",
            ExpressionAttributeNames={"#v": "version"},
            ExpressionAttributeValues={
                ":profile": {"S": "profile"},
                ":version": codec.to_value(version),
            },
        )
