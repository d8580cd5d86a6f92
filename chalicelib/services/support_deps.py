"""What the support use cases share: their dependencies, their outcome and the ticket's view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain import support as s
from chalicelib.domain.times import parse_iso
from chalicelib.services.ports import (
    Clock,
    CustomerRepository,
    OrdersRepository,
    SettingsStore,
    SupportRepository,
)

TICKET_FIELDS = (
    "ticket_id", "customer_id", "subject", "channel", "order_id", "status", "opened_at",
    "first_reply_at", "first_reply_minutes", "answered_by", "on_time", "last_reply_at",
    "updated_at",
)  # fmt: skip


@dataclass(frozen=True)
class SupportDeps:
    """What the support use cases need."""

    support: SupportRepository
    customers: CustomerRepository
    orders: OrdersRepository
    settings: SettingsStore
    clock: Clock


@dataclass(frozen=True)
class Outcome:
    """The ticket as the API shows it, and whether this request created something."""

    view: dict[str, Any]
    created: bool


def ticket_view(ticket: dict[str, Any]) -> dict[str, Any]:
    """A ticket as the API shows it; the promise in the customer's own offset."""
    view = {name: ticket.get(name) for name in TICKET_FIELDS}
    view["expected_answer_by"] = s.local_iso(parse_iso(ticket["due_at"]), ticket["time_zone"])
    return view
