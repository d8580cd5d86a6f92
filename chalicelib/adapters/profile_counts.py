"""Counters of customers per class, kept exactly once per profile change.

The counts table holds sharded counter items (``counts#<n>``: an ``ADD`` per change goes
to the shard of the customer's id, so no single item takes every write) and one marker
per customer (``customer#<id>``: the stream sequence number of the last change counted,
and the events of that change not yet published). A change is counted in one
transaction with its marker, under the condition that the marker is older, so a
duplicated or replayed stream record counts nothing twice. The condition holds only if
a customer's changes are counted in stream order, never an older one after a newer one
(it would be refused, its deltas lost): the customers stream handles a batch in order up
to its first failure (``chalicelib.handlers.in_order``). Reading the totals is one
``BatchGetItem`` of the shards.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo_errors import (
    error_code,
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.domain.profile_changes import ProfileChange

COUNT_SHARDS = 16
SEQUENCE_WIDTH = 48
"""Stream sequence numbers are decimal strings of up to 40 digits, compared padded."""


def shard_key(customer_id: str) -> str:
    """The counter item a customer's changes are added to."""
    return f"counts#{zlib.crc32(customer_id.encode()) % COUNT_SHARDS:02d}"


def marker_key(customer_id: str) -> str:
    """The item that remembers the last change of ``customer_id`` counted."""
    return f"customer#{customer_id}"


class DynamoProfileCounts:
    """Implements :class:`chalicelib.services.profile_changes.ProfileCounts` on the counts
    table."""

    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def actions(self, change: ProfileChange) -> list[dict[str, Any]]:
        """The transaction items counting ``change`` once: its marker, under the condition
        that the marker is older, first; then the ``ADD`` to the customer's shard."""
        position = change.sequence.rjust(SEQUENCE_WIDTH, "0")
        names = {"#seq": "seq", "#pending": "pending"}
        values: dict[str, Any] = {
            ":seq": {"S": position},
            ":pending": {"S": json.dumps(change.events)},
        }
        actions: list[dict[str, Any]] = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": {"counter_id": {"S": marker_key(change.customer_id)}},
                    "UpdateExpression": "SET #seq = :seq, #pending = :pending",
                    "ConditionExpression": "attribute_not_exists(#seq) OR #seq < :seq",
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": values,
                }
            }
        ]
        if change.deltas:
            actions.append(self._add(shard_key(change.customer_id), change.deltas))
        return actions

    def apply(self, change: ProfileChange) -> list[dict[str, Any]]:
        """Count one change once; returns the change's events still to publish."""
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=self.actions(change))
        except ClientError as error:
            if 0 not in failed_conditions(error):
                raise
            position = change.sequence.rjust(SEQUENCE_WIDTH, "0")
            return self._still_pending(change.customer_id, position)
        return change.events

    def _add(self, key: str, deltas: dict[str, int]) -> dict[str, Any]:
        names = {f"#c{i}": name for i, name in enumerate(sorted(deltas))}
        values = {f":d{i}": {"N": str(deltas[name])} for i, name in enumerate(sorted(deltas))}
        expression = "ADD " + ", ".join(f"#c{i} :d{i}" for i in range(len(deltas)))
        return {
            "Update": {
                "TableName": self._table,
                "Key": {"counter_id": {"S": key}},
                "UpdateExpression": expression,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    def _still_pending(self, customer_id: str, position: str) -> list[dict[str, Any]]:
        """The events of this change if it was counted but not all published."""
        with throttling_as_adapter_error():
            item = self._client.get_item(
                TableName=self._table,
                Key={"counter_id": {"S": marker_key(customer_id)}},
                ConsistentRead=True,
            ).get("Item", {})
        if item.get("seq", {}).get("S") != position or "pending" not in item:
            return []
        pending: list[dict[str, Any]] = json.loads(item["pending"]["S"])
        return pending

    def published(self, customer_id: str, sequence: str) -> None:
        """Forget the change's events once they are on the bus (if still this change's)."""
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._table,
                    Key={"counter_id": {"S": marker_key(customer_id)}},
                    UpdateExpression="REMOVE #pending",
                    ConditionExpression="#seq = :seq",
                    ExpressionAttributeNames={"#seq": "seq", "#pending": "pending"},
                    ExpressionAttributeValues={":seq": {"S": sequence.rjust(SEQUENCE_WIDTH, "0")}},
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise  # a newer change owns the marker: its own events are its own

    def totals(self) -> dict[str, int]:
        """Every counter summed over the shards (one ``BatchGetItem``)."""
        keys = [{"counter_id": {"S": f"counts#{n:02d}"}} for n in range(COUNT_SHARDS)]
        request: dict[str, Any] = {self._table: {"Keys": keys, "ConsistentRead": True}}
        totals: dict[str, int] = {}
        while request:
            with throttling_as_adapter_error():
                response = self._client.batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(self._table, []):
                for name, value in item.items():
                    if name != "counter_id":
                        totals[name] = totals.get(name, 0) + int(value["N"])
            request = response.get("UnprocessedKeys") or {}
        return totals
