"""Erase one customer: personal fields removed from every table, aggregates kept.

In order, so that a crash at any point leaves a state a second request completes:

1. the address joins the suppression list (no mail can reach it from now on);
2. the email guard is deleted (the address is free for a new person);
3. the profile is replaced by its erased record (aggregates and the audit, marked
   ``pending``): no correction, order or stream effect can touch it any more;
4. timeline, messages, orders, parcels and support tickets lose their personal fields;
   shop activity (events, the cart, product views) is deleted;
   messages not yet sent are suppressed with reason ``erased``; a ticket still waiting
   for an answer is closed (the open counter moves with it);
5. the erased record is marked complete.

A second request for an erased customer answers the same audit record (and finishes
step 4 if a crash stopped it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain import messages as m
from chalicelib.domain import privacy
from chalicelib.domain.exceptions import Conflict, NotFound
from chalicelib.domain.privacy import (
    ACTIVITY,
    CUSTOMERS,
    MESSAGES,
    ORDERS,
    SHIPMENTS,
    SUPPORT,
    TICKET_RECORD,
    TIMELINE,
    ErasureAudit,
)
from chalicelib.domain.times import iso
from chalicelib.services.ports import Clock, PrivacyStore, SuppressionList

UNSENT = (m.QUEUED, m.DEFERRED, m.SENDING)
ATTEMPTS = 3


@dataclass(frozen=True)
class ErasureDeps:
    """What an erasure needs."""

    store: PrivacyStore
    suppressions: SuppressionList
    clock: Clock


def erase_customer(
    customer_id: str, requested_by: str, correlation_id: str | None, deps: ErasureDeps
) -> dict[str, Any]:
    """Erase ``customer_id``; returns the audit record. Raises ``NotFound``."""
    for _ in range(ATTEMPTS):
        item = deps.store.profile_item(customer_id)
        if item is None or item.get("record_type") not in ("profile", privacy.ERASED):
            raise NotFound("no customer with this id", "customer_id")
        if privacy.is_erased(item):
            if item.get("pending"):
                _scrub_records(customer_id, deps)
                deps.store.save(CUSTOMERS, {**item, "pending": False})
            return ErasureAudit.from_dict(item).to_dict()
        audit = ErasureAudit(customer_id, iso(deps.clock.now()), requested_by, correlation_id)
        if _replace_profile(item, audit, deps):
            _scrub_records(customer_id, deps)
            deps.store.save(CUSTOMERS, {**privacy.erased_profile(item, audit), "pending": False})
            return audit.to_dict()
    raise Conflict("the profile kept changing during the erasure; retry", "customer_id")


def _replace_profile(item: dict[str, Any], audit: ErasureAudit, deps: ErasureDeps) -> bool:
    """Steps 1 to 3; ``False`` when the profile changed meanwhile."""
    email = str(item.get("email") or "")
    if email:
        deps.suppressions.add(email, privacy.ERASED, audit.erased_at)
        deps.store.drop_email_guard(email, audit.customer_id)
    record = {**privacy.erased_profile(item, audit), "pending": True}
    return deps.store.replace_profile(record, int(item.get("version", 1)))


def _scrub_records(customer_id: str, deps: ErasureDeps) -> None:
    """Step 4: every other table's items of the customer, without personal fields."""
    store = deps.store
    now = iso(deps.clock.now())
    for entry in store.timeline(customer_id):
        _save_if_changed(store, TIMELINE, entry, privacy.scrub_timeline_entry(entry))
    for message in store.messages(customer_id):
        _save_if_changed(store, MESSAGES, message, _scrubbed_message(message, now))
    for record in store.orders(customer_id):
        _save_if_changed(store, ORDERS, record, privacy.scrub_free_text(record))
    for record in store.shipments(customer_id):
        _save_if_changed(store, SHIPMENTS, record, privacy.scrub_free_text(record))
    for record in store.support(customer_id):
        _scrub_support_record(store, record, now)
    for record in store.activity(customer_id):
        store.delete(ACTIVITY, {"customer_id": customer_id, "record": str(record["record"])})


def _scrub_support_record(store: PrivacyStore, record: dict[str, Any], now: str) -> None:
    """A ticket closed and scrubbed; a message (and its id's guard) or reply scrubbed."""
    if record.get("record") == TICKET_RECORD:
        closed = privacy.closed_ticket(record, now)
        previous = str(record.get("status"))
        if closed != record and not store.close_ticket(closed, previous):
            raise Conflict("a ticket changed during the erasure; retry", "customer_id")
        return
    _save_if_changed(store, SUPPORT, record, privacy.scrub_support_item(record))
    if record.get("kind") == "message" and record.get("message_id"):
        guard = store.message_guard(str(record["message_id"]))
        if guard is not None:
            _save_if_changed(store, SUPPORT, guard, privacy.scrub_support_item(guard))


def _scrubbed_message(item: dict[str, Any], now: str) -> dict[str, Any]:
    """A message without recipient or template data; suppressed if it was not sent."""
    scrubbed = {**item, "recipient": privacy.scrub_recipient(item.get("recipient")), "context": {}}
    if item.get("status") in UNSENT:
        scrubbed.update(status=m.SUPPRESSED, reason=privacy.ERASED, updated_at=now)
        scrubbed.pop("lease_until", None)
        scrubbed.pop("not_before", None)
    return scrubbed


def _save_if_changed(
    store: PrivacyStore, table: str, item: dict[str, Any], scrubbed: dict[str, Any]
) -> None:
    if scrubbed != item:
        store.save(table, scrubbed)
