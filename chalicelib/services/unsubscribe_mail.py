"""Unsubscribe by mail: apply one mail SES received for the ``unsubscribe`` address.

The mail's subject carries the token of the ``List-Unsubscribe`` ``mailto`` URL
(:mod:`chalicelib.domain.unsubscribe_mail`); a valid token withdraws the consent it was
signed for, exactly as the one-click ``POST`` does. Idempotent: SNS may deliver the same
notification twice, and withdrawing a consent already withdrawn changes nothing. A mail
that can never unsubscribe anyone (no token, a forged or expired one, spam, another
recipient) is ignored with its reason, never retried.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.exceptions import NotFound
from chalicelib.domain.profile import CONSENT_PURPOSES
from chalicelib.domain.unsubscribe_mail import RECEIVED, token_from_subject, unsubscribe_address
from chalicelib.services.mail_feedback import IGNORED
from chalicelib.services.ports import Clock, CustomerRepository, LinkSigner
from chalicelib.services.profiles import correct_profile

UNSUBSCRIBED = "unsubscribed"
REFUSED_VERDICTS = ("spamVerdict", "virusVerdict")


@dataclass(frozen=True)
class UnsubscribeMailDeps:
    """What the unsubscribe-mail handler needs, wired by the bootstrap."""

    customers: CustomerRepository
    signer: LinkSigner
    clock: Clock
    mail_from: str


@dataclass(frozen=True)
class UnsubscribeResult:
    """What one received mail did (for logs and metrics: no address in it)."""

    outcome: str
    reason: str | None = None
    purpose: str | None = None


def handle_received(text: Any, deps: UnsubscribeMailDeps) -> UnsubscribeResult:
    """Withdraw the consent named by the token in a received mail's subject."""
    notification = _notification(text)
    if notification is None:
        return UnsubscribeResult(IGNORED, "not_ses_json")
    refusal = _refusal(notification, unsubscribe_address(deps.mail_from))
    if refusal is not None:
        return UnsubscribeResult(IGNORED, refusal)
    headers = (notification.get("mail") or {}).get("commonHeaders") or {}
    token = token_from_subject(str(headers.get("subject") or ""))
    if token is None:
        return UnsubscribeResult(IGNORED, "no_token")
    now = deps.clock.now()
    for purpose in CONSENT_PURPOSES:
        customer_id = deps.signer.verify(f"unsubscribe:{purpose}", token, now)
        if customer_id:
            return _withdraw(customer_id, purpose, deps)
    return UnsubscribeResult(IGNORED, "invalid_token")


def _notification(text: Any) -> dict[str, Any] | None:
    try:
        parsed = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _refusal(notification: dict[str, Any], address: str) -> str | None:
    """Why a notification is not an unsubscribe mail to act on, or ``None``."""
    if notification.get("notificationType") != RECEIVED:
        return "not_received_mail"
    receipt = notification.get("receipt") or {}
    recipients = [str(r).lower() for r in receipt.get("recipients") or []]
    if address.lower() not in recipients:
        return "other_recipient"
    for verdict in REFUSED_VERDICTS:
        if (receipt.get(verdict) or {}).get("status") == "FAIL":
            return verdict.removesuffix("Verdict")
    return None


def _withdraw(customer_id: str, purpose: str, deps: UnsubscribeMailDeps) -> UnsubscribeResult:
    try:
        correct_profile(
            customer_id, {"consents": {purpose: False}}, deps.customers, deps.clock, "customer"
        )  # the customer's own change, as the one-click POST
    except NotFound:
        return UnsubscribeResult(IGNORED, "profile_gone", purpose)
    return UnsubscribeResult(UNSUBSCRIBED, None, purpose)
