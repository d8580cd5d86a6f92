"""The customers whose birthday, signup anniversary or learned occasion falls on a day.

Each is a Query of a sparse index of the customers table by month-day (``birthday``,
``signup-anniversary``) or by month (``occasion-month``), page after page: the engagement
job reads the few customers of the day, never the whole table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import error_code, throttling_as_adapter_error
from chalicelib.adapters.items import all_items, once
from chalicelib.adapters.profile_items import is_profile, profile_from_item
from chalicelib.domain.profile import Profile
from chalicelib.services.ports import Retrier

BIRTHDAY_INDEX = "birthday"
ANNIVERSARY_INDEX = "signup-anniversary"
OCCASION_INDEX = "occasion-month"
BIRTHDAY_KEY = "birthday_md"
ANNIVERSARY_KEY = "signup_md"
OCCASION_KEY = "occasion_next"
"""The attributes the three indexes are keyed on (``MM-DD``, ``MM-DD``, ``MM``)."""
_INDEXES = {
    "birthday": (BIRTHDAY_INDEX, BIRTHDAY_KEY),
    "anniversary": (ANNIVERSARY_INDEX, ANNIVERSARY_KEY),
    "occasion": (OCCASION_INDEX, OCCASION_KEY),
}


class DynamoOccasionIndex:
    """Implements :class:`chalicelib.services.ports.OccasionIndex`."""

    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def customers_on(self, kind: str, key: str, retry: Retrier = once) -> Iterator[Profile]:
        """The profiles whose ``kind`` (``birthday``, ``anniversary``, ``occasion``) index
        holds ``key``, with their stored ``signup_md`` and ``gift_months``."""
        index, attribute = _INDEXES[kind]
        arguments = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": "#k = :k",
            "ExpressionAttributeNames": {"#k": attribute},
            "ExpressionAttributeValues": {":k": {"S": key}},
        }
        for item in all_items(self._client, "query", arguments, retry):
            if is_profile(item):
                yield profile_from_item(item)

    def move_occasion(self, customer_id: str, month: str | None) -> None:
        """Point the customer's ``occasion-month`` entry at ``month`` (the next learned one)."""
        update = "SET #k = :m" if month else "REMOVE #k"
        values = {":m": codec.to_value(month)} if month else {}
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._table,
                    Key={"customer_id": {"S": customer_id}},
                    UpdateExpression=update,
                    ConditionExpression="attribute_exists(customer_id)",
                    ExpressionAttributeNames={"#k": OCCASION_KEY},
                    **({"ExpressionAttributeValues": values} if values else {}),
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise  # a profile gone meanwhile has no occasion to move
