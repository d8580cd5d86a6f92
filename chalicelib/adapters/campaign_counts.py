"""One move of a campaign's counts, applied once: the transaction that adds to the
campaign item's counters and marks the message item with the transition it counted."""

from __future__ import annotations

from typing import Any

from chalicelib.domain import campaigns as c


def count_once(
    campaigns_table: str, messages_table: str, customer_id: str, message_key: str, change: c.Change
) -> list[dict[str, Any]]:
    """The ``TransactItems`` of one counted change: refused (a condition fails) when the
    message already carries the transition, or the campaign does not exist."""
    campaign_id = c.campaign_of(message_key)
    names = {f"#n{i}": name for i, name in enumerate(change.add)}
    values: dict[str, Any] = {
        f":v{i}": {"N": str(delta)} for i, delta in enumerate(change.add.values())
    }
    values[":id"] = {"S": campaign_id}
    adds = ", ".join(f"#n{i} :v{i}" for i in range(len(change.add)))
    counters = {
        "TableName": campaigns_table,
        "Key": {"campaign_id": {"S": campaign_id}},
        "UpdateExpression": f"ADD {adds}",
        "ConditionExpression": "campaign_id = :id",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }
    marker = {
        "TableName": messages_table,
        "Key": {"customer_id": {"S": customer_id}, "message_key": {"S": message_key}},
        "UpdateExpression": "ADD counted :t",
        "ConditionExpression": "attribute_exists(message_key) AND NOT contains(counted, :ts)",
        "ExpressionAttributeValues": {
            ":t": {"SS": [change.transition]},
            ":ts": {"S": change.transition},
        },
    }
    return [{"Update": counters}, {"Update": marker}]
