"""The shipments table: parcels, their scans and their publication outbox.

One partition per tracking number: the parcel item (``record = "parcel"``) and one item
per carrier scan (``record = "scan#<event_id>"``), so a single consistent Query reads
everything needed to fold a parcel. Orders are read here too (``record = "order"``)
because a parcel is registered against one.

Parcel attributes written here: ``order_id``, ``customer_id``, ``carrier``,
``registered_at``, ``promised_delivery``, ``state`` (the folded
:class:`~chalicelib.domain.tracking.ParcelState` as JSON), ``published`` (the
:class:`~chalicelib.domain.tracking_publish.PublishedState`), ``pending`` (transitions
recorded but not yet confirmed published, by key) and ``version`` (optimistic lock).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.items import all_items, get_item
from chalicelib.adapters.orders_repository import ORDER
from chalicelib.adapters.parcel_publication import ParcelPublication
from chalicelib.adapters.shipment_items import (
    PARCEL,
    SCAN_PREFIX,
    is_parcel,
    is_scan,
    scan_from_item,
)
from chalicelib.domain.exceptions import DomainError
from chalicelib.domain.tracking_scan import Scan
from chalicelib.services.exceptions import AlreadyExists

__all__ = [
    "CUSTOMER_PARCELS_INDEX",
    "ORDER_INDEX",
    "DynamoShipments",
    "is_parcel",
    "is_scan",
]

ORDER_INDEX = "order"
CUSTOMER_PARCELS_INDEX = "customer"
"""A customer's parcels (``customer_id``, ``registered_at``): export and erasure."""
"""An order's parcels (``order_id``, then ``tracking_number``)."""


class DynamoShipments(ParcelPublication):
    """Parcels and scans in the shipments table; orders read from the orders table."""

    def __init__(self, client: Any, shipments_table: str, orders_table: str) -> None:
        self._client = client
        self._table = shipments_table
        self._orders = orders_table

    # --- orders (read only) ---

    def order(self, order_id: str) -> dict[str, Any] | None:
        """The order item, or ``None``."""
        return get_item(self._client, self._orders, {"order_id": order_id, "record": ORDER})

    # --- parcels ---

    def register(self, parcel: dict[str, Any]) -> None:
        """Create the parcel item; raises ``AlreadyExists`` when the number is taken."""
        item = {**parcel, "record": PARCEL, "version": 0, "published": {}, "pending": {}}
        try:
            with throttling_as_adapter_error():
                self._client.put_item(
                    TableName=self._table,
                    Item=codec.to_item(item),
                    ConditionExpression="attribute_not_exists(tracking_number)",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise AlreadyExists("tracking_number") from error
            raise

    def parcel(self, tracking_number: str) -> dict[str, Any] | None:
        """The parcel item, or ``None``."""
        key = {"tracking_number": tracking_number, "record": PARCEL}
        return get_item(self._client, self._table, key)

    def parcels_for_order(self, order_id: str) -> list[dict[str, Any]]:
        """Every parcel of an order (the ``order`` index)."""
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": ORDER_INDEX,
            "KeyConditionExpression": "order_id = :o",
            "ExpressionAttributeValues": {":o": {"S": order_id}},
        }
        found = all_items(self._client, "query", kwargs)
        return [item for item in found if item.get("record") == PARCEL]

    def load(self, tracking_number: str) -> tuple[dict[str, Any] | None, list[Scan]]:
        """The parcel item (if registered) and every scan, in one consistent Query."""
        parcel: dict[str, Any] | None = None
        scans: list[Scan] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "tracking_number = :t",
            "ExpressionAttributeValues": {":t": {"S": tracking_number}},
            "ConsistentRead": True,
        }
        for item in all_items(self._client, "query", kwargs):
            if item["record"] == PARCEL:
                parcel = item
            elif item["record"].startswith(SCAN_PREFIX):
                scans.append(scan_from_item(item))
        return parcel, scans

    # --- scans ---

    def add_scan(self, scan: Scan, carrier: str | None, received_at: str) -> bool:
        """Store a scan; ``False`` when its ``event_id`` is already stored (a duplicate).

        Raises ``AlreadyExists`` (``event_id``) when the stored scan of that id differs.
        """
        item = {
            **scan.to_dict(),
            "record": SCAN_PREFIX + scan.event_id,
            "carrier": carrier,
            "received_at": received_at,
        }
        try:
            with throttling_as_adapter_error():
                self._client.put_item(
                    TableName=self._table,
                    Item=codec.to_item(item),
                    ConditionExpression="attribute_not_exists(#r)",
                    ExpressionAttributeNames={"#r": "record"},
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            if not _same_scan(codec.from_item(error.response.get("Item") or {}), scan, carrier):
                raise AlreadyExists("event_id") from error
            return False
        return True


def _same_scan(stored: dict[str, Any], scan: Scan, carrier: str | None) -> bool:
    """Whether a stored scan item says what ``scan`` from ``carrier`` says."""
    try:
        same = Scan.from_dict(stored) == scan
    except DomainError:
        return False
    return same and stored.get("carrier") == carrier
