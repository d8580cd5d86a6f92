"""An import's reads and writes in batches: BatchGetItem, BatchWriteItem, transactions
that apply up to :data:`TRANSACTION_ITEMS` items for many customers at once.

A fold's transaction is refused as a whole when any one customer's profile changed
since it was read (a live order) or the import's marker already exists (it was
applied): the group's customers are returned so the service reads them again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.orders_repository import ORDER, codec_time
from chalicelib.adapters.profile_items import EMAIL_GUARD, email_guard_key, is_profile
from chalicelib.adapters.purchases import purchase_items
from chalicelib.adapters.replenishment_store import (
    replenishable_from_item,
    replenishable_key,
    replenishable_put,
)
from chalicelib.adapters.value_repository import (
    customer_value_from_item,
    marker_put,
    profile_update,
)
from chalicelib.domain.import_rows import ImportedOrder
from chalicelib.domain.orders import PAID, PLACED
from chalicelib.domain.replenishment import Replenishable
from chalicelib.domain.satisfaction import placed_month
from chalicelib.domain.times import iso
from chalicelib.services.ports import CustomerValue, HistoryFold, Marker

BATCH_GET = 100
BATCH_WRITE = 25
TRANSACTION_ITEMS = 100
_BACKOFF_SECONDS = 0.05


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class DynamoHistoryWriter:
    """Implements :class:`chalicelib.services.ports.HistoryWriter`."""

    def __init__(self, client: Any, customers: str, timeline: str, orders: str) -> None:
        self._client = client
        self._customers = customers
        self._timeline = timeline
        self._orders = orders

    def _get(self, table: str, keys: list[dict[str, str]]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for chunk in _chunks(keys, BATCH_GET):
            request: dict[str, Any] = {
                table: {
                    "Keys": [{k: {"S": val} for k, val in key.items()} for key in chunk],
                    "ConsistentRead": True,
                }
            }
            while request:
                with throttling_as_adapter_error():
                    response = self._client.batch_get_item(RequestItems=request)
                found.extend(codec.from_item(i) for i in response["Responses"].get(table, []))
                request = response.get("UnprocessedKeys") or {}
                if request:
                    time.sleep(_BACKOFF_SECONDS)
        return found

    def values(self, customer_ids: list[str]) -> dict[str, CustomerValue]:
        """See :class:`~chalicelib.services.ports.HistoryWriter`."""
        items = self._get(self._customers, [{"customer_id": c} for c in customer_ids])
        return {i["customer_id"]: customer_value_from_item(i) for i in items if is_profile(i)}

    def owners(self, emails: list[str]) -> dict[str, str]:
        """See :class:`~chalicelib.services.ports.HistoryWriter`."""
        keys = {email_guard_key(e): e for e in emails}
        items = self._get(self._customers, [{"customer_id": k} for k in keys])
        return {
            keys[i["customer_id"]]: str(i["owner"])
            for i in items
            if i.get("record_type") == EMAIL_GUARD
        }

    def stored_orders(self, order_ids: list[str]) -> dict[str, dict[str, Any]]:
        """See :class:`~chalicelib.services.ports.HistoryWriter`."""
        keys = [{"order_id": o, "record": ORDER} for o in order_ids]
        return {i["order_id"]: i for i in self._get(self._orders, keys)}

    def marked(self, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """See :class:`~chalicelib.services.ports.HistoryWriter`."""
        wanted = [{"customer_id": c, "entry_key": k} for c, k in keys]
        return {(i["customer_id"], i["entry_key"]) for i in self._get(self._timeline, wanted)}

    def replenishables(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Replenishable]:
        """See :class:`~chalicelib.services.history_ports.HistoryReplenishables`."""
        wanted = [replenishable_key(c, sku) for c, sku in keys]
        items = (replenishable_from_item(i) for i in self._get(self._timeline, wanted))
        return {(item.customer_id, item.sku): item for item in items}

    def put_orders(self, orders: list[tuple[ImportedOrder, str]], import_id: str, now: str) -> None:
        """See :class:`~chalicelib.services.ports.HistoryWriter`."""
        self._put(self._orders, [order_item(o, digest, import_id, now) for o, digest in orders])

    def put_markers(self, markers: list[Marker]) -> None:
        """See :class:`~chalicelib.services.ports.HistoryWriter`."""
        items = [marker_put(self._timeline, m)["Put"]["Item"] for m in markers]
        self._put(self._timeline, items, encoded=True)

    def _put(self, table: str, items: list[dict[str, Any]], encoded: bool = False) -> None:
        for chunk in _chunks(items, BATCH_WRITE):
            request: dict[str, Any] = {
                table: [{"PutRequest": {"Item": i if encoded else codec.to_item(i)}} for i in chunk]
            }
            while request:
                with throttling_as_adapter_error():
                    response = self._client.batch_write_item(RequestItems=request)
                request = response.get("UnprocessedItems") or {}
                if request:
                    time.sleep(_BACKOFF_SECONDS)

    def commit_folds(self, folds: list[HistoryFold]) -> set[str]:
        """See :class:`~chalicelib.services.ports.HistoryWriter`.

        A fold's purchase and replenishable items go in its transaction; a customer whose
        purchase items would not fit has them written in batches first (idempotent puts).
        """
        refused: set[str] = set()
        for group in _groups([self._fold_items(fold) for fold in folds]):
            refused |= self._commit_group(group)
        return refused

    def _fold_items(self, fold: HistoryFold) -> tuple[str, list[dict[str, Any]]]:
        """The customer and their fold's transaction items."""
        items = [
            profile_update(
                self._customers, fold.customer_id, fold.expected_version, fold.attributes
            ),
            marker_put(self._timeline, fold.marker),
        ]
        if fold.bought is None:
            return fold.customer_id, items
        for write in fold.bought.replenish:
            put = replenishable_put(self._timeline, write.item, write.due, write.interval_days)
            items.append({"Put": put})
        bought = [p for order in fold.bought.orders for p in purchase_items(order)]
        if len(items) + len(bought) > TRANSACTION_ITEMS:
            self._put(self._orders, bought)
        else:
            puts = ({"TableName": self._orders, "Item": codec.to_item(p)} for p in bought)
            items.extend({"Put": put} for put in puts)
        return fold.customer_id, items

    def _commit_group(self, group: list[tuple[str, list[dict[str, Any]]]]) -> set[str]:
        items = [item for _, fold_items in group for item in fold_items]
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if error_code(error) != "TransactionCanceledException":
                raise
            return {customer_id for customer_id, _ in group}  # nothing of it was written
        return set()


