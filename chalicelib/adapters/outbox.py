"""The messages table as outbox and message log.

Life of a message item: ``queued`` → ``sending`` (claimed with a lease) → ``sent``,
``suppressed``, ``deferred`` or ``failed``. A failed send attempt releases the claim
back to ``queued`` (which re-triggers the mailer through the stream); a claim whose
holder died is taken over once its lease has run out. The claim is a conditional
update, so two deliveries of the same stream record never send two mails.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.adapters import codec
from chalicelib.adapters.dynamo_errors import (
    error_code,
    failed_conditions,
    throttling_as_adapter_error,
)
from chalicelib.adapters.items import all_pages
from chalicelib.adapters.metrics_store import DynamoMetrics, write_counted
from chalicelib.adapters.pages import key_of, query_page
from chalicelib.domain import messages as m
from chalicelib.domain.frequency_cap import RecentMail
from chalicelib.domain.messages import Message, Recipient
from chalicelib.domain.metrics import Tally, mail_outcome
from chalicelib.domain.privacy import ERASED
from chalicelib.domain.times import iso, parse_iso
from chalicelib.services.exceptions import ClaimHeld

LEASE = timedelta(seconds=60)
STATUS_INDEX = "status-created"
"""Messages by ``status``, oldest ``created_at`` first (the admin lists, the jobs)."""
TABLE_KEYS = frozenset({"customer_id", "message_key"})


def message_to_item(message: Message) -> dict[str, Any]:
    """Stored form of a message."""
    data = asdict(message)
    data["recipient"] = asdict(message.recipient)
    return data


def not_erased(customers_table: str, customer_id: str) -> dict[str, Any]:
    """The transaction's check that the customer has no erased record (a profile, or
    nothing yet): a letter is queued only for a customer who is not erased."""
    return {
        "ConditionCheck": {
            "TableName": customers_table,
            "Key": {"customer_id": {"S": customer_id}},
            "ConditionExpression": "attribute_not_exists(customer_id) OR #rt <> :erased",
            "ExpressionAttributeNames": {"#rt": "record_type"},
            "ExpressionAttributeValues": {":erased": {"S": ERASED}},
        }
    }


def recent_from_item(item: dict[str, Any]) -> RecentMail:
    """What the daily cap needs to know of one stored message."""
    sent_at, not_before = item.get("sent_at"), item.get("not_before")
    return RecentMail(
        message_key=item["message_key"],
        template=item["template"],
        status=item["status"],
        sent_at=parse_iso(sent_at) if sent_at else None,
        not_before=parse_iso(not_before) if not_before else None,
    )


def message_from_item(item: dict[str, Any]) -> Message:
    """Rebuild a message from a deserialized item or stream image."""
    known = Message.__dataclass_fields__
    values = {key: value for key, value in item.items() if key in known}
    values["recipient"] = Recipient(**values["recipient"])
    values.setdefault("context", {})
    return Message(**values)


class DynamoOutbox:
    """Implements :class:`chalicelib.services.ports.Outbox`."""

    def __init__(
        self,
        client: Any,
        table: str,
        customers_table: str | None = None,
        metrics: DynamoMetrics | None = None,
    ) -> None:
        """With ``customers_table``, a message is queued only while its customer is not
        erased (checked in the same transaction), so no handler or job can queue mail
        for an erased person. With ``metrics``, each outcome is counted on its day."""
        self._client = client
        self._metrics = metrics
        self._table = table
        self._customers = customers_table

    def _key(self, message: Message) -> dict[str, Any]:
        return {
            "customer_id": {"S": message.customer_id},
            "message_key": {"S": message.message_key},
        }

    def enqueue_actions(self, message: Message, tally: Tally | None = None) -> list[dict[str, Any]]:
        """The transaction items queuing ``message``: the check that its customer is not
        erased, the put (if its key is free), and the ``tally`` of the fact it answers."""
        put = {
            "TableName": self._table,
            "Item": codec.to_item(message_to_item(message)),
            "ConditionExpression": "attribute_not_exists(message_key)",
        }
        items: list[dict[str, Any]] = [{"Put": put}]
        if self._customers is not None:
            items.insert(0, not_erased(self._customers, message.customer_id))
        if tally is not None and self._metrics is not None:
            items.append(self._metrics.update(tally))
        return items

    def enqueue(self, message: Message, tally: Tally | None = None) -> bool:
        """Queue ``message``; ``False`` when a message with that key already exists (or
        its customer was erased). ``tally`` (the fact the message is the first effect
        of) is counted in the same transaction, so once."""
        items = self.enqueue_actions(message, tally)
        try:
            with throttling_as_adapter_error():
                if len(items) == 1:
                    self._client.put_item(**items[0]["Put"])
                else:
                    self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException" or failed_conditions(error):
                return False
            raise
        return True

    def claim(self, customer_id: str, message_key: str, now: datetime) -> Message | None:
        """Take the message for sending; ``None`` when it is not (or no longer) queued.

        Raises ``ClaimHeld`` when another attempt holds an unexpired lease.
        """
        try:
            with throttling_as_adapter_error():
                response = self._client.update_item(
                    TableName=self._table,
                    Key={"customer_id": {"S": customer_id}, "message_key": {"S": message_key}},
                    UpdateExpression=(
                        "SET #s = :sending, lease_until = :lease, updated_at = :now "
                        "ADD attempts :one"
                    ),
                    ConditionExpression=("#s = :queued OR (#s = :sending AND lease_until < :now)"),
                    ExpressionAttributeNames={"#s": "status"},
                    ExpressionAttributeValues={
                        ":sending": {"S": m.SENDING},
                        ":queued": {"S": m.QUEUED},
                        ":lease": {"S": iso(now + LEASE)},
                        ":now": {"S": iso(now)},
                        ":one": {"N": "1"},
                    },
                    ReturnValues="ALL_NEW",
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise
            old = error.response.get("Item")
            if old and codec.from_item(old).get("status") == m.SENDING:
                raise ClaimHeld() from error
            return None
        return message_from_item(codec.from_item(response["Attributes"]))

    def _finish(self, message: Message, status: str, now: datetime, **extra: Any) -> None:
        attributes: dict[str, Any] = {"status": status, "updated_at": iso(now), **extra}
        expression, names, values = codec.update_expression(attributes)
        names["#claimed"] = "status"
        values[":claimed"] = {"S": m.SENDING}
        values[":attempt"] = {"N": str(message.attempts)}
        update = {
            "TableName": self._table,
            "Key": self._key(message),
            "UpdateExpression": expression + " REMOVE lease_until",
            # fenced: only the attempt that holds the claim may finish it
            "ConditionExpression": "#claimed = :claimed AND attempts = :attempt",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        # the outcome is counted once, in the fenced write's transaction (a release is none)
        tally = mail_outcome(message.template, status, extra.get("reason"), now)
        with throttling_as_adapter_error():
            write_counted(
                self._client, update, self._metrics, None if status == m.QUEUED else tally
            )

    def mark_sent(self, message: Message, provider_id: str, now: datetime) -> None:
        """Record a successful send with the provider's message id."""
        self._finish(message, m.SENT, now, sent_at=iso(now), provider_message_id=provider_id)

    def mark_suppressed(self, message: Message, reason: str, now: datetime) -> None:
        """Record that the policy stopped the message, and why."""
        self._finish(message, m.SUPPRESSED, now, reason=reason)

    def mark_deferred(self, message: Message, not_before: datetime, now: datetime) -> None:
        """Park the message until ``not_before`` (the deferred-mail job re-queues it)."""
        self._finish(message, m.DEFERRED, now, reason="quiet_hours", not_before=iso(not_before))

    def release(self, message: Message, error: str, now: datetime) -> None:
        """Give the claim back after a failed attempt, so the send is tried again."""
        self._finish(message, m.QUEUED, now, last_error=error)

    def mark_failed(self, message: Message, reason: str, now: datetime) -> None:
        """Give up on the message (after the maximum attempts)."""
        self._finish(message, m.FAILED, now, reason=reason)

    def by_status(
        self, status: str, limit: int = 50, cursor: str | None = None, before: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """Messages in ``status``, oldest first, from the status index (one page)."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": STATUS_INDEX,
            "KeyConditionExpression": "#s = :s" + (" AND created_at <= :before" if before else ""),
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {":s": {"S": status}},
            "Limit": limit,
        }
        if before:
            arguments["ExpressionAttributeValues"][":before"] = {"S": before}
        return self._page(arguments, cursor, TABLE_KEYS | {"status", "created_at"})

    def _page(
        self, arguments: dict[str, Any], cursor: str | None, keys: frozenset[str] = TABLE_KEYS
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a query, from an opaque cursor (a foreign key is a bad cursor)."""
        return query_page(self._client, arguments, cursor, key_of(keys))

    def for_customer(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One customer's messages (the message log), one page."""
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "customer_id = :c",
            "ExpressionAttributeValues": {":c": {"S": customer_id}},
            "Limit": limit,
        }
        return self._page(arguments, cursor)

    def requeue_expired_claim(self, customer_id: str, message_key: str, now: datetime) -> bool:
        """Queue again a message whose sender died holding the claim (lease run out)."""
        return self._requeue(customer_id, message_key, m.SENDING, "lease_until < :now", now)

    def requeue_deferred(self, customer_id: str, message_key: str, now: datetime) -> bool:
        """Move a deferred message whose time has come back to ``queued``."""
        return self._requeue(customer_id, message_key, m.DEFERRED, "not_before <= :now", now)

    def _requeue(
        self, customer_id: str, message_key: str, status: str, due: str, now: datetime
    ) -> bool:
        """``status`` → ``queued`` when ``due`` holds (its time attribute is removed)."""
        time_attribute = due.split()[0]
        try:
            with throttling_as_adapter_error():
                self._client.update_item(
                    TableName=self._table,
                    Key={"customer_id": {"S": customer_id}, "message_key": {"S": message_key}},
                    UpdateExpression=f"SET #s = :queued, updated_at = :now REMOVE {time_attribute}",
                    ConditionExpression=f"#s = :from AND {due}",
                    ExpressionAttributeNames={"#s": "status"},
                    ExpressionAttributeValues={
                        ":queued": {"S": m.QUEUED},
                        ":from": {"S": status},
                        ":now": {"S": iso(now)},
                    },
                )
        except ClientError as error:
            if error_code(error) == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def recent_mail(self, customer_id: str, since: datetime) -> list[RecentMail]:
        """The customer's non-transactional mail sent since ``since`` or still waiting.

        One Query of the customer's own partition (their message log), filtered.
        """
        arguments: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "customer_id = :c",
            "FilterExpression": "purpose <> :tx AND ((#s = :sent AND sent_at >= :since)"
            " OR #s IN (:queued, :sending, :deferred))",
            "ProjectionExpression": "message_key, template, #s, sent_at, not_before",
            "ExpressionAttributeNames": {"#s": "status"},
            "ExpressionAttributeValues": {
                ":c": {"S": customer_id},
                ":tx": {"S": "transactional"},
                ":sent": {"S": m.SENT},
                ":since": {"S": iso(since)},
                ":queued": {"S": m.QUEUED},
                ":sending": {"S": m.SENDING},
                ":deferred": {"S": m.DEFERRED},
            },
        }
        pages = all_pages(self._client, "query", arguments)
        return [recent_from_item(codec.from_item(item)) for page in pages for item in page["Items"]]
