"""Every shipment mail renders in both languages and tells the customer what to do."""

from __future__ import annotations

import pytest

from chalicelib.domain.settings import StoreSettings
from chalicelib.mail.render import render
from chalicelib.services.mail_context import store_context
from tests.unit.mail.letters import SHIPMENT_KINDS

ACTIONS = {
    ("attempt_failed", "en"): "choose another day",
    ("attempt_failed", "zh-CN"): "改约时间",
    ("exception", "en"): "reply to this letter",
    ("exception", "zh-CN"): "直接回复这封信",
    ("available_for_pickup", "en"): "collect it soon",
    ("available_for_pickup", "zh-CN"): "尽快取件",
}


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
@pytest.mark.parametrize("kind", SHIPMENT_KINDS)
def test_shipment_mail_renders(kind: str, locale: str) -> None:
    context = {
        "tracking_number": "794600000001",
        "order_id": "o-1",
        "carrier": "fedex",
        "status": kind,
        "occurred_at": "2026-11-22 11:47",
        "estimated_delivery": "2026-11-22",
        "location": "Shanghai, CN",
        "tracking_url": "http://rapport.test/v1/track/794600000001?t=tok",
        "survey_url": "http://rapport.test/v1/surveys?t=sv" if kind == "delivered" else None,
        "lang": locale,
        "name": None,
        "store": store_context(StoreSettings(), locale),
        "preferences_url": "http://rapport.test/v1/preferences?t=p",
    }
    mail = render(kind, locale, context)
    assert "o-1" in mail.subject or kind in ("out_for_delivery", "available_for_pickup")
    for part in (mail.text, mail.html):
        assert "http://rapport.test/v1/track/794600000001?t=tok" in part
        assert "{{" not in part
    if kind == "delivered":
        assert "http://rapport.test/v1/surveys?t=sv" in mail.text
    if (kind, locale) in ACTIONS:
        assert ACTIONS[(kind, locale)] in mail.text
