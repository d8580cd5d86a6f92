"""Who a campaign reaches, and the message each recipient gets.

The audience rule is the message policy itself (:func:`chalicelib.domain.policy.decide`),
applied to the message the recipient would get: a deliverable address, ``marketing``
consent, the loyalty gate, the suppression list. Quiet hours and the weekly cap only
move or drop a message at send time, so the dry run counts a deferred recipient as
reached and does not apply the cap (which depends on the day the mail goes out).
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import policy
from chalicelib.domain.campaigns import PRODUCT_UPDATE, CampaignRequest, message_key
from chalicelib.domain.messages import Message, non_transactional
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings

REACHED = None


def campaign_message(
    profile: Profile, request: CampaignRequest, product_name: str, created_at: str
) -> Message:
    """The ``product_update`` message of ``request`` to one buyer of its sku."""
    context = {
        "campaign_id": request.campaign_id,
        "sku": request.sku,
        "product_name": product_name,
        "subject": dict(request.subject),
        "body": dict(request.body),
    }
    return non_transactional(
        profile, message_key(request.campaign_id), PRODUCT_UPDATE, created_at, context
    )


def exclusion(
    message: Message, suppression: str | None, now: datetime, settings: StoreSettings
) -> str | None:
    """Why the recipient of ``message`` is not reached (the policy's reason), or ``None``."""
    if suppression is not None:
        return suppression
    decision = policy.decide(message, now, settings, sent_last_7_days=0)
    if decision.action == "suppress":
        return decision.reason or "suppressed"
    return REACHED
