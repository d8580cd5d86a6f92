"""What a test reads of the replenishable purchases an order or an import left on the
customer's timeline."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters import codec
from tests.functional.conftest import Stack


def replenishables(stack: Stack, customer_id: str) -> dict[str, dict[str, Any]]:
    answer = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_TIMELINE_TABLE"],
        KeyConditionExpression="customer_id = :c AND begins_with(entry_key, :p)",
        ExpressionAttributeValues={":c": {"S": customer_id}, ":p": {"S": "replenish#"}},
        ConsistentRead=True,
    )
    return {i["sku"]["S"]: codec.from_item(i) for i in answer["Items"]}
