"""Reviews and review coupons, stored beside their order in the orders table.

``(order_id, "review")`` is the order's review, and a guard ``("review-id#<id>",
"guard")`` keeps the store's ``review_id`` unique across orders (both in one
transaction). ``(order_id, "coupon")`` is the coupon the review earned; the sparse
``coupon-code`` index finds it by its code. Kept beside the order, both are exported and
erased with the customer's orders.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import (
    error_code,
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.adapters.items import first_on_index, get_item
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import AlreadyExists

REVIEW_RECORD = "review"
COUPON_RECORD = "coupon"
GUARD_PREFIX = "review-id#"
COUPON_INDEX = "coupon-code"
"""Review coupons by their code (sparse: only coupon items carry ``coupon_code``)."""
NEW_ITEM = "attribute_not_exists(order_id)"
UNREDEEMED = "attribute_exists(order_id) AND attribute_not_exists(redeemed_at)"


def is_review(item: dict[str, Any]) -> bool:
    """Whether an orders-table item is an order's review."""
    return item.get("record") == REVIEW_RECORD


class DynamoReviews:
    """Implements :class:`chalicelib.services.reviews.ReviewStore` on the orders table."""

    def __init__(self, client: Any, orders_table: str) -> None:
        self._client = client
        self._table = orders_table

    def review(self, order_id: str) -> dict[str, Any] | None:
        """The order's review, or ``None``."""
        return get_item(self._client, self._table, {"order_id": order_id, "record": REVIEW_RECORD})

    def order_of_review(self, review_id: str) -> str | None:
        """The order a ``review_id`` was posted for, or ``None``."""
        guard = get_item(
            self._client, self._table, {"order_id": GUARD_PREFIX + review_id, "record": "guard"}
        )
        return None if guard is None else str(guard["review_order_id"])

    def create_review(self, item: dict[str, Any]) -> None:
        """Store the review; ``AlreadyExists("order_id" | "review_id")`` if either is taken."""
        guard = {
            "order_id": GUARD_PREFIX + item["review_id"],
            "record": "guard",
            "review_order_id": item["order_id"],
        }
        actions = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": codec.to_item(row),
                    "ConditionExpression": NEW_ITEM,
                }
            }
            for row in ({**item, "record": REVIEW_RECORD}, guard)
        ]
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            failed = failed_conditions(error)
            if not failed:
                raise
            raise AlreadyExists("order_id" if 0 in failed else "review_id") from error

    def create_coupon(self, item: dict[str, Any]) -> bool:
        """Store the order's coupon once; ``False`` when it already has one."""
        try:
            with throttling_as_adapter_error():
                self._client.put_item(
                    TableName=self._table,
                    Item=codec.to_item({**item, "record": COUPON_RECORD}),
                    ConditionExpression=NEW_ITEM,
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def coupon(self, code: str) -> dict[str, Any] | None:
        """The coupon with ``code`` (its index, then a consistent read), or ``None``."""
        found = first_on_index(self._client, self._table, COUPON_INDEX, "coupon_code", code)
        if found is None:
            return None
        key = {"order_id": found["order_id"], "record": COUPON_RECORD}
        return get_item(self._client, self._table, key)

    def redeem(self, coupon_order_id: str, redeeming_order_id: str, now: datetime) -> bool:
        """Mark the coupon redeemed by an order; ``False`` when it was redeemed already."""
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._table,
                    Key={"order_id": {"S": coupon_order_id}, "record": {"S": COUPON_RECORD}},
                    UpdateExpression="SET redeemed_at = :at, redeemed_by_order = :o",
                    ConditionExpression=UNREDEEMED,
                    ExpressionAttributeValues={
                        ":at": {"S": iso(now)},
                        ":o": {"S": redeeming_order_id},
                    },
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            return False
        return True
