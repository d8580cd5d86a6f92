"""DynamoDB activity table: events, the customer's cart and what they viewed.

One partition per customer (``customer_id``), one item per ``record``:

- ``event#<event_id>``: the event as posted, with its digest (idempotency);
- ``cart``: the current cart (:class:`chalicelib.domain.carts.Cart`); while it is open it
  carries ``cart_due = "open"`` and ``idle_since`` (its last update, UTC ISO text), the
  keys of the sparse :data:`OPEN_CARTS_INDEX`, so the reminder job reads only the open
  carts idle long enough, never every cart;
- ``view#<sku>``: seconds and views of one product, summed over the customer's views.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import (
    condition_held,
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.adapters.items import all_items, get_item, once
from chalicelib.adapters.orders_repository import CUSTOMER_ORDERS_INDEX, ORDER
from chalicelib.domain.activity import ActivityEvent
from chalicelib.domain.carts import OPEN, Cart
from chalicelib.domain.orders import OrderLine
from chalicelib.domain.times import iso, parse_iso
from chalicelib.services.exceptions import AlreadyExists, CustomerMissing, StaleWrite
from chalicelib.services.ports import Retrier

OPEN_CARTS_INDEX = "open-carts"
"""Open carts by ``idle_since`` (sparse: only carts with ``cart_due``)."""
CART = "cart"
VIEW_PREFIX = "view#"


def event_record(event_id: str) -> str:
    """The ``record`` of an event item."""
    return f"event#{event_id}"


def cart_item(cart: Cart) -> dict[str, Any]:
    """The stored form of a cart (with the index keys while it is open)."""
    item = {**cart.to_dict(), "record": CART}
    if cart.status == OPEN:
        item.update(cart_due=OPEN, idle_since=iso(cart.updated_at))
    return item


def cart_from_item(item: dict[str, Any]) -> Cart:
    """Rebuild a cart from its item."""
    return Cart(
        customer_id=str(item["customer_id"]),
        cart_id=str(item["cart_id"]),
        status=str(item["status"]),
        items=tuple(
            OrderLine(
                sku=str(line["sku"]),
                name=str(line["name"]),
                category=str(line["category"]),
                quantity=int(line["quantity"]),
                unit_price=int(line["unit_price"]),
            )
            for line in item.get("items") or []
        ),
        updated_at=parse_iso(str(item["updated_at"])),
        closed_reason=item.get("closed_reason"),
        version=int(item.get("version", 1)),
    )


class DynamoActivity:
    """Events, carts and views, keyed ``(customer_id, record)``."""

    def __init__(
        self, client: Any, activity_table: str, customers_table: str, orders_table: str
    ) -> None:
        self._client = client
        self._table = activity_table
        self._customers = customers_table
        self._orders = orders_table

    def record(
        self, event: ActivityEvent, digest: str, cart: Cart | None, now: datetime
    ) -> dict[str, Any]:
        """Write the event and its effect in one transaction; returns the event item.

        Raises ``CustomerMissing`` (no profile), ``AlreadyExists("event_id")`` or
        ``StaleWrite`` (the cart changed since it was read).
        """
        item = {
            **event.to_payload(),
            "record": event_record(event.event_id),
            "digest": digest,
            "recorded_at": iso(now),
        }
        actions = [self._customer_check(event.customer_id), self._put_event(item)]
        if cart is not None:
            actions.append({"Put": self._put_cart(cart)})
        actions.extend(self._view_updates(event))
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            failed = failed_conditions(error)
            if 0 in failed:
                raise CustomerMissing() from error
            if 1 in failed:
                raise AlreadyExists("event_id") from error
            if failed:
                raise StaleWrite() from error
            raise
        return item

    def _customer_check(self, customer_id: str) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self._customers,
                "Key": {"customer_id": {"S": customer_id}},
                "ConditionExpression": "record_type = :profile",
                "ExpressionAttributeValues": {":profile": {"S": "profile"}},
            }
        }

    def _put_event(self, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._table,
                "Item": codec.to_item(item),
                "ConditionExpression": "attribute_not_exists(#r)",
                "ExpressionAttributeNames": {"#r": "record"},
            }
        }

    def _put_cart(self, cart: Cart) -> dict[str, Any]:
        """A put of ``cart`` that holds only if the stored cart is the one it follows."""
        condition = "attribute_not_exists(#r)" if cart.version == 1 else "version = :previous"
        put: dict[str, Any] = {
            "TableName": self._table,
            "Item": codec.to_item(cart_item(cart)),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": {"#r": "record"},
        }
        if cart.version > 1:
            put["ExpressionAttributeValues"] = {":previous": {"N": str(cart.version - 1)}}
            put.pop("ExpressionAttributeNames")
        return put

    def _view_updates(self, event: ActivityEvent) -> list[dict[str, Any]]:
        """One update per product viewed: seconds and views added, names kept fresh."""
        seconds = event.seconds_viewed or 0
        updates = []
        for sku, line in {line.sku: line for line in event.viewed}.items():
            updates.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": codec.to_item({"customer_id": event.customer_id,
                                              "record": f"{VIEW_PREFIX}{sku}"}),
                        "UpdateExpression": (
                            "SET sku = :sku, #n = :name, category = :category, "
                            "last_viewed_at = :at ADD seconds_viewed :s, #v :one"
                        ),
                        "ExpressionAttributeNames": {"#n": "name", "#v": "views"},
                        "ExpressionAttributeValues": codec.to_item({
                            ":sku": sku, ":name": line.name, ":category": line.category,
                            ":at": iso(event.occurred_at), ":s": seconds, ":one": 1,
                        }),
                    }
                }
            )  # fmt: skip
        return updates

    def event(self, customer_id: str, event_id: str) -> dict[str, Any] | None:
        """The stored event item, or ``None``."""
        key = {"customer_id": customer_id, "record": event_record(event_id)}
        return get_item(self._client, self._table, key)

    def cart(self, customer_id: str) -> Cart | None:
        """The customer's current cart (consistent read), or ``None``."""
        item = get_item(self._client, self._table, {"customer_id": customer_id, "record": CART})
        return None if item is None else cart_from_item(item)

    def save_cart(self, cart: Cart) -> bool:
        """Write ``cart`` over the version it follows; ``False`` when the cart moved on."""
        return condition_held(self._client.put_item, **self._put_cart(cart))

    def due_carts(self, idle_before: datetime, retry: Retrier = once) -> Iterator[Cart]:
        """Open carts last updated at or before ``idle_before``, oldest first (the index)."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": OPEN_CARTS_INDEX,
            "KeyConditionExpression": "cart_due = :open AND idle_since <= :limit",
            "ExpressionAttributeValues": {
                ":open": {"S": OPEN},
                ":limit": {"S": iso(idle_before)},
            },
        }
        for item in all_items(self._client, "query", arguments, retry):
            yield cart_from_item(item)

    def ordered_since(self, customer_id: str, since: datetime) -> bool:
        """Whether the customer placed an order after ``since`` (their orders index)."""
        arguments: dict[str, Any] = {
            "TableName": self._orders,
            "IndexName": CUSTOMER_ORDERS_INDEX,
            "KeyConditionExpression": "customer_id = :c AND placed_at > :since",
            "ExpressionAttributeNames": {"#r": "record"},
            "FilterExpression": "#r = :order",
            "ExpressionAttributeValues": {
                ":c": {"S": customer_id},
                ":since": {"S": iso(since)},
                ":order": {"S": ORDER},
            },
        }
        return next(all_items(self._client, "query", arguments), None) is not None

    def viewed(self, customer_id: str) -> dict[str, dict[str, Any]]:
        """What the customer viewed: ``sku -> {"seconds", "name"}`` (seconds summed)."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "customer_id = :c AND begins_with(#r, :view)",
            "ExpressionAttributeNames": {"#r": "record"},
            "ExpressionAttributeValues": {
                ":c": {"S": customer_id},
                ":view": {"S": VIEW_PREFIX},
            },
        }
        return {
            str(item["sku"]): {
                "seconds": int(item.get("seconds_viewed", 0)),
                "name": item.get("name"),
            }
            for item in all_items(self._client, "query", arguments)
        }
