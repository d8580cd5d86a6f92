"""Apply a fact's effects to profiles exactly once: one transaction with a marker.

A *marker* is a timeline item (``customer_id``, ``entry_key`` such as
``order#<id>#counted``) put with ``attribute_not_exists``: if the fact was applied
before, the transaction is cancelled and nothing changes (``AlreadyApplied``). The
profile update is conditional on ``value_version`` (optimistic concurrency with other
facts of the same customer: ``StaleWrite``, read again and retry). Messages the fact
causes are put in the same transaction, so a mail is queued if and only if the effect
was applied.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import (
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.adapters.items import all_items, get_item
from chalicelib.adapters.metrics_store import DynamoMetrics
from chalicelib.adapters.outbox import message_to_item
from chalicelib.adapters.profile_items import is_profile, profile_from_item
from chalicelib.domain.messages import Message
from chalicelib.domain.order_effects import ValueState
from chalicelib.services.exceptions import AlreadyApplied, NotReady, StaleWrite, Superseded
from chalicelib.services.ports import Bonus, CustomerValue, Marker, ValueCommit


def customer_value_from_item(item: dict[str, Any]) -> CustomerValue:
    """The profile, its value state and its ``value_version`` from a profile item."""
    return CustomerValue(
        profile=profile_from_item(item),
        state=ValueState.from_item(item),
        version=int(item.get("value_version", 0)),
        referral_credited=bool(item.get("referral_credited")),
    )


def marker_put(timeline_table: str, marker: Marker) -> dict[str, Any]:
    """The transaction item that puts ``marker`` unless it exists."""
    return {
        "Put": {
            "TableName": timeline_table,
            "Item": codec.to_item(
                {
                    "customer_id": marker.customer_id,
                    "entry_key": marker.entry_key,
                    "kind": marker.entry_key.split("#", 1)[0],
                    "at": marker.at,
                    "changes": json.dumps(marker.data, ensure_ascii=False, default=str),
                }
            ),
            "ConditionExpression": "attribute_not_exists(entry_key)",
        }
    }


def profile_update(
    customers_table: str, customer_id: str, expected_version: int, attributes: dict[str, Any]
) -> dict[str, Any]:
    """The transaction item that writes a profile's value attributes at the version read."""
    attributes = {**attributes, "value_version": expected_version + 1}
    expression, names, values = codec.update_expression(attributes)
    names["#vv"] = "value_version"
    values[":expected"] = codec.to_value(expected_version)
    values[":profile"] = {"S": "profile"}
    condition = "record_type = :profile AND " + (
        "(attribute_not_exists(#vv) OR #vv = :expected)"
        if expected_version == 0
        else "#vv = :expected"
    )
    return {
        "Update": {
            "TableName": customers_table,
            "Key": {"customer_id": {"S": customer_id}},
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


class DynamoValueRepository:
    """Profiles' value attributes and the facts' markers."""

    def __init__(
        self,
        client: Any,
        customers_table: str,
        timeline_table: str,
        messages_table: str,
        metrics: DynamoMetrics | None = None,
    ) -> None:
        """With ``metrics``, a fact's tallies are added to the day counters in its
        transaction (so exactly once, with its marker)."""
        self._client = client
        self._metrics = metrics
        self._customers = customers_table
        self._timeline = timeline_table
        self._messages = messages_table

    def load(self, customer_id: str) -> CustomerValue | None:
        """The customer's value (consistent read), or ``None`` when there is no profile."""
        data = get_item(self._client, self._customers, {"customer_id": customer_id})
        return customer_value_from_item(data) if data and is_profile(data) else None

    def marker(self, customer_id: str, entry_key: str) -> dict[str, Any] | None:
        """A marker's stored data, or ``None``."""
        key = {"customer_id": customer_id, "entry_key": entry_key}
        data = get_item(self._client, self._timeline, key)
        return None if data is None else json.loads(data.get("changes") or "{}")

    def returned(self, customer_id: str, order_id: str) -> tuple[int, int]:
        """Refund amount and points already taken back by the order's returns."""
        refunded = points = 0
        arguments: dict[str, Any] = {
            "TableName": self._timeline,
            "KeyConditionExpression": "customer_id = :c AND begins_with(entry_key, :r)",
            "ExpressionAttributeValues": {":c": {"S": customer_id}, ":r": {"S": "return#"}},
            "ConsistentRead": True,
        }
        for item in all_items(self._client, "query", arguments):
            data = json.loads(item.get("changes") or "{}")
            if data.get("order_id") == order_id:
                refunded += int(data.get("refund_amount", 0))
                points += int(data.get("points_taken", 0))
        return refunded, points

    def _marker_put(self, marker: Marker) -> dict[str, Any]:
        return marker_put(self._timeline, marker)

    def commit(self, change: ValueCommit) -> None:
        """Apply ``change`` atomically; see the module docstring for the errors."""
        items = self._items(change)
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            _raise_failed(error, change)
            raise

    def _items(self, change: ValueCommit) -> list[dict[str, Any]]:
        """The transaction's items: the marker, the profile, then the rest."""
        items: list[dict[str, Any]] = [
            self._marker_put(change.marker),
            self._profile_update(change),
            *(self._marker_check(m, "attribute_exists(entry_key)") for m in change.requires),
            *(self._marker_check(m, "attribute_not_exists(entry_key)") for m in change.absent),
        ]
        for bonus in change.bonuses:
            items.append(self._marker_put(bonus.marker))
            items.append(self._bonus_update(bonus))
        items.extend(self._message_put(message) for message in change.messages)
        if self._metrics is not None:
            items.extend(self._metrics.update(tally) for tally in change.tallies)
        return items

    def _profile_update(self, change: ValueCommit) -> dict[str, Any]:
        return profile_update(
            self._customers, change.customer_id, change.expected_version, change.attributes
        )

    def _marker_check(self, marker: Marker, condition: str) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self._timeline,
                "Key": {
                    "customer_id": {"S": marker.customer_id},
                    "entry_key": {"S": marker.entry_key},
                },
                "ConditionExpression": condition,
            }
        }

    def _bonus_update(self, bonus: Bonus) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._customers,
                "Key": {"customer_id": {"S": bonus.customer_id}},
                # bump the version too, so a concurrent full write re-reads
                "UpdateExpression": "ADD points :p, value_version :one",
                "ConditionExpression": "record_type = :profile",
                "ExpressionAttributeValues": {
                    ":p": codec.to_value(bonus.points),
                    ":one": {"N": "1"},
                    ":profile": {"S": "profile"},
                },
            }
        }

    def _message_put(self, message: Message) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self._messages,
                "Item": codec.to_item(message_to_item(message)),
                "ConditionExpression": "attribute_not_exists(message_key)",
            }
        }


def _raise_failed(error: ClientError, change: ValueCommit) -> None:
    """Raise the service error for the transaction's failed conditions (if it is one)."""
    failed = failed_conditions(error)
    first_absent = 2 + len(change.requires)  # marker, profile, requires, absent
    required_at = set(range(2, first_absent))
    absent_at = set(range(first_absent, first_absent + len(change.absent)))
    if 0 in failed:
        raise AlreadyApplied() from error
    if 1 in failed:
        raise StaleWrite() from error
    if failed & required_at:
        raise NotReady() from error
    if failed & absent_at:
        raise Superseded() from error
