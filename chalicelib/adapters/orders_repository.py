"""DynamoDB orders table: orders (``record = "order"``) and their returns."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import (
    error_code,
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.adapters.items import all_items, get_item
from chalicelib.domain.orders import PAYLOAD_FIELDS, PLACED, Order, parse_order
from chalicelib.domain.satisfaction import placed_month
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import (
    AlreadyExists,
    CurrencyMismatch,
    CustomerMissing,
    StaleWrite,
)
from chalicelib.services.ports import StoredOrder

ORDER = "order"
CUSTOMER_ORDERS_INDEX = "customer-placed"
"""A customer's orders by ``placed_at``."""


def order_from_item(item: dict[str, Any]) -> Order:
    """Rebuild the order from its stored item."""
    return parse_order({k: item[k] for k in PAYLOAD_FIELDS if item.get(k) is not None}, bounds=None)


def is_order(item: dict[str, Any]) -> bool:
    """Whether an item of the orders table is an order (the table also holds returns)."""
    return item.get("record") == ORDER


def stored_order_from_item(item: dict[str, Any]) -> StoredOrder:
    """The order, its status and its request's correlation id, from an item or image."""
    return StoredOrder(
        order_from_item(item), str(item.get("status") or PLACED), item.get("correlation_id")
    )


class DynamoOrdersRepository:
    """Orders, keyed ``(order_id, record)``."""

    def __init__(self, client: Any, orders_table: str, customers_table: str) -> None:
        self._client = client
        self._orders = orders_table
        self._customers = customers_table

    def create(
        self, order: Order, digest: str, now: str, correlation_id: str | None
    ) -> dict[str, Any]:
        """Write a placed order if the customer exists and the id is new (one transaction).

        Returns the stored item. Raises ``CustomerMissing``, ``CurrencyMismatch`` or
        ``AlreadyExists("order_id")``.
        """
        item = {
            **order.to_payload(),
            "placed_at": codec_time(order),
            "placed_month": placed_month(order.placed_at.astimezone(UTC)),
            "record": ORDER,
            "status": PLACED,
            "status_history": [{"status": PLACED, "at": now}],
            "order_digest": digest,
            "created_at": now,
            "updated_at": now,
            "correlation_id": correlation_id,
        }
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(
                    TransactItems=[
                        self._customer_check(order),
                        {
                            "Put": {
                                "TableName": self._orders,
                                "Item": codec.to_item(item),
                                "ConditionExpression": "attribute_not_exists(order_id)",
                            }
                        },
                    ]
                )
        except ClientError as error:
            failed = failed_conditions(error)
            if 0 in failed:
                reasons = error.response.get("CancellationReasons") or [{}]
                old = codec.from_item(reasons[0].get("Item") or {})
                currency = (old.get("stats") or {}).get("currency")
                if old.get("record_type") == "profile" and currency:
                    raise CurrencyMismatch(currency) from error
                raise CustomerMissing() from error
            if 1 in failed:
                raise AlreadyExists("order_id") from error
            raise
        return item

    def _customer_check(self, order: Order) -> dict[str, Any]:
        """The customer exists and keeps its stats in the order's currency (or none yet)."""
        return {
            "ConditionCheck": {
                "TableName": self._customers,
                "Key": {"customer_id": {"S": order.customer_id}},
                "ConditionExpression": (
                    "record_type = :profile AND (attribute_not_exists(#st.#cur)"
                    " OR attribute_type(#st.#cur, :null) OR #st.#cur = :cur)"
                ),
                "ExpressionAttributeNames": {"#st": "stats", "#cur": "currency"},
                "ExpressionAttributeValues": {
                    ":profile": {"S": "profile"},
                    ":null": {"S": "NULL"},
                    ":cur": {"S": order.currency},
                },
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }

    def get(self, order_id: str, record: str = ORDER) -> dict[str, Any] | None:
        """The stored item, or ``None``."""
        return get_item(self._client, self._orders, {"order_id": order_id, "record": record})

    def order(self, order_id: str) -> StoredOrder | None:
        """The stored order (consistent read), or ``None``."""
        item = self.get(order_id)
        return None if item is None else stored_order_from_item(item)

    def set_status(self, order_id: str, old: str, new: str, now: str) -> dict[str, Any]:
        """Move the status if it is still ``old``; returns the new item.

        Raises ``StaleWrite`` when the status changed meanwhile.
        """
        try:
            with throttling_as_adapter_error():
                response = self._client.update_item(
                    TableName=self._orders,
                    Key={"order_id": {"S": order_id}, "record": {"S": ORDER}},
                    UpdateExpression=(
                        "SET #s = :new, updated_at = :now, "
                        "status_history = list_append(status_history, :entry)"
                    ),
                    ConditionExpression="#s = :old",
                    ExpressionAttributeNames={"#s": "status"},
                    ExpressionAttributeValues={
                        ":new": {"S": new},
                        ":old": {"S": old},
                        ":now": {"S": now},
                        ":entry": codec.to_value([{"status": new, "at": now}]),
                    },
                    ReturnValues="ALL_NEW",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise StaleWrite() from error
            raise
        return codec.from_item(response["Attributes"])

    def customer_orders(self, customer_id: str) -> list[StoredOrder]:
        """Every order of a customer, oldest first (the ``customer-placed`` index)."""
        arguments: dict[str, Any] = {
            "TableName": self._orders,
            "IndexName": CUSTOMER_ORDERS_INDEX,
            "KeyConditionExpression": "customer_id = :c",
            "ExpressionAttributeValues": {":c": {"S": customer_id}},
        }
        found = all_items(self._client, "query", arguments)
        return [stored_order_from_item(item) for item in found if is_order(item)]


def codec_time(order: Order) -> str:
    """``placed_at`` as stored: UTC ISO text, so the index sorts by time."""
    return iso(order.placed_at)
