"""Who bought a sku: one purchase item per order line, beside its order, in the orders table.

An order's line of sku ``S`` is the item ``(order_id, "purchase#S")`` with
``purchase_sku``, ``customer_id``, the product's name and when it was bought. The
sparse ``sku-buyers`` index holds the items that still have ``purchase_sku``, by sku and
customer, so a campaign pages through a sku's buyers without a Scan. A cancelled or
refunded order withdraws its items (``purchase_sku`` removed, ``withdrawn_at`` set), and
a replayed "placed" record never brings a withdrawn item back: both writes are
conditional and idempotent, so each fact changes the index exactly once.

A customer who bought the sku in two orders has two items, next to each other in the
index (its range key is the customer id); the campaign reaches them once (the outbox's
dedup key).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.pages import key_of, query_page
from chalicelib.domain.orders import Order
from chalicelib.domain.times import iso
from chalicelib.services.ports import Buyer

SKU_BUYERS_INDEX = "sku-buyers"
"""Purchase items by ``purchase_sku`` and ``customer_id`` (sparse: not withdrawn)."""
PURCHASE_PREFIX = "purchase#"
CURSOR_KEYS = frozenset({"order_id", "record", "purchase_sku", "customer_id"})


def is_purchase(item: dict[str, Any]) -> bool:
    """Whether an orders-table item is a purchase item."""
    return str(item.get("record", "")).startswith(PURCHASE_PREFIX)


def purchase_fields(
    order_id: str, customer_id: str, sku: str, product_name: str, bought_at: str
) -> dict[str, Any]:
    """The fields of the purchase item of one sku of an order."""
    return {
        "order_id": order_id,
        "record": f"{PURCHASE_PREFIX}{sku}",
        "purchase_sku": sku,
        "customer_id": customer_id,
        "product_name": product_name,
        "bought_at": bought_at,
    }


def purchase_item(
    order_id: str, customer_id: str, sku: str, product_name: str, bought_at: str
) -> dict[str, Any]:
    """The stored purchase item (DynamoDB form) of one sku of an order."""
    return codec.to_item(purchase_fields(order_id, customer_id, sku, product_name, bought_at))


def purchase_items(order: Order) -> list[dict[str, Any]]:
    """The purchase items of ``order``: one per sku, in the ``sku-buyers`` index."""
    placed = iso(order.placed_at)
    return [
        purchase_fields(order.order_id, order.customer_id, sku, name, placed)
        for sku, name in {line.sku: line.name for line in order.lines}.items()
    ]


class DynamoPurchases:
    """Implements :class:`chalicelib.services.ports.Purchases` on the orders table."""

    def __init__(self, client: Any, orders_table: str) -> None:
        self._client = client
        self._table = orders_table

    def _ignore_condition(self, call: Any) -> None:
        try:
            with throttling_as_adapter_error():
                call()
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise

    def record(self, order: Order) -> None:
        """One item per sku of a placed order (a replay changes nothing)."""
        for item in purchase_items(order):
            self._ignore_condition(
                lambda item=item: self._client.put_item(
                    TableName=self._table,
                    Item=codec.to_item(item),
                    ConditionExpression="attribute_not_exists(#r)",
                    ExpressionAttributeNames={"#r": "record"},
                )
            )

    def withdraw(self, order: Order, at: str) -> None:
        """Take a cancelled or refunded order's items out of the index."""
        for sku in {line.sku for line in order.lines}:
            key = {"order_id": {"S": order.order_id}, "record": {"S": f"{PURCHASE_PREFIX}{sku}"}}
            self._ignore_condition(
                lambda key=key: self._client.update_item(
                    TableName=self._table,
                    Key=key,
                    UpdateExpression="SET withdrawn_at = :at REMOVE purchase_sku",
                    ConditionExpression="attribute_exists(purchase_sku)",
                    ExpressionAttributeValues={":at": {"S": at}},
                )
            )

    def buyers(self, sku: str, limit: int, cursor: str | None) -> tuple[list[Buyer], str | None]:
        """One page of the sku's buyers, by customer id (a customer may repeat)."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": SKU_BUYERS_INDEX,
            "KeyConditionExpression": "purchase_sku = :s",
            "ExpressionAttributeValues": {":s": {"S": sku}},
            "Limit": limit,
        }
        items, after = query_page(
            self._client, arguments, cursor, key_of(CURSOR_KEYS, purchase_sku=sku)
        )
        buyers = [
            Buyer(str(item["customer_id"]), str(item.get("product_name") or sku)) for item in items
        ]
        return buyers, after
