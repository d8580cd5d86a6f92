"""An order's count with its purchases: one read, one transaction.

Implements :class:`chalicelib.services.placed_ports.PlacedReads` beside the value
repository. The read is one ``BatchGetItem``: the profile, the customer's
replenishable items of the order's skus (both consistent) and any settings document
the fact needs that the settings cache holds no longer (the cold start of a container
costs no request of its own). The commit adds to the fact's transaction each folded
sku's purchase item (orders table) and replenishable item (timeline, conditional on the
revision read: ``StaleWrite`` when another change came first, and the fact is read
again).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import failed_conditions, throttling_as_adapter_error
from chalicelib.adapters.metrics_store import DynamoMetrics
from chalicelib.adapters.profile_items import is_profile
from chalicelib.adapters.purchases import purchase_items
from chalicelib.adapters.replenishment_store import (
    replenishable_from_item,
    replenishable_key,
    replenishable_put,
)
from chalicelib.adapters.settings_store import (
    CUSTOMER_VALUE_ID,
    STORE_SETTINGS_ID,
    DynamoSettingsStore,
)
from chalicelib.adapters.value_repository import DynamoValueRepository, customer_value_from_item
from chalicelib.domain.replenishment import Replenishable
from chalicelib.services.exceptions import StaleWrite
from chalicelib.services.ports import CLV_DOCUMENT, RFM_DOCUMENT, CustomerValue, ValueCommit

ORDER_SETTINGS = (STORE_SETTINGS_ID, CUSTOMER_VALUE_ID, RFM_DOCUMENT, CLV_DOCUMENT)
"""The settings documents an order's count reads."""
_BACKOFF_SECONDS = 0.05


def batch_get(client: Any, request: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every item of a ``BatchGetItem`` request (unprocessed keys asked again), by table."""
    found: dict[str, list[dict[str, Any]]] = {table: [] for table in request}
    while request:
        with throttling_as_adapter_error():
            response = client.batch_get_item(RequestItems=request)
        for table, items in response.get("Responses", {}).items():
            found[table].extend(codec.from_item(item) for item in items)
        request = response.get("UnprocessedKeys") or {}
        if request:
            time.sleep(_BACKOFF_SECONDS)
    return found


def _keys(keys: list[dict[str, str]], consistent: bool) -> dict[str, Any]:
    return {
        "Keys": [{name: {"S": value} for name, value in key.items()} for key in keys],
        "ConsistentRead": consistent,
    }


class DynamoPlacedValues(DynamoValueRepository):
    """The value repository whose order counts carry their purchases."""

    def __init__(
        self,
        client: Any,
        tables: dict[str, str],
        metrics: DynamoMetrics | None = None,
        settings: DynamoSettingsStore | None = None,
    ) -> None:
        """``tables``: ``customers``, ``timeline``, ``messages`` and ``orders``; with
        ``settings``, its stale documents come along with the read."""
        super().__init__(
            client, tables["customers"], tables["timeline"], tables["messages"], metrics
        )
        self._orders = tables["orders"]
        self._settings = settings

    def load_placed(
        self, customer_id: str, skus: Sequence[str]
    ) -> tuple[CustomerValue | None, dict[str, Replenishable]]:
        """See :class:`~chalicelib.services.placed_ports.PlacedReads`."""
        request = {self._customers: _keys([{"customer_id": customer_id}], True)}
        if skus:
            keys = [replenishable_key(customer_id, sku) for sku in skus]
            request[self._timeline] = _keys(keys, True)
        stale = self._settings.stale(ORDER_SETTINGS) if self._settings else []
        if self._settings and stale:
            ids = [{"setting_id": setting_id} for setting_id in stale]
            request[self._settings.table] = _keys(ids, False)
        found = batch_get(self._client, request)
        if self._settings and stale:
            documents = {i["setting_id"]: i for i in found[self._settings.table]}
            for setting_id in stale:
                self._settings.fill(setting_id, documents.get(setting_id))
        profiles = [i for i in found[self._customers] if is_profile(i)]
        value = customer_value_from_item(profiles[0]) if profiles else None
        items = (replenishable_from_item(i) for i in found.get(self._timeline, []))
        return value, {item.sku: item for item in items}

    def commit(self, change: ValueCommit) -> None:
        """As the value repository's, with the purchases; a replenishable item whose
        revision moved refuses the whole change (``StaleWrite``)."""
        try:
            super().commit(change)
        except ClientError as error:
            first = len(super()._items(change))
            if change.purchases is not None and any(i >= first for i in failed_conditions(error)):
                raise StaleWrite() from error
            raise

    def _items(self, change: ValueCommit) -> list[dict[str, Any]]:
        items = super()._items(change)
        if change.purchases is None:
            return items
        for purchase in purchase_items(change.purchases.order):
            items.append({"Put": {"TableName": self._orders, "Item": codec.to_item(purchase)}})
        for write in change.purchases.replenish:
            put = replenishable_put(self._timeline, write.item, write.due, write.interval_days)
            items.append({"Put": put})
        return items
