"""The campaigns table: one item per campaign, with its fan-out state and its counts.

The counts are attributes of the campaign item (``recipients``, ``sent``, ``deferred``,
``failed``, ``suppressed#<reason>``), moved by the messages stream: each change of a
campaign message is applied in one transaction with a marker on the message item itself
(``counted``, a set of transitions), so a redelivered record never counts twice and the
counts equal the message log. While its fan-out is unfinished a campaign carries
``due_key`` (the sparse ``campaigns-due`` index, by ``send_at``).
"""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.campaign_counts import count_once
from chalicelib.adapters.dynamo_errors import (
    error_code,
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.adapters.items import get_item
from chalicelib.adapters.pages import key_of, query_page
from chalicelib.domain import campaigns as c
from chalicelib.services.ports import Campaign

LISTING = "campaign"
LISTING_INDEX = "campaigns-created"
"""Every campaign by ``created_at`` (``listing`` is the same value on all)."""
DUE_INDEX = "campaigns-due"
"""Campaigns whose fan-out is unfinished, by ``send_at`` (sparse: ``due_key``)."""
DUE = "due"
NOT_CANCELLED_SECONDS = 5.0
"""How long the mailer trusts a "not cancelled" answer (a cancellation is final)."""


def campaign_from_item(item: dict[str, Any]) -> Campaign:
    """Rebuild a campaign from its stored item."""
    request = dict(item["request"])
    return Campaign(
        request=c.CampaignRequest(**request),
        phase=str(item["phase"]),
        created_at=str(item["created_at"]),
        page=int(item.get("page", 0)),
        cursor=item.get("cursor"),
        last_customer=item.get("last_customer"),
        fanned_out=bool(item.get("fanned_out", False)),
        progressed_at=item.get("progressed_at"),
        cancelled_at=item.get("cancelled_at"),
        counts=c.counts_from(item),
        queued=int(item.get("queued", 0)),
    )


class DynamoCampaignStore:
    """Implements :class:`chalicelib.services.ports.CampaignStore`."""

    def __init__(self, client: Any, table: str, messages_table: str) -> None:
        self._client = client
        self._table = table
        self._messages = messages_table
        self._cancelled: dict[str, tuple[bool, float]] = {}

    def _key(self, campaign_id: str) -> dict[str, Any]:
        return {"campaign_id": {"S": campaign_id}}

    def _update(self, campaign_id: str, **arguments: Any) -> bool:
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._table, Key=self._key(campaign_id), **arguments
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def create(self, campaign: Campaign) -> bool:
        """Store a new campaign; ``False`` when its id is taken."""
        request = campaign.request
        item = {
            "campaign_id": request.campaign_id,
            "request": request.to_dict(),
            "phase": campaign.phase,
            "created_at": campaign.created_at,
            "listing": LISTING,
            "due_key": DUE,
            "send_at": request.send_at or campaign.created_at,
            "page": 0,
            "recipients": 0,
        }
        try:
            with throttling_as_adapter_error():
                self._client.put_item(
                    TableName=self._table,
                    Item=codec.to_item(item),
                    ConditionExpression="attribute_not_exists(campaign_id)",
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def get(self, campaign_id: str) -> Campaign | None:
        """The campaign, or ``None``."""
        item = get_item(self._client, self._table, {"campaign_id": campaign_id})
        return None if item is None else campaign_from_item(item)

    def page(self, limit: int, cursor: str | None) -> tuple[list[Campaign], str | None]:
        """Campaigns, newest first, one page."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": LISTING_INDEX,
            "KeyConditionExpression": "listing = :l",
            "ExpressionAttributeValues": {":l": {"S": LISTING}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        keys = frozenset({"campaign_id", "listing", "created_at"})
        items, after = query_page(self._client, arguments, cursor, key_of(keys, listing=LISTING))
        return [campaign_from_item(item) for item in items], after

    def due(self, limit: int) -> list[Campaign]:
        """Campaigns whose fan-out is unfinished, earliest ``send_at`` first."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": DUE_INDEX,
            "KeyConditionExpression": "due_key = :d",
            "ExpressionAttributeValues": {":d": {"S": DUE}},
            "Limit": limit,
        }
        items, _ = query_page(self._client, arguments, None, key_of(frozenset()))
        return [campaign_from_item(item) for item in items]

    def cancel(self, campaign_id: str, at: str) -> bool:
        """Cancel a campaign that is not cancelled (a finished one is refused by the service)."""
        return self._update(
            campaign_id,
            UpdateExpression="SET #phase = :cancelled, cancelled_at = :at REMOVE due_key",
            ConditionExpression="attribute_exists(campaign_id) AND #phase <> :cancelled",
            ExpressionAttributeNames={"#phase": "phase"},
            ExpressionAttributeValues={":cancelled": {"S": c.CANCELLED}, ":at": {"S": at}},
        )

    def start(self, campaign_id: str, at: str) -> bool:
        """``scheduled`` → ``sending``."""
        return self._update(
            campaign_id,
            UpdateExpression="SET #phase = :sending, progressed_at = :at",
            ConditionExpression="#phase = :scheduled",
            ExpressionAttributeNames={"#phase": "phase"},
            ExpressionAttributeValues={
                ":sending": {"S": c.SENDING},
                ":scheduled": {"S": c.SCHEDULED},
                ":at": {"S": at},
            },
        )

    def advance(
        self,
        campaign_id: str,
        page: int,
        cursor: str | None,
        last: str | None,
        at: str,
        queued: int = 0,
    ) -> bool:
        """Record page ``page`` as fanned out (fenced on the page number and the phase), with
        the messages it queued."""
        names = {"#page": "page", "#phase": "phase", "#cursor": "cursor", "#last": "last_customer"}
        names["#queued"] = "queued"
        values: dict[str, Any] = {
            ":page": {"N": str(page)},
            ":next": {"N": str(page + 1)},
            ":sending": {"S": c.SENDING},
            ":at": {"S": at},
            ":queued": {"N": str(queued)},
        }
        sets = ["#page = :next", "progressed_at = :at"]
        removes = []
        for name, value in (("#cursor", cursor), ("#last", last)):
            if value is None:
                removes.append(name)
            else:
                sets.append(f"{name} = :{name[1:]}")
                values[f":{name[1:]}"] = {"S": value}
        if cursor is None:
            sets.append("fanned_out = :true")
            values[":true"] = {"BOOL": True}
            removes.append("due_key")
        expression = "SET " + ", ".join(sets) + " ADD #queued :queued"
        expression += " REMOVE " + ", ".join(removes) if removes else ""
        return self._update(
            campaign_id,
            UpdateExpression=expression,
            ConditionExpression="#page = :page AND #phase = :sending",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def count(self, customer_id: str, message_key: str, change: c.Change) -> bool:
        """Apply one message change to its campaign's counts, once (marker on the message)."""
        items = count_once(self._table, self._messages, customer_id, message_key, change)
        try:
            with throttling_as_adapter_error():
                self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if failed_conditions(error):
                return False
            raise
        return True

    def is_cancelled(self, campaign_id: str) -> bool:
        """Whether the campaign was cancelled (a "no" is trusted for a few seconds)."""
        known = self._cancelled.get(campaign_id)
        if known and (known[0] or time.monotonic() - known[1] < NOT_CANCELLED_SECONDS):
            return known[0]
        item = get_item(self._client, self._table, {"campaign_id": campaign_id}, consistent=False)
        cancelled = item is not None and item.get("phase") == c.CANCELLED
        self._cancelled[campaign_id] = (cancelled, time.monotonic())
        return cancelled
