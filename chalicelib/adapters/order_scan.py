"""The orders table as the ``co-purchases`` job reads it: one scan segment at a time.

A batch job may scan (never a request path): a segment's Scan (``Segment`` /
``TotalSegments``, read by a few threads: :mod:`chalicelib.adapters.parallel_scan`)
projects only what the job counts, the order's id, time, status and lines, and filters
out the table's other records (returns, purchase items).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chalicelib.adapters.dynamo_errors import throttling_as_adapter_error
from chalicelib.adapters.items import once
from chalicelib.adapters.orders_repository import ORDER
from chalicelib.adapters.parallel_scan import segment_pages
from chalicelib.domain.co_purchase_summary import Basket
from chalicelib.domain.orders import PLACED, OrderLine
from chalicelib.services.ports import Retrier

_PROJECTED = ("order_id", "placed_at", "status", "lines")


def basket_from_item(item: dict[str, Any]) -> Basket:
    """The basket of a scanned order item, read straight from DynamoDB's typed attribute
    values (twice as fast as the SDK's deserializer, measured: decoding is most of a
    segment's time). An order stored without a status is placed."""
    lines = tuple(
        OrderLine(
            line["sku"]["S"],
            line["name"]["S"],
            line["category"]["S"],
            int(line["quantity"]["N"]),
            int(line["unit_price"]["N"]),
        )
        for line in (value["M"] for value in item.get("lines", {}).get("L", ()))
    )
    status = item.get("status", {}).get("S") or PLACED
    return Basket(item["order_id"]["S"], item["placed_at"]["S"], status, lines)


class DynamoOrderScan:
    """Implements :class:`chalicelib.services.co_purchases_job.OrderScan`."""

    def __init__(self, client: Any, table: str, scan_threads: int = 4) -> None:
        self._client = client
        self._table = table
        self._threads = scan_threads

    def baskets(self, retry: Retrier = once, segment: tuple[int, int] = (0, 1)) -> Iterator[Basket]:
        """Every order of scan segment ``segment`` (``(index, total)``), read by
        ``scan_threads`` threads; a page that fails transiently is read again under
        ``retry`` from where it stopped."""
        names = {f"#p{i}": name for i, name in enumerate(_PROJECTED)}
        names["#r"] = "record"
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "ProjectionExpression": ", ".join(f"#p{i}" for i in range(len(_PROJECTED))),
            "FilterExpression": "#r = :order",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {":order": {"S": ORDER}},
        }
        for page in segment_pages(self._client, arguments, segment, self._threads, retry):
            yield from (basket_from_item(item) for item in page)

    def item_count(self) -> int:
        """DynamoDB's estimate of the table's items (DescribeTable, updated about every six
        hours; it counts returns and purchase items too, so it bounds the orders)."""
        with throttling_as_adapter_error():
            table = self._client.describe_table(TableName=self._table)["Table"]
        return int(table.get("ItemCount", 0))
