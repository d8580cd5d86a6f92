"""Export everything held about one customer as one JSON document.

The document has a section per kind of record; :data:`COVERED_TABLES` names the tables
it reads (a test checks it against every table of ``infra/`` that holds customer data).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalicelib.domain import privacy
from chalicelib.domain.exceptions import NotFound
from chalicelib.domain.privacy import TICKET_RECORD
from chalicelib.domain.profile import summary
from chalicelib.domain.replenishment import REPLENISHMENT_TEMPLATE
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso
from chalicelib.mail.exceptions import MailNotBuilt
from chalicelib.mail.render import render
from chalicelib.services.mail_context import store_context
from chalicelib.services.ports import Clock, CustomerRepository, PrivacyStore, SettingsStore

COVERED_TABLES = privacy.RECORD_TABLES
"""The tables the export reads, by :mod:`chalicelib.domain.privacy`'s names."""

MESSAGE_FIELDS = (
    "message_key",
    "template",
    "purpose",
    "status",
    "reason",
    "created_at",
    "sent_at",
    "updated_at",
)
INTERNAL_PROFILE_FIELDS = ("signup_digest", "correlation_id", "record_type", "value_version")


@dataclass(frozen=True)
class ExportDeps:
    """What an export needs."""

    store: PrivacyStore
    customers: CustomerRepository
    settings: SettingsStore
    clock: Clock


def export_customer(customer_id: str, deps: ExportDeps) -> dict[str, Any]:
    """The export document of ``customer_id``; raises ``NotFound`` (unknown or erased)."""
    profile = deps.customers.get(customer_id)
    item = deps.store.profile_item(customer_id)
    if profile is None or item is None:
        raise NotFound("no customer with this id", "customer_id")
    now = deps.clock.now()
    timeline = deps.store.timeline(customer_id)
    versions = [_entry(e) for e in timeline if e.get("kind") == "profile_version"]
    records = deps.store.orders(customer_id)
    settings = deps.settings.store()
    return {
        "customer_id": customer_id,
        "exported_at": iso(now),
        "profile": summary(profile, now.date()),
        "stored_profile": {k: v for k, v in item.items() if k not in INTERNAL_PROFILE_FIELDS},
        "versions": versions,
        "consents": {
            "current": profile.consents.to_dict(),
            "history": privacy.consent_history([e for e in timeline if e.get("changes")]),
        },
        "orders": [r for r in records if r.get("record") == "order"],
        "returns": [r for r in records if str(r.get("record", "")).startswith("return#")],
        "purchases": [r for r in records if str(r.get("record", "")).startswith("purchase#")],
        "shipments": _parcels(deps.store.shipments(customer_id)),
        "messages": [_message(m, settings) for m in deps.store.messages(customer_id)],
        "support_tickets": _tickets(deps.store.support(customer_id)),
        "shop_activity": deps.store.activity(customer_id),
        "survey_answers": [_entry(e) for e in timeline if e.get("kind") == "survey"],
        "points_history": [
            _entry(e)
            for e in timeline
            if e.get("kind") not in ("profile_version", "survey", REPLENISHMENT_TEMPLATE)
        ],
        "replenishment": [e for e in timeline if e.get("kind") == REPLENISHMENT_TEMPLATE],
    }


def _entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A timeline entry with its ``changes`` as JSON, not text."""
    changes = entry.get("changes")
    if isinstance(changes, str):
        return {**entry, "changes": json.loads(changes)}
    return entry


def _parcels(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parcels, each with its carrier scans (``scans``)."""
    parcels = {r["tracking_number"]: {**r, "scans": []} for r in records if r["record"] == "parcel"}
    for record in records:
        parcel = parcels.get(record["tracking_number"])
        if parcel is not None and str(record["record"]).startswith("scan#"):
            parcel["scans"].append(record)
    return list(parcels.values())


def _tickets(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tickets, each with its thread (``thread``: messages and replies, oldest first)."""
    clean = [{k: v for k, v in r.items() if k != "digest"} for r in records]
    tickets = {r["ticket_id"]: {**r, "thread": []} for r in clean if r["record"] == TICKET_RECORD}
    for record in sorted(clean, key=lambda r: (str(r.get("at")), str(r["record"]))):
        ticket = tickets.get(record["ticket_id"])
        if ticket is not None and record["record"] != TICKET_RECORD:
            ticket["thread"].append(record)
    return list(tickets.values())


def _message(item: dict[str, Any], settings: StoreSettings) -> dict[str, Any]:
    """A message as exported: template, subject, outcome and times."""
    view = {key: item[key] for key in MESSAGE_FIELDS if key in item}
    view["subject"] = _subject(item, settings)
    return view


def _subject(item: dict[str, Any], settings: StoreSettings) -> str | None:
    """The subject the message has (or had) in the recipient's language."""
    recipient = item.get("recipient") or {}
    locale = str(recipient.get("locale") or "en")
    context = {
        **(item.get("context") or {}),
        "lang": "zh-CN" if locale == "zh-CN" else "en",
        "name": recipient.get("name"),
        "store": store_context(settings, locale),
        "preferences_url": "",
    }
    try:
        return render(str(item.get("template")), locale, context).subject
    except MailNotBuilt:
        return None