def _status_history(imported: ImportedOrder) -> list[dict[str, str]]:
    placed_at = iso(imported.order.placed_at)
    history = [{"status": PLACED, "at": placed_at}]
    paid_at = iso(imported.paid_at) if imported.paid_at else None
    if paid_at:
        history.append({"status": PAID, "at": paid_at})
    if imported.status not in (PLACED, PAID) or (imported.status == PAID and not paid_at):
        history.append({"status": imported.status, "at": paid_at or placed_at})
    return history


def order_item(imported: ImportedOrder, digest: str, import_id: str, now: str) -> dict[str, Any]:
    """An imported order stored as the API stores one, marked with its import."""
    return {
        **imported.order.to_payload(),
        "placed_at": codec_time(imported.order),
        "placed_month": placed_month(imported.order.placed_at.astimezone(UTC)),
        "record": ORDER,
        "status": imported.status,
        "status_history": _status_history(imported),
        "order_digest": digest,
        "created_at": now,
        "updated_at": now,
        "import_id": import_id,
    }


def _groups(
    folds: list[tuple[str, list[dict[str, Any]]]],
) -> Iterator[list[tuple[str, list[dict[str, Any]]]]]:
    """Folds packed in order into transactions of at most :data:`TRANSACTION_ITEMS`."""
    group: list[tuple[str, list[dict[str, Any]]]] = []
    size = 0
    for fold in folds:
        if group and size + len(fold[1]) > TRANSACTION_ITEMS:
            yield group
            group, size = [], 0
        group.append(fold)
        size += len(fold[1])
    if group:
        yield group
