"""The outbox, sending, signed links and SES feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from chalicelib.domain.frequency_cap import RecentMail
from chalicelib.domain.messages import Message
from chalicelib.domain.metrics import Tally


class Outbox(Protocol):
    """The messages table: the outbox and the message log."""

    def enqueue(self, message: Message, tally: Tally | None = None) -> bool:
        """Queue ``message`` unless its key exists; ``tally`` is counted with it, once."""
        ...

    def claim(self, customer_id: str, message_key: str, now: datetime) -> Message | None: ...

    def mark_sent(self, message: Message, provider_id: str, now: datetime) -> None: ...

    def mark_suppressed(self, message: Message, reason: str, now: datetime) -> None: ...

    def mark_deferred(self, message: Message, not_before: datetime, now: datetime) -> None: ...

    def release(self, message: Message, error: str, now: datetime) -> None: ...

    def mark_failed(self, message: Message, reason: str, now: datetime) -> None: ...

    def recent_mail(self, customer_id: str, since: datetime) -> list[RecentMail]:
        """The customer's non-transactional mail sent since ``since`` or still waiting."""
        ...

    def by_status(
        self, status: str, limit: int = 50, cursor: str | None = None, before: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def for_customer(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def requeue_deferred(self, customer_id: str, message_key: str, now: datetime) -> bool: ...

    def requeue_expired_claim(self, customer_id: str, message_key: str, now: datetime) -> bool: ...


class MailSender(Protocol):
    """Sends one raw MIME message; returns the provider's message id."""

    def send_raw(self, sender: str, recipient: str, raw: bytes) -> str: ...


class LinkSigner(Protocol):
    """Signs and verifies public links."""

    def sign(self, purpose: str, subject: str, expires_at: datetime) -> str: ...

    def verify(self, purpose: str, token: str, now: datetime) -> str | None: ...


class MailFeedbackStore(Protocol):
    """What SES feedback reads and writes: messages by provider id, soft bounces, markers."""

    def seen(self, notification_id: str) -> bool: ...

    def remember(
        self,
        notification_id: str,
        outcome: str,
        now: datetime,
        reason: str | None = None,
        tally: Tally | None = None,
    ) -> None:
        """Mark the notification handled; ``tally`` is counted with the marker, once."""
        ...

    def find_message(self, provider_message_id: str) -> tuple[str, str] | None: ...

    def record_outcome(self, customer_id: str, message_key: str, outcome: str, at: str) -> None: ...

    def count_transient_bounce(self, email: str, customer_id: str, entry: str) -> list[str]: ...
