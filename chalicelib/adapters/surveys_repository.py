"""Satisfaction survey answers, kept on the customer's timeline (``survey#<tracking>``)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.items import get_item
from chalicelib.services.exceptions import AlreadyExists

SURVEY_PREFIX = "survey#"


class DynamoSurveys:
    """Survey answers in the timeline table, one per parcel."""

    def __init__(self, client: Any, timeline_table: str) -> None:
        self._client = client
        self._table = timeline_table

    def get(self, customer_id: str, tracking_number: str) -> dict[str, Any] | None:
        """The answer for a parcel, or ``None``."""
        key = {"customer_id": customer_id, "entry_key": SURVEY_PREFIX + tracking_number}
        return get_item(self._client, self._table, key)

    def record(self, customer_id: str, tracking_number: str, entry: dict[str, Any]) -> None:
        """Store the answer; raises ``AlreadyExists`` when the parcel was already rated."""
        item = {
            **entry,
            "customer_id": customer_id,
            "entry_key": SURVEY_PREFIX + tracking_number,
            "kind": "survey",
        }
        try:
            with throttling_as_adapter_error():
                self._client.put_item(
                    TableName=self._table,
                    Item=codec.to_item(item),
                    ConditionExpression="attribute_not_exists(entry_key)",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                raise AlreadyExists("survey") from error
            raise
