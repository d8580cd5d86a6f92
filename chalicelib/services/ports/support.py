"""Support tickets and their threads."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.messages import Message


class SupportRepository(Protocol):
    """Support tickets, their threads, the open-ticket counter and per-day figures.

    Every write that changes a ticket's status moves the open counter and the day's
    figures in the same transaction, and queues the letter it causes with them.
    """

    def open_count(self) -> int:
        """Tickets open now (one counter item, never a scan)."""
        ...

    def ticket(self, ticket_id: str) -> dict[str, Any] | None: ...

    def message_guard(self, message_id: str) -> dict[str, Any] | None:
        """What a message id was taken for (``ticket_id``, ``digest``), or ``None``."""
        ...

    def open_ticket(
        self, ticket: dict[str, Any], message: dict[str, Any], letter: Message, day: str
    ) -> None:
        """Write a new ticket with its first message and auto-reply; ``AlreadyExists``."""
        ...

    def follow_up(self, ticket: dict[str, Any], message: dict[str, Any], previous: str) -> None:
        """Add a customer's message, reopening the ticket; ``AlreadyExists``, ``StaleWrite``."""
        ...

    def answer(
        self,
        ticket: dict[str, Any],
        reply: dict[str, Any],
        previous: str,
        letter: Message,
        first_reply: dict[str, Any] | None,
    ) -> None:
        """Record an answer and queue its letter; ``AlreadyExists``, ``StaleWrite``."""
        ...

    def thread(self, ticket_id: str) -> list[dict[str, Any]]:
        """The ticket's messages and replies, in time order."""
        ...

    def reply_item(self, ticket_id: str, reply_id: str) -> dict[str, Any] | None: ...

    def by_status(
        self, status: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def overdue(
        self, now: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]: ...

    def for_customer(self, customer_id: str, limit: int) -> list[dict[str, Any]]: ...

    def days(self, start: str, end: str) -> list[dict[str, Any]]:
        """The per-day figures from ``start`` to ``end`` (dates, inclusive)."""
        ...
