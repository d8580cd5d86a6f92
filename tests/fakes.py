"""In-memory fakes of the service ports, for unit tests of services (no AWS, no moto).

Each fake keeps its adapter's contract in a few lines: the same conditions, the same
return values and the same errors, so a service tested against the fake behaves the
same against the adapter (whose own contract is tested against moto).

Sections, one per service that uses them; add a section rather than growing another's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.adapters.outbox import LEASE, message_from_item, message_to_item
from chalicelib.domain import messages as m
from chalicelib.domain.messages import Message
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import ClaimHeld, SendFailed

# --- the mailer's ports: Clock, Outbox, SettingsStore, MailSender, LinkSigner, ProfileReader ---


class FakeClock:
    """:class:`~chalicelib.services.ports.Clock` that stands still until told to move."""

    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class FenceLost(Exception):
    """A finish by an attempt that no longer holds the claim (the adapter's failed condition)."""


class FakeOutbox:
    """:class:`~chalicelib.services.ports.Outbox` over a dict of items stored as in DynamoDB."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}

    def item(self, customer_id: str, message_key: str) -> dict[str, Any]:
        """The stored item (for assertions)."""
        return self.items[(customer_id, message_key)]

    def enqueue(self, message: Message) -> bool:
        key = (message.customer_id, message.message_key)
        if key in self.items:
            return False
        self.items[key] = message_to_item(message)
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

    def sent_count_since(self, customer_id: str, since: datetime) -> int:
        return sum(
            1
            for (owner, _), item in self.items.items()
            if owner == customer_id
            and item["status"] == m.SENT
            and item.get("sent_at", "") >= iso(since)
            and item["purpose"] != "transactional"
        )

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


class FakeSettingsStore:
    """:class:`~chalicelib.services.ports.SettingsStore` holding one settings value."""

    def __init__(self, settings: StoreSettings | None = None) -> None:
        self.settings = settings or StoreSettings()

    def store(self) -> StoreSettings:
        return self.settings

    def save_store(self, settings: StoreSettings) -> None:
        self.settings = settings


@dataclass(frozen=True)
class SentMail:
    """One mail handed to the fake sender."""

    sender: str
    recipient: str
    raw: bytes


@dataclass
class FakeMailSender:
    """:class:`~chalicelib.services.ports.MailSender`; refuses once per code in ``refusals``."""

    refusals: list[str] = field(default_factory=list)
    sent: list[SentMail] = field(default_factory=list)

    def send_raw(self, sender: str, recipient: str, raw: bytes) -> str:
        if self.refusals:
            raise SendFailed(self.refusals.pop(0))
        self.sent.append(SentMail(sender, recipient, raw))
        return f"fake-{len(self.sent)}"


class FakeLinkSigner:
    """:class:`~chalicelib.services.ports.LinkSigner` with readable, unsigned tokens."""

    def sign(self, purpose: str, subject: str, expires_at: datetime) -> str:
        return f"{purpose}.{subject}.{int(expires_at.timestamp())}"

    def verify(self, purpose: str, token: str, now: datetime) -> str | None:
        signed_purpose, _, rest = token.partition(".")
        subject, _, expires = rest.rpartition(".")
        if signed_purpose != purpose or not expires.isdigit() or int(expires) < now.timestamp():
            return None
        return subject


@dataclass
class FakeProfiles:
    """:class:`~chalicelib.services.ports.ProfileReader`; counts reads (each is an AWS call)."""

    profiles: dict[str, Profile] = field(default_factory=dict)
    reads: int = 0

    def put(self, profile: Profile) -> None:
        self.profiles[profile.customer_id] = profile

    def erase(self, customer_id: str) -> None:
        self.profiles.pop(customer_id, None)

    def get(self, customer_id: str) -> Profile | None:
        self.reads += 1
        return self.profiles.get(customer_id)
