"""The customers table as the customer-value job and the segment lists see it.

The job (:class:`chalicelib.services.ports.CustomerValueStore`) reads every
profile with a parallel Scan (``Segment``/``TotalSegments``, one thread per segment, only
the attributes it needs, email guards filtered out) and writes derived attributes with
UpdateItem from a few threads. A batch job may scan; the request paths below only Query
the ``segment-clv`` and ``loyalty`` indexes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import condition_held, throttling_as_adapter_error
from chalicelib.adapters.items import once
from chalicelib.adapters.pages import query_page
from chalicelib.adapters.parallel_scan import segment_pages
from chalicelib.adapters.profile_items import PROFILE
from chalicelib.domain.customer_value import ProfileValues
from chalicelib.services.ports import DerivedUpdate, Retrier

SEGMENT_INDEX = "segment-clv"
LOYALTY_INDEX = "loyalty"
_PROJECTED = ("customer_id", "stats", "purchase_days", "loyalty", "rfm", "segment_key", "clv")


class DynamoCustomerValueStore:
    """Profiles for the nightly job, and segment and loyalty lists from their indexes."""

    def __init__(
        self,
        client: Any,
        table: str,
        settings: Any,
        scan_segments: int = 4,
        write_threads: int = 8,
    ) -> None:
        self._client = client
        self._table = table
        self._settings = settings
        self._segments = scan_segments
        self._writers = write_threads

    # --- the job's port ---

    def profiles(
        self, retry: Retrier = once, segment: tuple[int, int] = (0, 1)
    ) -> Iterator[ProfileValues]:
        """Every profile of the job's scan segment ``segment`` (``(index, total)``), decoded,
        read by ``scan_segments`` parallel threads (:func:`segment_pages`: a few pages in
        memory; a page that fails transiently is read again under ``retry``)."""
        names = {f"#p{i}": name for i, name in enumerate(_PROJECTED)}
        names["#rt"] = "record_type"
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "ProjectionExpression": ", ".join(f"#p{i}" for i in range(len(_PROJECTED)))
            + ", clv_value",
            "FilterExpression": "#rt = :profile",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {":profile": {"S": PROFILE}},
        }
        for page in segment_pages(self._client, arguments, segment, self._segments, retry):
            yield from (ProfileValues.from_item(codec.from_item(item)) for item in page)

    def item_count(self) -> int:
        """DynamoDB's estimate of the table's items (DescribeTable, updated about every
        six hours; it counts email guards too, so it bounds the profiles from above)."""
        with throttling_as_adapter_error():
            table = self._client.describe_table(TableName=self._table)["Table"]
        return int(table.get("ItemCount", 0))

    def write(self, updates: Sequence[DerivedUpdate], retry: Retrier = once) -> int:
        """Apply the updates from a few threads; return how many were applied.

        Each update that fails transiently is made again under ``retry`` (it sets the
        same values under the same condition, so a repeat changes nothing).
        """
        if not updates:
            return 0
        with ThreadPoolExecutor(max_workers=self._writers) as pool:
            return sum(pool.map(lambda update: retry(lambda: self._update(update)), updates))

    def _update(self, update: DerivedUpdate) -> bool:
        expression, names, values = codec.update_expression(update.values.attributes())
        names.update({"#st": "stats", "#o": "orders", "#sp": "spent", "#rt": "record_type"})
        values[":profile"] = {"S": PROFILE}
        values[":o"] = {"N": str(update.orders)}
        if update.orders > 0:
            values[":sp"] = {"N": str(update.spent)}
            same_stats = "#st.#o = :o AND #st.#sp = :sp"
        else:
            same_stats = "(attribute_not_exists(#st.#o) OR #st.#o = :o)"
        # False when an order changed the stats meanwhile: it rescored them
        return condition_held(
            self._client.update_item,
            TableName=self._table,
            Key={"customer_id": {"S": update.customer_id}},
            UpdateExpression=expression,
            ConditionExpression=f"#rt = :profile AND {same_stats}",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def document(self, setting_id: str) -> dict[str, Any] | None:
        """A settings document, read fresh."""
        document: dict[str, Any] | None = self._settings.document(setting_id, fresh=True)
        return document

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        """Replace a settings document."""
        self._settings.save_document(setting_id, value)

    # --- index reads for the admin API (Query only) ---

    def by_segment(
        self, segment: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a segment's customers, highest ``clv_value`` first (those without a
        CLV prediction, ``clv_value`` -1, last).

        Raises ``ValueError`` for a cursor this API did not give out.
        """
        return self._page(SEGMENT_INDEX, "segment_key", segment, limit, cursor, forward=False)

    def by_loyalty(
        self, loyalty: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a loyalty class's customers, by customer id."""
        return self._page(LOYALTY_INDEX, "loyalty", loyalty, limit, cursor, forward=True)

    def _page(
        self, index: str, key: str, value: str, limit: int, cursor: str | None, forward: bool
    ) -> tuple[list[dict[str, Any]], str | None]:
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": "#k = :v",
            "ExpressionAttributeNames": {"#k": key},
            "ExpressionAttributeValues": {":v": {"S": value}},
            "ScanIndexForward": forward,
            "Limit": limit,
        }
        allowed = {"customer_id", "clv_value", key}
        return query_page(self._client, arguments, cursor, lambda start: set(start) <= allowed)
