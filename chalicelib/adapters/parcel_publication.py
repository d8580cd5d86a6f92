"""A parcel's folded state and its publication outbox on the parcel item.

``state`` is the folded :class:`~chalicelib.domain.tracking.ParcelState` as JSON,
``published`` the :class:`~chalicelib.domain.tracking_publish.PublishedState`, ``pending``
the transitions recorded but not yet confirmed published (by key, each with its ``claim``
and lease ``until``) and ``version`` the optimistic lock.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.shipment_items import PARCEL
from chalicelib.services.exceptions import StaleWrite


class ParcelPublication:
    """Folding and publication writes of the shipments table's parcel items (a part of
    :class:`~chalicelib.adapters.shipments_repository.DynamoShipments`)."""

    _client: Any
    _table: str

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
