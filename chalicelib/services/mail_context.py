"""Build what a template needs: the store in the reader's language and signed links."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.messages import Message
from chalicelib.domain.satisfaction import MONTHLY_SURVEY_PURPOSE, token_subject
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.unsubscribe_mail import mailto_url
from chalicelib.services.ports import LinkSigner

PREFERENCES_LINK_LIFETIME = timedelta(days=365)
PRIVACY_LINKS: dict[str, tuple[str, str, timedelta]] = {
    "data_export": ("export", "/v1/privacy/export", timedelta(days=7)),
    "erasure_confirmation": ("erasure", "/v1/privacy/erasure", timedelta(days=2)),
}
"""Template → (token purpose, path, lifetime) of the signed link the letter carries,
signed when the letter is sent (never stored in the outbox)."""


def store_context(settings: StoreSettings, locale: str) -> dict[str, Any]:
    """The store as the letter presents it in ``locale``."""
    chinese = locale == "zh-CN"
    return {
        "name": settings.name_for(locale),
        "about": settings.about_zh if chinese else settings.about_en,
        "support_email": settings.support_email,
        "support_hours": settings.support_hours_zh if chinese else settings.support_hours_en,
        "website_url": settings.website_url,
        "signer": settings.signer_zh if chinese else settings.signer_en,
        "links": [
            {"label": link.label_zh if chinese else link.label_en, "url": link.url}
            for link in settings.help_links
        ],
    }


def preferences_url(base_url: str, signer: LinkSigner, customer_id: str, now: datetime) -> str:
    """The signed link to the customer's preference centre."""
    token = signer.sign("preferences", customer_id, now + PREFERENCES_LINK_LIFETIME)
    return f"{base_url}/v1/preferences?t={token}"


def unsubscribe_token(signer: LinkSigner, customer_id: str, purpose: str, now: datetime) -> str:
    """The signed token that unsubscribes ``customer_id`` from ``purpose`` (link or mail)."""
    return signer.sign(f"unsubscribe:{purpose}", customer_id, now + PREFERENCES_LINK_LIFETIME)


def unsubscribe_links(
    base_url: str, mail_from: str, signer: LinkSigner, customer_id: str, purpose: str, now: datetime
) -> tuple[str, str]:
    """The one-click https URL and the ``mailto`` URL of ``List-Unsubscribe``, one token."""
    token = unsubscribe_token(signer, customer_id, purpose, now)
    return f"{base_url}/v1/unsubscribe?t={token}", mailto_url(mail_from, token)


def template_context(
    message: Message, settings: StoreSettings, base_url: str, signer: LinkSigner, now: datetime
) -> dict[str, Any]:
    """Everything the message's template may use."""
    locale = message.recipient.locale
    return {
        **message.context,
        "lang": "zh-CN" if locale == "zh-CN" else "en",
        "name": message.recipient.name,
        "store": store_context(settings, locale),
        "preferences_url": preferences_url(base_url, signer, message.customer_id, now),
        **privacy_link(message.template, base_url, signer, message.customer_id, now),
        **monthly_survey_link(message, base_url, signer, now),
    }


MONTHLY_SURVEY_LINK_LIFETIME = timedelta(days=30)


def monthly_survey_link(
    message: Message, base_url: str, signer: LinkSigner, now: datetime
) -> dict[str, Any]:
    """``survey_url`` of the monthly survey letter (signed for the customer's month)."""
    month = message.context.get("month")
    if message.template != "satisfaction_survey" or not month:
        return {}
    subject = token_subject(message.customer_id, str(month))
    token = signer.sign(MONTHLY_SURVEY_PURPOSE, subject, now + MONTHLY_SURVEY_LINK_LIFETIME)
    return {"survey_url": f"{base_url}/v1/surveys?t={token}"}


def privacy_link(
    template: str, base_url: str, signer: LinkSigner, customer_id: str, now: datetime
) -> dict[str, Any]:
    """``privacy_url`` and its expiry for the export and erasure letters, else nothing."""
    if template not in PRIVACY_LINKS:
        return {}
    purpose, path, lifetime = PRIVACY_LINKS[template]
    expires = now + lifetime
    token = signer.sign(purpose, customer_id, expires)
    return {"privacy_url": f"{base_url}{path}?t={token}", "link_days": lifetime.days}
