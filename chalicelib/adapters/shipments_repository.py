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

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.items import all_items, get_item
from chalicelib.adapters.orders_repository import ORDER
from chalicelib.domain.exceptions import DomainError
from chalicelib.domain.tracking_scan import Scan
from chalicelib.services.exceptions import AlreadyExists, StaleWrite

PARCEL = "parcel"
SCAN_PREFIX = "scan#"
ORDER_INDEX = "order"
CUSTOMER_PARCELS_INDEX = "customer"
"""A customer's parcels (``customer_id``, ``registered_at``): export and erasure."""
"""An order's parcels (``order_id``, then ``tracking_number``)."""


def scan_from_item(item: dict[str, Any]) -> Scan:
    """Rebuild a scan from its stored item."""
    return Scan.from_dict(item)


class DynamoShipments:
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

    # --- folding and publication ---

    def record_fold(
        self,
        tracking_number: str,
        version: int,
        state: dict[str, Any],
        published: dict[str, Any],
        new_pending: dict[str, dict[str, Any]],
    ) -> None:
        """Store the folded state, what is now published and the transitions to publish.

        One conditional update on ``version``: when two handlers fold the same parcel at
        once, only one records its transitions; the other gets ``StaleWrite`` and folds
        again on top of the winner's ``published``.
        """
        names = {"#s": "state", "#p": "published", "#v": "version"}
        values = {
            ":s": codec.to_value(json.dumps(state, ensure_ascii=False, separators=(",", ":"))),
            ":p": codec.to_value(published),
            ":v": codec.to_value(version),
            ":next": codec.to_value(version + 1),
        }
        sets = ["#s = :s", "#p = :p", "#v = :next"]
        if new_pending:
            names["#pend"] = "pending"
        for index, (key, entry) in enumerate(new_pending.items()):
            names[f"#k{index}"] = key
            values[f":e{index}"] = codec.to_value(entry)
            sets.append(f"#pend.#k{index} = :e{index}")
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._table,
                    Key={"tracking_number": {"S": tracking_number}, "record": {"S": PARCEL}},
                    UpdateExpression="SET " + ", ".join(sets),
                    ConditionExpression="#v = :v",
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise StaleWrite() from error
            raise

    def _update_pending(
        self,
        tracking_number: str,
        expression: str,
        condition: str,
        names: dict[str, str],
        values: dict[str, Any],
    ) -> bool:
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._table,
                    Key={"tracking_number": {"S": tracking_number}, "record": {"S": PARCEL}},
                    UpdateExpression=expression,
                    ConditionExpression=condition,
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues={k: codec.to_value(v) for k, v in values.items()},
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def mark_published(self, tracking_number: str, key: str, claim: str) -> bool:
        """Remove a pending transition once published, if ``claim`` still holds it."""
        return self._update_pending(
            tracking_number,
            "REMOVE #pend.#k",
            "#pend.#k.#c = :me",
            {"#pend": "pending", "#k": key, "#c": "claim"},
            {":me": claim},
        )

    def release(self, tracking_number: str, key: str, claim: str) -> bool:
        """Give a claim back at once (after a failed publish) so a retry can take it."""
        return self._update_pending(
            tracking_number,
            "SET #pend.#k.#u = :past",
            "#pend.#k.#c = :me",
            {"#pend": "pending", "#k": key, "#c": "claim", "#u": "until"},
            {":me": claim, ":past": "1970-01-01T00:00:00.000Z"},
        )

    def take_over(
        self, tracking_number: str, key: str, entry: dict[str, Any], claim: str, until: str
    ) -> bool:
        """Claim a pending transition whose lease ran out; ``False`` if someone else did."""
        return self._update_pending(
            tracking_number,
            "SET #pend.#k.#c = :me, #pend.#k.#u = :until",
            "#pend.#k.#c = :old AND #pend.#k.#u = :old_until",
            {"#pend": "pending", "#k": key, "#c": "claim", "#u": "until"},
            {
                ":me": claim,
                ":until": until,
                ":old": entry.get("claim"),
                ":old_until": entry.get("until"),
            },
        )


def is_scan(item: dict[str, Any]) -> bool:
    """Whether a shipments item is a scan."""
    return str(item.get("record", "")).startswith(SCAN_PREFIX)


def is_parcel(item: dict[str, Any]) -> bool:
    """Whether a shipments item is a parcel."""
    return item.get("record") == PARCEL


def _same_scan(stored: dict[str, Any], scan: Scan, carrier: str | None) -> bool:
    """Whether a stored scan item says what ``scan`` from ``carrier`` says."""
    try:
        same = Scan.from_dict(stored) == scan
    except DomainError:
        return False
    return same and stored.get("carrier") == carrier
