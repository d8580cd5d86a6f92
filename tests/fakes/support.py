"""Fake of the support inbox: SupportRepository."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.messages import Message
from chalicelib.services.exceptions import (
    AlreadyExists,
    StaleWrite,
)
from tests.fakes.outbox import FakeOutbox

# --- the support inbox: SupportRepository ------------------------------------------


@dataclass
class FakeSupport:
    """:class:`~chalicelib.services.ports.SupportRepository` over dicts.

    As the adapter: a taken message or reply id raises ``AlreadyExists`` and a ticket
    whose status moved raises ``StaleWrite``, with nothing written; the open counter,
    the day figures and the letter change with the ticket, all or nothing.
    """

    outbox: FakeOutbox
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)
    guards: dict[str, dict[str, Any]] = field(default_factory=dict)
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    open_tickets: int = 0
    counter_reads: int = 0

    def open_count(self) -> int:
        self.counter_reads += 1
        return max(0, self.open_tickets)

    def ticket(self, ticket_id: str) -> dict[str, Any] | None:
        found = self.tickets.get(ticket_id)
        return None if found is None else dict(found)

    def message_guard(self, message_id: str) -> dict[str, Any] | None:
        return self.guards.get(message_id)

    def reply_item(self, ticket_id: str, reply_id: str) -> dict[str, Any] | None:
        return next(
            (e for e in self.entries.get(ticket_id, []) if e.get("reply_id") == reply_id), None
        )

    def _day(self, day: str) -> dict[str, Any]:
        return self.figures.setdefault(day, {"opened": 0, "answered": 0, "on_time": 0})

    def open_ticket(
        self, ticket: dict[str, Any], message: dict[str, Any], letter: Message, day: str
    ) -> None:
        if message["message_id"] in self.guards or ticket["ticket_id"] in self.tickets:
            raise AlreadyExists("message_id")
        self.guards[message["message_id"]] = {
            "target": ticket["ticket_id"],
            "digest": message["digest"],
        }
        self.tickets[ticket["ticket_id"]] = dict(ticket)
        self.entries[ticket["ticket_id"]] = [dict(message)]
        self.open_tickets += 1
        self._day(day)["opened"] += 1
        assert self.outbox.enqueue(letter)

    def follow_up(self, ticket: dict[str, Any], message: dict[str, Any], previous: str) -> None:
        if message["message_id"] in self.guards:
            raise AlreadyExists("message_id")
        if self.tickets[ticket["ticket_id"]]["status"] != previous:
            raise StaleWrite()
        self.guards[message["message_id"]] = {
            "target": ticket["ticket_id"],
            "digest": message["digest"],
        }
        self.tickets[ticket["ticket_id"]] = dict(ticket)
        self.entries[ticket["ticket_id"]].append(dict(message))
        if previous != "open":
            self.open_tickets += 1

    def answer(
        self,
        ticket: dict[str, Any],
        reply: dict[str, Any],
        previous: str,
        letter: Message,
        first_reply: dict[str, Any] | None,
    ) -> None:
        if self.reply_item(ticket["ticket_id"], reply["reply_id"]) is not None:
            raise AlreadyExists("reply_id")
        if self.tickets[ticket["ticket_id"]]["status"] != previous:
            raise StaleWrite()
        self.tickets[ticket["ticket_id"]] = dict(ticket)
        self.entries[ticket["ticket_id"]].append(dict(reply))
        if previous == "open":
            self.open_tickets -= 1
        if first_reply is not None:
            figures = self._day(first_reply["day"])
            figures["answered"] += 1
            figures["on_time"] += 1 if first_reply["on_time"] else 0
            figures.setdefault("reply_minutes", []).append(first_reply["minutes"])
        assert self.outbox.enqueue(letter)

    def thread(self, ticket_id: str) -> list[dict[str, Any]]:
        return sorted(self.entries.get(ticket_id, []), key=lambda e: str(e["at"]))

    def _listed(
        self, found: list[dict[str, Any]], key: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        ordered = sorted(found, key=lambda t: (t[key], t["ticket_id"]))
        start = int(cursor or 0)
        more = str(start + limit) if start + limit < len(ordered) else None
        return ordered[start : start + limit], more

    def by_status(
        self, status: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        found = [t for t in self.tickets.values() if t["status"] == status]
        return self._listed(found, "opened_at", limit, cursor)

    def overdue(
        self, now: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        found = [t for t in self.tickets.values() if t["status"] == "open" and t["due_at"] < now]
        return self._listed(found, "due_at", limit, cursor)

    def for_customer(self, customer_id: str, limit: int) -> list[dict[str, Any]]:
        found = [t for t in self.tickets.values() if t["customer_id"] == customer_id]
        return sorted(found, key=lambda t: t["opened_at"], reverse=True)[:limit]

    def days(self, start: str, end: str) -> list[dict[str, Any]]:
        return [v for k, v in sorted(self.figures.items()) if start <= k <= end]
