"""The rules of export and erasure: which fields are personal, what an erased record keeps.

Plain functions on plain items (dicts as stored), so the same rules apply to every
table. Erasure removes what identifies or describes the person (contact, birthday,
address, free text they wrote) and keeps the anonymous figures the store counts
(orders, revenue, points, segment), so the store's totals do not change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.support import CLOSED

PERSONAL_PROFILE_FIELDS = (
    "email",
    "name",
    "name_search",
    "phone",
    "birthday",
    "birthday_md",
    "gender",
    "occupation",
    "interests",
    "time_zone",
    "preferred_channel",
    "best_contact_time",
    "referred_by",
    "address",
    "signup_digest",
    "signup_md",
    "gift_months",
    "occasion_next",
)
"""Profile attributes that describe the person; none survives an erasure."""

KEPT_AGGREGATES = (
    "stats",
    "tier",
    "points",
    "loyalty",
    "rfm",
    "segment_key",
    "clv_value",
    "tier_key",
    "spent_12m",
)
"""Anonymous figures the erased record keeps, so segment counts and revenue stay."""

FREE_TEXT_FIELDS = ("comment", "reason", "note", "text", "message")
"""Free text a person wrote (survey comments, return reasons): removed on erasure."""

PERSONAL_RECIPIENT_FIELDS = ("email", "name")

SUPPORT_TEXT_FIELDS = ("subject", "body", "digest")
"""What a support ticket, its messages and replies lose on erasure: the customer's subject
and words, the answer's words, and the unkeyed SHA-256 of the question (it would confirm a
guessed text). Ids, channel, status, times and ``answered_by`` (a key id) stay."""

TICKET_RECORD = "ticket"
ERASED_TICKET_ZONE = "UTC"
"""The time zone an erased ticket shows its promise in (the customer's zone is theirs)."""

CUSTOMERS = "customers"
TIMELINE = "timeline"
MESSAGES = "messages"
ORDERS = "orders"
SHIPMENTS = "shipments"
SUPPORT = "support"
ACTIVITY = "activity"
"""Shop activity (events, the cart, product views): exported, and deleted on erasure
(nothing the store counts depends on it, and a product view's key names the product)."""
RECORD_TABLES = (CUSTOMERS, TIMELINE, MESSAGES, ORDERS, SHIPMENTS, SUPPORT, ACTIVITY)
"""The tables that hold a customer's records, by the names export and erasure use."""

ERASED = "erased"
"""``record_type`` of an erased profile's record, and the suppression reason."""


@dataclass(frozen=True)
class ErasureAudit:
    """Who asked for an erasure, when and in which request; never who was erased."""

    customer_id: str
    erased_at: str
    requested_by: str
    correlation_id: str | None

    def to_dict(self) -> dict[str, Any]:
        """The audit record as stored and answered."""
        return {
            "customer_id": self.customer_id,
            "status": ERASED,
            "erased_at": self.erased_at,
            "requested_by": self.requested_by,
            "correlation_id": self.correlation_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ErasureAudit:
        """Rebuild the audit record from a stored erased record."""
        return cls(
            customer_id=str(data["customer_id"]),
            erased_at=str(data["erased_at"]),
            requested_by=str(data.get("requested_by") or "unknown"),
            correlation_id=data.get("correlation_id"),
        )


def normalized_address(email: str) -> str:
    """The form an address is compared and hashed in (trimmed, case-folded)."""
    return email.strip().casefold()


def erased_profile(profile_item: dict[str, Any], audit: ErasureAudit) -> dict[str, Any]:
    """The record that replaces an erased profile: aggregates and the audit, nothing else."""
    kept = {key: profile_item[key] for key in KEPT_AGGREGATES if profile_item.get(key) is not None}
    return {**kept, **audit.to_dict(), "record_type": ERASED}


def is_erased(item: dict[str, Any] | None) -> bool:
    """Whether a customers item is the record of an erased profile."""
    return bool(item) and item.get("record_type") == ERASED  # type: ignore[union-attr]


def scrub_free_text(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` without the free text its author wrote."""
    return {key: value for key, value in item.items() if key not in FREE_TEXT_FIELDS}


def scrub_version_changes(changes: str | None) -> str | None:
    """A profile version's ``changes`` (JSON text) with every old and new value removed.

    The version keeps which fields changed, when and from which source, not the values.
    """
    if not changes:
        return changes
    data = json.loads(changes)
    if isinstance(data, dict) and isinstance(data.get("changes"), list):
        data["changes"] = [
            {"field": change.get("field")} for change in data["changes"] if isinstance(change, dict)
        ]
    return json.dumps(data, ensure_ascii=False)


def scrub_timeline_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A timeline entry with its personal values removed.

    A version keeps which fields changed; a fact's record (``changes`` JSON, such as a
    points redemption) loses the free text in it.
    """
    scrubbed = scrub_free_text(entry)
    changes = entry.get("changes")
    if entry.get("kind") == "profile_version":
        scrubbed["changes"] = scrub_version_changes(changes)
    elif isinstance(changes, str) and changes:
        data = json.loads(changes)
        if isinstance(data, dict) and set(data) & set(FREE_TEXT_FIELDS):
            scrubbed["changes"] = json.dumps(scrub_free_text(data), ensure_ascii=False)
    return scrubbed


def scrub_recipient(recipient: dict[str, Any] | None) -> dict[str, Any]:
    """A message's recipient copy without address or name (locale and status stay)."""
    return {
        **(recipient or {}),
        **{field: None for field in PERSONAL_RECIPIENT_FIELDS},
    }


def scrub_support_item(item: dict[str, Any]) -> dict[str, Any]:
    """A support table item (ticket, message, reply, message-id guard) without the words."""
    scrubbed = {key: value for key, value in item.items() if key not in SUPPORT_TEXT_FIELDS}
    if item.get("record") == TICKET_RECORD and item.get("time_zone"):
        scrubbed["time_zone"] = ERASED_TICKET_ZONE
    return scrubbed


def closed_ticket(ticket: dict[str, Any], at: str) -> dict[str, Any]:
    """An erased customer's ticket: scrubbed and closed (no one is left to answer)."""
    scrubbed = scrub_support_item(ticket)
    if ticket.get("status") == CLOSED:
        return scrubbed
    scrubbed = {key: value for key, value in scrubbed.items() if key != "due_key"}
    return {**scrubbed, "status": CLOSED, "closed_reason": ERASED, "updated_at": at}


def consent_history(versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every change of consent, oldest first, from the profile versions."""
    history: list[dict[str, Any]] = []
    for version in versions:
        data = json.loads(version.get("changes") or "{}")
        for change in data.get("changes") or []:
            if isinstance(change, dict) and change.get("field") == "consents":
                history.append(
                    {
                        "at": version.get("at"),
                        "source": data.get("source"),
                        "old": change.get("old"),
                        "new": change.get("new"),
                    }
                )
    return history
