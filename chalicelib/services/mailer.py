"""Deliver one queued message: claim it, apply the policy, render, send, record.

Exactly once: the claim is a conditional write, so a duplicated or redelivered stream
record finds the message already claimed or finished. A failed send, or a read that
failed before sending (Secrets Manager or DynamoDB slow or failing), releases the claim
(which queues the message again through the stream) until ``MAX_ATTEMPTS``; recording
the success is retried through throttling, because losing it would send the mail twice.

The policy decides on the live profile (one read) unless the message is a transactional
mail sent within a minute of its fact (``policy.needs_live_profile``), so consent
withdrawn while a message waited is honoured. A message that cannot become mail (an
address SES cannot take, a template or MIME error) is recorded ``failed`` with its
reason at once: retrying could not help, and raising would poison the stream batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain import policy, validation
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.frequency_cap import is_capped
from chalicelib.domain.messages import SENT, Message
from chalicelib.mail.exceptions import MailNotBuilt
from chalicelib.mail.mime import build_mime
from chalicelib.mail.render import render
from chalicelib.services.exceptions import SendFailed, Throttled, Unavailable
from chalicelib.services.mail_context import template_context, unsubscribe_links
from chalicelib.services.ports import (
    Clock,
    LinkSigner,
    MailSender,
    Outbox,
    ProfileReader,
    SettingsStore,
    SuppressionList,
)
from chalicelib.services.retry import retry_throttled

MAX_ATTEMPTS = 10
CAP_WINDOW = timedelta(days=7)
"""How far back the weekly frequency cap counts sent mail."""
UNDELIVERABLE_ADDRESS = "address_undeliverable"


@dataclass(frozen=True)
class MailerDeps:
    """What the mailer needs, wired by the bootstrap."""

    outbox: Outbox
    settings: SettingsStore
    sender: MailSender
    signer: LinkSigner
    clock: Clock
    profiles: ProfileReader
    mail_from: str
    public_base_url: str
    suppressions: SuppressionList | None = None


def deliver(customer_id: str, message_key: str, deps: MailerDeps) -> str:
    """Deliver the message if it is queued; returns what happened (for logs and metrics).

    Outcomes: ``skipped`` (not queued any more), ``sent``, ``suppressed``, ``deferred``,
    ``retry`` (send failed, queued again) or ``failed`` (gave up).
    Raises ``ClaimHeld`` when another attempt is in flight (the record is retried).
    """
    now = deps.clock.now()
    message = deps.outbox.claim(customer_id, message_key, now)
    if message is None:
        return "skipped"
    try:
        outcome, provider_id = _deliver_claimed(message, deps, now)
    except Throttled:
        # Nothing was sent: give the claim back at once so a retry need not wait for
        # the lease to run out (which could outlast the stream's retries).
        retry_throttled(lambda: deps.outbox.release(message, "throttled", now))
        return "retry"
    if outcome == "sent":
        # Sent: never release now. Losing this write would send twice, so it is retried
        # through throttling; if it still fails, the lease keeps the message claimed.
        retry_throttled(lambda: deps.outbox.mark_sent(message, provider_id, deps.clock.now()))
    return outcome


def _deliver_claimed(message: Message, deps: MailerDeps, now: datetime) -> tuple[str, str]:
    """Policy, render and send a claimed message; ``("sent", provider id)`` or an outcome."""
    try:
        prepared = _prepare(message, deps, now)
    except Unavailable as error:
        # A read (profile, settings, the signing secret) failed before anything was sent:
        # give the claim back, as after a refused send, so the message is tried again.
        return _not_sent(message, error.code, deps, now), ""
    if isinstance(prepared, str):
        return prepared, ""
    address, raw = prepared
    return _send(message, address, raw, deps, now)


def _prepare(message: Message, deps: MailerDeps, now: datetime) -> str | tuple[str, bytes]:
    """The address and the raw mail, or the outcome that ended the message before sending."""
    current = _current(message, deps, now)
    live = policy.needs_live_profile(message, now)
    decision = policy.PROFILE_GONE if current is None else _decide(current, deps, now, live)
    if current is None or decision.action == "suppress":
        retry_throttled(lambda: deps.outbox.mark_suppressed(message, decision.reason or "", now))
        return "suppressed"
    if decision.action == "defer" and decision.not_before is not None:
        not_before = decision.not_before
        retry_throttled(lambda: deps.outbox.mark_deferred(message, not_before, now))
        return "deferred"
    try:
        return _compose(current, deps, now)
    except MailNotBuilt as unbuildable:
        reason = unbuildable.reason
        retry_throttled(lambda: deps.outbox.mark_failed(message, reason, now))
        return "failed"


def _current(message: Message, deps: MailerDeps, now: datetime) -> Message | None:
    """The message addressed as the decision needs it; ``None`` when its profile is gone."""
    if not policy.needs_live_profile(message, now):
        return message
    profile = retry_throttled(lambda: deps.profiles.get(message.customer_id))
    return None if profile is None else message.readdressed(profile)


def _decide(
    message: Message, deps: MailerDeps, now: datetime, live: bool = True
) -> policy.Decision:
    """The policy's decision; the suppression list is read for a live recipient.

    A fresh snapshot (a transactional mail within a minute of its fact) needs no read:
    an erasure suppresses every message not yet sent, and the outbox queues nothing for
    an erased customer, so a snapshot is never of an erased person.
    """
    suppressions = deps.suppressions
    if suppressions is not None and live:
        email = message.recipient.email or ""
        suppressed = retry_throttled(lambda: suppressions.reason(email))
        if suppressed is not None:
            return policy.suppressed(suppressed)
    settings = retry_throttled(deps.settings.store)
    if message.purpose == "transactional":
        return policy.decide(message, now, settings)
    since = now - CAP_WINDOW
    recent = retry_throttled(lambda: deps.outbox.recent_mail(message.customer_id, since))
    others = [mail for mail in recent if mail.message_key != message.message_key]
    week = sum(1 for mail in others if mail.status == SENT and is_capped(mail.template))
    return policy.decide(message, now, settings, sent_last_7_days=week, recent=others)


def _send(
    message: Message, address: str, raw: bytes, deps: MailerDeps, now: datetime
) -> tuple[str, str]:
    """Hand the mail to SES; a refusal queues the message again until ``MAX_ATTEMPTS``."""
    try:
        provider_id = deps.sender.send_raw(deps.mail_from, address, raw)
    except SendFailed as failure:
        return _not_sent(message, failure.code, deps, now), ""
    return "sent", provider_id


def _not_sent(message: Message, code: str, deps: MailerDeps, now: datetime) -> str:
    """Queue an unsent message again (``retry``), or give up after ``MAX_ATTEMPTS``."""
    if message.attempts >= MAX_ATTEMPTS:
        retry_throttled(lambda: deps.outbox.mark_failed(message, code, now))
        return "failed"
    retry_throttled(lambda: deps.outbox.release(message, code, now))
    return "retry"


def _compose(message: Message, deps: MailerDeps, now: datetime) -> tuple[str, bytes]:
    """The address SES takes and the raw mail; raises ``MailNotBuilt``."""
    try:
        address = validation.email(message.recipient.email, "recipient")
    except InvalidInput as error:
        raise MailNotBuilt(UNDELIVERABLE_ADDRESS) from error
    settings = deps.settings.store()
    context = template_context(message, settings, deps.public_base_url, deps.signer, now)
    mail = render(message.template, message.recipient.locale, context)
    unsubscribe: tuple[str, str] | None = None
    if message.purpose != "transactional":
        unsubscribe = unsubscribe_links(
            deps.public_base_url,
            deps.mail_from,
            deps.signer,
            message.customer_id,
            message.purpose,
            now,
        )
    raw = build_mime(
        mail,
        sender=deps.mail_from,
        sender_name=settings.name_for(message.recipient.locale),
        recipient=address,
        recipient_name=message.recipient.name,
        sent_at=now,
        reply_to=settings.support_email,
        unsubscribe=unsubscribe,
        headers={"X-Rapport-Message": f"{message.template}"},
    )
    return address, raw
