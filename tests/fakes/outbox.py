"""Fake of the mailer's Outbox port (and the fence error of its finishes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.adapters.outbox import LEASE, message_from_item, message_to_item, recent_from_item
from chalicelib.domain import messages as m
from chalicelib.domain.frequency_cap import RecentMail
from chalicelib.domain.messages import Message
from chalicelib.domain.metrics import Tally
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import (
    ClaimHeld,
)


class FenceLost(Exception):
    """A finish by an attempt that no longer holds the claim (the adapter's failed condition)."""


class FakeOutbox:
    """:class:`~chalicelib.services.ports.Outbox` over a dict of items stored as in DynamoDB."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}
        self.tallies: list[Tally] = []

    def item(self, customer_id: str, message_key: str) -> dict[str, Any]:
        """The stored item (for assertions)."""
        return self.items[(customer_id, message_key)]

    def enqueue(self, message: Message, tally: Tally | None = None) -> bool:
        key = (message.customer_id, message.message_key)
        if key in self.items:
            return False
        self.items[key] = message_to_item(message)
        if tally is not None:
            self.tallies.append(tally)
        return True

    def claim(self, customer_id: str, message_key: str, now: datetime) -> Message | None:
        item = self.items.get((customer_id, message_key))
        if item is None:
            return None
        expired = item["status"] == m.SENDING and item.get("lease_until", "") < iso(now)
        if item["status"] != m.QUEUED and not expired:
            if item["status"] == m.SENDING:
                raise ClaimHeld()
            return None
        item.update(status=m.SENDING, lease_until=iso(now + LEASE), updated_at=iso(now))
        item["attempts"] = item.get("attempts", 0) + 1
        return message_from_item(item)

    def _finish(self, message: Message, status: str, now: datetime, **extra: Any) -> None:
        item = self.items[(message.customer_id, message.message_key)]
        if item["status"] != m.SENDING or item["attempts"] != message.attempts:
            raise FenceLost(message.message_key)
        item.update(status=status, updated_at=iso(now), **extra)
        item.pop("lease_until", None)

    def mark_sent(self, message: Message, provider_id: str, now: datetime) -> None:
        self._finish(message, m.SENT, now, sent_at=iso(now), provider_message_id=provider_id)

    def mark_suppressed(self, message: Message, reason: str, now: datetime) -> None:
        self._finish(message, m.SUPPRESSED, now, reason=reason)

    def mark_deferred(self, message: Message, not_before: datetime, now: datetime) -> None:
        self._finish(message, m.DEFERRED, now, reason="quiet_hours", not_before=iso(not_before))

    def release(self, message: Message, error: str, now: datetime) -> None:
        self._finish(message, m.QUEUED, now, last_error=error)

    def mark_failed(self, message: Message, reason: str, now: datetime) -> None:
        self._finish(message, m.FAILED, now, reason=reason)

    def recent_mail(self, customer_id: str, since: datetime) -> list[RecentMail]:
        return [
            recent_from_item(item)
            for (owner, _), item in self.items.items()
            if owner == customer_id
            and item["purpose"] != "transactional"
            and (
                (item["status"] == m.SENT and item.get("sent_at", "") >= iso(since))
                or item["status"] in (m.QUEUED, m.SENDING, m.DEFERRED)
            )
        ]

    def _page(
        self, items: list[dict[str, Any]], limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        start = int(cursor or 0)
        end = start + limit
        return [dict(item) for item in items[start:end]], (str(end) if end < len(items) else None)

    def by_status(
        self, status: str, limit: int = 50, cursor: str | None = None, before: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        found = sorted(
            (i for i in self.items.values() if i["status"] == status),
            key=lambda item: item["created_at"],
        )
        found = [item for item in found if before is None or item["created_at"] <= before]
        return self._page(found, limit, cursor)

    def for_customer(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        found = [item for (owner, key), item in sorted(self.items.items()) if owner == customer_id]
        return self._page(found, limit, cursor)

    def _requeue(self, customer_id: str, message_key: str, status: str, due: bool) -> bool:
        item = self.items.get((customer_id, message_key))
        if item is None or item["status"] != status or not due:
            return False
        item["status"] = m.QUEUED
        item.pop("not_before" if status == m.DEFERRED else "lease_until", None)
        return True

    def requeue_deferred(self, customer_id: str, message_key: str, now: datetime) -> bool:
        item = self.items.get((customer_id, message_key), {})
        due = item.get("not_before", "") <= iso(now)
        return self._requeue(customer_id, message_key, m.DEFERRED, due)

    def requeue_expired_claim(self, customer_id: str, message_key: str, now: datetime) -> bool:
        item = self.items.get((customer_id, message_key), {})
        due = item.get("lease_until", "") < iso(now)
        return self._requeue(customer_id, message_key, m.SENDING, due)
