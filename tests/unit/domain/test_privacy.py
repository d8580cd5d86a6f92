"""Which fields are personal, and what an erased record keeps."""

from __future__ import annotations

import json

from chalicelib.domain import privacy
from chalicelib.domain.privacy import ErasureAudit

AUDIT = ErasureAudit("c-1", "2026-12-01T10:00:00.000Z", "admin:key-1", "req-1")
PROFILE = {
    "customer_id": "c-1",
    "record_type": "profile",
    "email": "ana@example.com",
    "name": "Ana Lima",
    "phone": "+5511999999999",
    "birthday": "1990-05-17",
    "birthday_md": "05-17",
    "occupation": "baker",
    "interests": ["tea"],
    "stats": {"orders": 3, "spent": 42000},
    "points": 420,
    "tier": 2,
    "segment_key": "champions",
    "clv_value": 1200,
    "version": 4,
}


def test_the_erased_record_keeps_the_figures_and_the_audit_only() -> None:
    record = privacy.erased_profile(PROFILE, AUDIT)
    assert record == {
        "customer_id": "c-1",
        "record_type": "erased",
        "status": "erased",
        "erased_at": "2026-12-01T10:00:00.000Z",
        "requested_by": "admin:key-1",
        "correlation_id": "req-1",
        "stats": {"orders": 3, "spent": 42000},
        "points": 420,
        "tier": 2,
        "segment_key": "champions",
        "clv_value": 1200,
    }
    assert privacy.is_erased(record) and not privacy.is_erased(PROFILE)


def test_every_contact_and_description_field_is_personal() -> None:
    for name in ("email", "name", "phone", "birthday", "address", "occupation", "interests"):
        assert name in privacy.PERSONAL_PROFILE_FIELDS
    assert not set(privacy.PERSONAL_PROFILE_FIELDS) & set(privacy.KEPT_AGGREGATES)


def test_a_version_keeps_which_fields_changed_not_their_values() -> None:
    changes = json.dumps(
        {"source": "store", "changes": [{"field": "name", "old": "Ana", "new": "Ana Lima"}]}
    )
    entry = {"kind": "profile_version", "changes": changes, "at": "2026-11-01T00:00:00.000Z"}
    scrubbed = privacy.scrub_timeline_entry(entry)
    assert json.loads(scrubbed["changes"]) == {"source": "store", "changes": [{"field": "name"}]}
    assert scrubbed["at"] == entry["at"]


def test_free_text_and_recipient_are_removed() -> None:
    survey = {"kind": "survey", "score": 5, "comment": "Ana was happy"}
    assert privacy.scrub_timeline_entry(survey) == {"kind": "survey", "score": 5}
    assert privacy.scrub_recipient({"email": "a@b.c", "name": "Ana", "locale": "en"}) == {
        "email": None,
        "name": None,
        "locale": "en",
    }


def test_addresses_are_compared_trimmed_and_case_folded() -> None:
    assert privacy.normalized_address("  Ana@Example.COM ") == "ana@example.com"


def test_consent_history_lists_each_change_oldest_first() -> None:
    change = {"field": "consents", "old": {"marketing": True}, "new": {"marketing": False}}
    versions = [
        {"at": "t1", "changes": json.dumps({"source": "signup", "fields": ["email"]})},
        {"at": "t2", "changes": json.dumps({"source": "customer", "changes": [change]})},
    ]
    assert privacy.consent_history(versions) == [
        {"at": "t2", "source": "customer", "old": {"marketing": True}, "new": {"marketing": False}}
    ]


def test_a_facts_record_loses_its_free_text_and_keeps_its_figures() -> None:
    record = {"redemption_id": "r-1", "points": 100, "reason": "a gift for Ana", "balance": 20}
    entry = {"kind": "redemption", "entry_key": "redemption#r-1", "changes": json.dumps(record)}
    scrubbed = privacy.scrub_timeline_entry(entry)
    assert json.loads(scrubbed["changes"]) == {"redemption_id": "r-1", "points": 100, "balance": 20}
    counted = {"kind": "order", "changes": json.dumps({"total": 5000})}
    assert privacy.scrub_timeline_entry(counted) == counted


TICKET = {
    "ticket_id": "t-1",
    "record": "ticket",
    "customer_id": "c-1",
    "subject": "Ana's parcel",
    "order_id": "o-1",
    "status": "open",
    "due_key": "open",
    "due_at": "2026-12-01T11:00:00.000Z",
    "time_zone": "America/Sao_Paulo",
}


def test_an_erased_customers_open_ticket_is_closed_without_its_words() -> None:
    closed = privacy.closed_ticket(TICKET, "2026-12-01T10:00:00.000Z")
    assert closed["status"] == "closed" and closed["closed_reason"] == "erased"
    assert "subject" not in closed and "due_key" not in closed
    assert closed["time_zone"] == "UTC" and closed["updated_at"] == "2026-12-01T10:00:00.000Z"
    assert {k: closed[k] for k in ("ticket_id", "customer_id", "order_id", "due_at")} == {
        k: TICKET[k] for k in ("ticket_id", "customer_id", "order_id", "due_at")
    }
    again = privacy.closed_ticket(closed, "2026-12-02T10:00:00.000Z")
    assert again == closed  # a closed ticket is not touched twice


def test_support_messages_replies_and_guards_lose_words_and_digests() -> None:
    message = {"ticket_id": "t-1", "record": "message#m-1", "kind": "message",
               "subject": "Ana's parcel", "body": "Where is it?", "digest": "ab12",
               "channel": "web", "at": "2026-12-01T09:00:00.000Z"}  # fmt: skip
    assert privacy.scrub_support_item(message) == {
        "ticket_id": "t-1", "record": "message#m-1", "kind": "message", "channel": "web",
        "at": "2026-12-01T09:00:00.000Z",
    }  # fmt: skip
    reply = {"ticket_id": "t-1", "record": "reply#r-1", "body": "Tomorrow.", "answered_by": "k-1"}
    assert privacy.scrub_support_item(reply) == {
        "ticket_id": "t-1", "record": "reply#r-1", "answered_by": "k-1"
    }  # fmt: skip
    guard = {"ticket_id": "message-id#m-1", "record": "guard", "target": "t-1", "digest": "ab12"}
    assert privacy.scrub_support_item(guard) == {
        "ticket_id": "message-id#m-1", "record": "guard", "target": "t-1"
    }  # fmt: skip
