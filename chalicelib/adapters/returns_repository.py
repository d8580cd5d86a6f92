"""Return requests, stored as child items of their order (``record = "return#<id>"``)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.items import all_items, get_item
from chalicelib.domain.returns import ReturnLine, ReturnRequest, StoredReturn
from chalicelib.services.exceptions import AlreadyExists

RETURN_PREFIX = "return#"


def is_return(item: dict[str, Any]) -> bool:
    """Whether an item of the orders table is a return request."""
    return str(item.get("record", "")).startswith(RETURN_PREFIX)


def stored_return_from_item(item: dict[str, Any]) -> StoredReturn:
    """Decode a return item (as written by the returns route) for the facts it triggers."""
    lines = tuple(
        ReturnLine(str(line["sku"]), int(line["quantity"]), line.get("wanted_variant"))
        for line in item.get("lines") or ()
    )
    request = ReturnRequest(
        return_id=str(item["return_id"]),
        order_id=str(item["order_id"]),
        lines=lines,
        reason=str(item.get("reason") or ""),
        kind=str(item["kind"]),
    )
    return StoredReturn(request, int(item.get("refund_amount", 0)))


class DynamoReturns:
    """Return items in the orders table (the orders stream handler reacts to them)."""

    def __init__(self, client: Any, orders_table: str) -> None:
        self._client = client
        self._table = orders_table

    def get(self, order_id: str, return_id: str) -> dict[str, Any] | None:
        """One return, or ``None``."""
        key = {"order_id": order_id, "record": RETURN_PREFIX + return_id}
        return get_item(self._client, self._table, key)

    def for_order(self, order_id: str) -> list[dict[str, Any]]:
        """Every return of an order."""
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "order_id = :o AND begins_with(#r, :p)",
            "ExpressionAttributeNames": {"#r": "record"},
            "ExpressionAttributeValues": {
                ":o": {"S": order_id},
                ":p": {"S": RETURN_PREFIX},
            },
            "ConsistentRead": True,
        }
        return list(all_items(self._client, "query", kwargs))

    def create(self, item: dict[str, Any]) -> None:
        """Write a new return; raises ``AlreadyExists`` when the id is taken."""
        try:
            with throttling_as_adapter_error():
                self._client.put_item(
                    TableName=self._table,
                    Item=codec.to_item({**item, "record": RETURN_PREFIX + item["return_id"]}),
                    ConditionExpression="attribute_not_exists(#r)",
                    ExpressionAttributeNames={"#r": "record"},
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise AlreadyExists("return_id") from error
            raise
