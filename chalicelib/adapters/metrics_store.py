"""The metrics table: one counter item per store day, and per-fact markers.

- A day item (``store_day = "YYYY-MM-DD"``) holds flat counters (``orders``, ``revenue:CNY``;
  :mod:`chalicelib.domain.metrics`). :meth:`DynamoMetrics.update` is the ``ADD`` a fact
  puts into the transaction that holds its own exactly-once marker (the order's value
  marker, the message's fenced outcome, the SES notification's marker).
- A fact with no marker of its own (a signup, a consent withdrawn, an erasure, all read
  from the customers stream) is counted by :meth:`DynamoMetrics.count_once`: a marker
  item ``fact#<sha256 of the fact key>`` put only if absent, with the day's ``ADD``, in one
  transaction. Markers expire after :data:`MARKER_DAYS` (streams keep records 24 hours).
- :meth:`DynamoMetrics.days` reads a range's day items with BatchGetItem, 100 keys a call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import failed_conditions, throttling_as_adapter_error
from chalicelib.domain.metrics import Tally, store_day
from chalicelib.services.ports import SettingsStore

DAY_KEY = "store_day"
MARKER_DAYS = 7
BATCH_KEYS = 100
"""BatchGetItem's limit of keys per call."""


class DynamoMetrics:
    """Implements :class:`chalicelib.services.ports.MetricsCounters`."""

    def __init__(self, client: Any, table: str, settings: SettingsStore) -> None:
        self._client = client
        self._table = table
        self._settings = settings

    @property
    def time_zone(self) -> str:
        """The zone whose calendar days the counters follow (the store's setting)."""
        return self._settings.store().support_time_zone

    def update(self, tally: Tally) -> dict[str, Any]:
        """The transaction item adding ``tally`` to its day's counters."""
        names = {f"#c{i}": counter for i, counter in enumerate(tally.counts)}
        values = {f":c{i}": {"N": str(int(n))} for i, n in enumerate(tally.counts.values())}
        adds = ", ".join(f"#c{i} :c{i}" for i in range(len(names)))
        return {
            "Update": {
                "TableName": self._table,
                "Key": {DAY_KEY: {"S": store_day(tally.at, self.time_zone)}},
                "UpdateExpression": f"ADD {adds}",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    def count_once(self, fact_key: str, tally: Tally, now: datetime) -> bool:
        """Add ``tally`` unless ``fact_key`` was counted before; whether it was added now."""
        digest = hashlib.sha256(fact_key.encode("utf-8")).hexdigest()
        marker = {
            DAY_KEY: f"fact#{digest}",
            "expires_at": int((now + timedelta(days=MARKER_DAYS)).timestamp()),
        }
        put = {
            "Put": {
                "TableName": self._table,
                "Item": codec.to_item(marker),
                "ConditionExpression": "attribute_not_exists(#d)",
                "ExpressionAttributeNames": {"#d": DAY_KEY},
            }
        }
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=[put, self.update(tally)])
        except ClientError as error:
            if 0 in failed_conditions(error):
                return False
            raise
        return True

    def days(self, start: date, end: date) -> dict[str, dict[str, int]]:
        """The counters of every day from ``start`` to ``end`` that has any."""
        wanted = [
            (start + timedelta(days=offset)).isoformat() for offset in range((end - start).days + 1)
        ]
        found: dict[str, dict[str, int]] = {}
        for chunk in _chunks(wanted, BATCH_KEYS):
            for item in self._batch_get(chunk):
                day = str(item.pop(DAY_KEY))
                found[day] = {key: int(value) for key, value in item.items()}
        return found

    def _batch_get(self, days: list[str]) -> Iterator[dict[str, Any]]:
        """The items of ``days`` (one BatchGetItem, again for keys it left unprocessed)."""
        request: dict[str, Any] = {
            self._table: {"Keys": [{DAY_KEY: {"S": day}} for day in days], "ConsistentRead": True}
        }
        while request:
            with throttling_as_adapter_error():
                response = self._client.batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(self._table, []):
                yield codec.from_item(item)
            request = response.get("UnprocessedKeys") or {}


def write_counted(
    client: Any, update: dict[str, Any], metrics: DynamoMetrics | None, tally: Tally | None
) -> None:
    """``update`` (UpdateItem's arguments) alone, or with ``tally`` in one transaction."""
    if metrics is None or tally is None:
        client.update_item(**update)
    else:
        client.transact_write_items(TransactItems=[{"Update": update}, metrics.update(tally)])


def _chunks(values: list[str], size: int) -> Iterator[list[str]]:
    for begin in range(0, len(values), size):
        yield values[begin : begin + size]
