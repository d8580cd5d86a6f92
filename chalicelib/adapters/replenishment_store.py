"""Replenishable purchases as timeline items ``replenish#<sku>``, with a due-day index.

One item per customer and sku (``kind = "replenishment"``): the recent purchases, the
reorder interval, the due day, and ``replenish_due`` (the same day, only while a
reminder is due) which the sparse :data:`REPLENISH_DUE_INDEX` lists by day. Items carry
no ``at``, so the admin timeline (facts by time) does not list them; export and erasure
read every timeline item of the customer, these included. Writes are conditional on
``revision`` (optimistic concurrency between order changes of one customer).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.items import all_items, get_item
from chalicelib.domain.replenishment import REPLENISHMENT_TEMPLATE as KIND
from chalicelib.domain.replenishment import Purchase, Replenishable
from chalicelib.services.exceptions import StaleWrite
from chalicelib.services.ports import Retrier

REPLENISH_DUE_INDEX = "replenish-due"
"""Replenishable items by the day their reminder is due (``replenish_due``)."""
ENTRY_PREFIX = "replenish#"


def replenishable_from_item(item: dict[str, Any]) -> Replenishable:
    """Decode a stored item."""
    purchases = tuple(
        Purchase(str(p["order_id"]), date.fromisoformat(str(p["day"])), int(p.get("quantity", 1)))
        for p in item.get("purchases") or ()
    )
    return Replenishable(
        customer_id=str(item["customer_id"]),
        sku=str(item["sku"]),
        name=str(item.get("name") or ""),
        category=item.get("category"),
        purchases=purchases,
        revision=int(item.get("revision", 0)),
    )


def replenishable_put(
    table: str, item: Replenishable, due: date | None, interval_days: int | None
) -> dict[str, Any]:
    """The put of ``item`` at its next revision, on the condition that the stored one is
    still ``item.revision`` (a put call's arguments, or a transaction's ``Put``)."""
    data = {
        "customer_id": item.customer_id,
        "entry_key": f"{ENTRY_PREFIX}{item.sku}",
        "kind": KIND,
        "sku": item.sku,
        "name": item.name,
        "category": item.category,
        "purchases": [
            {"order_id": p.order_id, "day": p.day.isoformat(), "quantity": p.quantity}
            for p in item.purchases
        ],
        "interval_days": interval_days,
        "due_day": due.isoformat() if due else None,
        "replenish_due": due.isoformat() if due else None,
        "revision": item.revision + 1,
    }
    put: dict[str, Any] = {"TableName": table, "Item": codec.to_item(data)}
    if item.revision == 0:
        put["ConditionExpression"] = "attribute_not_exists(entry_key)"
    else:
        put["ConditionExpression"] = "revision = :r"
        put["ExpressionAttributeValues"] = {":r": {"N": str(item.revision)}}
    return put


def replenishable_key(customer_id: str, sku: str) -> dict[str, str]:
    """The key of the customer's replenishable item of ``sku``."""
    return {"customer_id": customer_id, "entry_key": f"{ENTRY_PREFIX}{sku}"}


class DynamoReplenishments:
    """Implements :class:`chalicelib.services.replenishment.ReplenishmentStore`."""

    def __init__(self, client: Any, timeline_table: str) -> None:
        self._client = client
        self._table = timeline_table

    def get(self, customer_id: str, sku: str) -> Replenishable | None:
        """The stored purchases of ``sku`` (consistent read), or ``None``."""
        item = get_item(self._client, self._table, replenishable_key(customer_id, sku))
        return replenishable_from_item(item) if item else None

    def save(self, item: Replenishable, due: date | None, interval_days: int | None) -> None:
        """Put ``item`` at the next revision if the stored one is still ``item.revision``."""
        try:
            with throttling_as_adapter_error():
                self._client.put_item(**replenishable_put(self._table, item, due, interval_days))
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise StaleWrite() from error
            raise

    def due_on(self, day: date, retry: Retrier) -> Iterator[tuple[str, str]]:
        """``(customer_id, sku)`` of the items due on ``day``: a Query of the index."""
        arguments = {
            "TableName": self._table,
            "IndexName": REPLENISH_DUE_INDEX,
            "KeyConditionExpression": "replenish_due = :d",
            "ExpressionAttributeValues": {":d": {"S": day.isoformat()}},
        }
        for item in all_items(self._client, "query", arguments, retry):
            yield str(item["customer_id"]), str(item["entry_key"])[len(ENTRY_PREFIX) :]
