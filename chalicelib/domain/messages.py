"""Outbound messages: the outbox items that the mailer turns into mail.

A message is keyed by ``(customer_id, message_key)`` where the key is deterministic
(``welcome``, ``order-confirmation#<order_id>``, ``birthday#<year>``), so asking twice
for the same mail yields one item and one mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from chalicelib.domain.profile import Profile

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
SUPPRESSED = "suppressed"
DEFERRED = "deferred"
FAILED = "failed"
STATUSES = (QUEUED, SENDING, SENT, SUPPRESSED, DEFERRED, FAILED)

PURPOSES = ("transactional", "marketing", "recommendations", "greetings", "surveys")

NON_TRANSACTIONAL_TEMPLATES: dict[str, str] = {
    "greeting": "greetings",
    "recommendations": "recommendations",
    "occasion_suggestion": "recommendations",
    "cart_reminder": "marketing",
    "win_back": "marketing",
    "replenishment": "marketing",
    "product_update": "marketing",
    "satisfaction_survey": "surveys",
    "review_coupon": "surveys",
}
"""Each non-transactional template and the consent purpose it needs (one place)."""


@dataclass(frozen=True)
class Recipient:
    """What the mailer needs to know about the person, copied when the message is queued.

    The copy may only decide a transactional mail sent right after its fact (see
    :func:`chalicelib.domain.policy.needs_live_profile`); anything else is decided on
    the live profile.
    """

    email: str
    name: str | None
    locale: str
    time_zone: str
    email_status: str
    consents: dict[str, bool]
    loyalty: str

    @classmethod
    def of(cls, profile: Profile) -> Recipient:
        """The recipient as the profile stands now."""
        return cls(
            email=profile.email,
            name=profile.name,
            locale=profile.locale,
            time_zone=profile.time_zone,
            email_status=profile.email_status,
            consents=profile.consents.to_dict(),
            loyalty=profile.loyalty,
        )


@dataclass(frozen=True)
class Message:
    """One message in the outbox."""

    customer_id: str
    message_key: str
    template: str
    purpose: str
    recipient: Recipient
    created_at: str
    context: dict[str, Any] = field(default_factory=dict)
    status: str = QUEUED
    attempts: int = 0
    correlation_id: str | None = None
    not_before: str | None = None

    def readdressed(self, profile: Profile) -> Message:
        """The same message to the recipient as ``profile`` stands now (live, not the copy)."""
        return replace(self, recipient=Recipient.of(profile))

    @classmethod
    def transactional(
        cls,
        profile: Profile,
        message_key: str,
        template: str,
        created_at: str,
        context: dict[str, Any] | None,
        correlation_id: str | None,
    ) -> Message:
        """A transactional message to ``profile`` as it stands now."""
        return cls(
            customer_id=profile.customer_id,
            message_key=message_key,
            template=template,
            purpose="transactional",
            recipient=Recipient.of(profile),
            created_at=created_at,
            context=context or {},
            correlation_id=correlation_id,
        )


def non_transactional(
    profile: Profile,
    message_key: str,
    template: str,
    created_at: str,
    context: dict[str, Any] | None = None,
    correlation_id: str | None = None,
) -> Message:
    """A message of one of :data:`NON_TRANSACTIONAL_TEMPLATES`, with its purpose.

    The mailer decides it on the live profile at send time (consent, gate, cap, quiet
    hours); ``message_key`` is its dedup key (``greeting#birthday#2026``).
    """
    return Message(
        customer_id=profile.customer_id,
        message_key=message_key,
        template=template,
        purpose=NON_TRANSACTIONAL_TEMPLATES[template],
        recipient=Recipient.of(profile),
        created_at=created_at,
        context=context or {},
        correlation_id=correlation_id,
    )


def welcome(profile: Profile, created_at: str, correlation_id: str | None) -> Message:
    """The welcome letter for a new profile (seed 002)."""
    return Message.transactional(profile, "welcome", "welcome", created_at, None, correlation_id)


PRIVACY_TEMPLATES = ("data_export", "erasure_confirmation")
"""Letters a customer asks for from the preference centre: the link to their data, and
the link that confirms their erasure."""


def privacy_request(
    profile: Profile, template: str, created_at: str, correlation_id: str | None
) -> Message:
    """One of :data:`PRIVACY_TEMPLATES`, keyed by the minute it was asked for (a double
    click sends one letter; a request the next day sends another)."""
    key = f"{template.replace('_', '-')}#{created_at[:16]}"
    return Message.transactional(profile, key, template, created_at, None, correlation_id)
