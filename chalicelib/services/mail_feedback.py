"""Apply one SES notification: the message's outcome, the address's status, a marker.

Idempotent, as SNS delivers at least once: a notification already marked is skipped,
and every effect is one a redelivery repeats without change (the outcome is set, a soft
bounce is a set member, the status is written only when it changes, under the profile's
version). The address is changed only while it is still the profile's: feedback about
an address the customer has since corrected changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain import metrics
from chalicelib.domain.corrections import Correction, FieldChange
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.mail_feedback import (
    Feedback,
    next_email_status,
    parse_notification,
    transient_entry,
)
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import StaleWrite
from chalicelib.services.ports import Clock, CustomerRepository, MailFeedbackStore, SettingsStore

SOURCE = "mail_feedback"
"""The ``source`` of the profile versions feedback writes."""
STALE_RETRIES = 3
DUPLICATE = "duplicate"
UNKNOWN_MESSAGE = "unknown_message"
FAILED = "failed"
IGNORED = "ignored"


@dataclass(frozen=True)
class FeedbackDeps:
    """What the feedback handler needs, wired by the bootstrap."""

    store: MailFeedbackStore
    customers: CustomerRepository
    settings: SettingsStore
    clock: Clock


@dataclass(frozen=True)
class FeedbackResult:
    """What one notification did (for logs and metrics: no address in it)."""

    outcome: str
    status_changes: int = 0
    reason: str | None = None


def handle_notification(notification_id: str, text: Any, deps: FeedbackDeps) -> FeedbackResult:
    """Apply the SES notification ``text`` that SNS delivered as ``notification_id``.

    A notification that can never be applied (not SES's JSON) is marked failed with its
    reason and not retried; AWS errors raise, so the delivery is retried.
    """
    if deps.store.seen(notification_id):
        return FeedbackResult(DUPLICATE)
    try:
        feedback = parse_notification(text)
    except InvalidInput as unreadable:
        reason = f"unreadable:{unreadable.field}"
        deps.store.remember(notification_id, FAILED, deps.clock.now(), reason)
        return FeedbackResult(FAILED, reason=reason)
    if feedback is None:
        deps.store.remember(notification_id, IGNORED, deps.clock.now())
        return FeedbackResult(IGNORED)
    found = deps.store.find_message(feedback.provider_message_id)
    if found is None:
        deps.store.remember(notification_id, UNKNOWN_MESSAGE, deps.clock.now())
        return FeedbackResult(UNKNOWN_MESSAGE)
    customer_id, message_key = found
    deps.store.record_outcome(customer_id, message_key, feedback.outcome, feedback.at)
    changed = sum(
        _apply(customer_id, address, feedback, notification_id, deps)
        for address in feedback.recipients
    )
    now = deps.clock.now()
    tally = metrics.feedback(feedback.outcome, now)
    deps.store.remember(notification_id, feedback.outcome, now, tally=tally)
    return FeedbackResult(feedback.outcome, changed)


def _apply(
    customer_id: str, address: str, feedback: Feedback, notification_id: str, deps: FeedbackDeps
) -> int:
    """Change the address's status if the feedback calls for it; 1 when it changed."""
    entries: list[str] = []
    if feedback.transient_bounce:
        entry = transient_entry(feedback.at, notification_id)
        entries = deps.store.count_transient_bounce(address, customer_id, entry)
    settings = deps.settings.store()
    for _ in range(STALE_RETRIES):
        profile = deps.customers.get(customer_id)
        if profile is None or profile.email != address:
            return 0
        status = next_email_status(profile.email_status, feedback, entries, settings)
        if status == profile.email_status:
            return 0
        now = iso(deps.clock.now())
        updated = profile.with_changes(
            email_status=status, version=profile.version + 1, updated_at=now
        )
        change = FieldChange("email_status", profile.email_status, status)
        try:
            deps.customers.save_correction(profile, Correction(updated, (change,)), SOURCE, None)
        except StaleWrite:
            continue  # changed meanwhile: decide again on what is stored now
        return 1
    raise StaleWrite()
