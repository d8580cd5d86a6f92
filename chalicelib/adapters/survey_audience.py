"""Who the monthly satisfaction survey may go to: recent buyers, and recent delivery letters.

Recent buyers come from the orders table's ``placed-month`` index (orders by the UTC
month they were placed, then by ``placed_at``): a Query per month of the window reads
the window's orders, never the table. Whether a delivery letter (which carries its own
survey) went out lately is one Query of the customer's own message log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.adapters.items import all_items, once
from chalicelib.domain.satisfaction import months_back
from chalicelib.domain.times import iso
from chalicelib.domain.tracking_status import DELIVERED as DELIVERY_LETTER  # its template
from chalicelib.services.ports import Retrier

PLACED_MONTH_INDEX = "placed-month"
"""Orders by the UTC month they were placed (``placed_month``), by ``placed_at``."""


class DynamoSurveyAudience:
    """Implements :class:`chalicelib.services.satisfaction_surveys.SurveyAudience`."""

    def __init__(self, client: Any, orders_table: str, messages_table: str) -> None:
        self._client = client
        self._orders = orders_table
        self._messages = messages_table

    def buyers_between(self, since: datetime, until: datetime, retry: Retrier = once) -> list[str]:
        """Every customer with an order placed from ``since`` to ``until``, each once."""
        found: dict[str, None] = {}
        days = max(0, (until - since).days)
        for month in months_back(until, days):
            arguments: dict[str, Any] = {
                "TableName": self._orders,
                "IndexName": PLACED_MONTH_INDEX,
                "KeyConditionExpression": "placed_month = :m AND placed_at BETWEEN :a AND :b",
                "ProjectionExpression": "customer_id",
                "ExpressionAttributeValues": {
                    ":m": {"S": month},
                    ":a": {"S": iso(since)},
                    ":b": {"S": iso(until)},
                },
            }
            for item in all_items(self._client, "query", arguments, retry):
                found[str(item["customer_id"])] = None
        return list(found)

    def delivery_letter_since(self, customer_id: str, since: datetime) -> bool:
        """Whether a delivery letter was queued for the customer since ``since``."""
        arguments: dict[str, Any] = {
            "TableName": self._messages,
            "KeyConditionExpression": "customer_id = :c",
            "FilterExpression": "template = :t AND created_at >= :since",
            "ProjectionExpression": "message_key",
            "ExpressionAttributeValues": {
                ":c": {"S": customer_id},
                ":t": {"S": DELIVERY_LETTER},
                ":since": {"S": iso(since)},
            },
        }
        return any(True for _ in all_items(self._client, "query", arguments))
