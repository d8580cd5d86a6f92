"""The product-update letters of the letter checks (:mod:`tests.unit.mail.letters`)."""

from __future__ import annotations

from collections.abc import Iterator

from chalicelib.domain.campaign_audience import campaign_message
from chalicelib.domain.campaigns import CampaignRequest
from chalicelib.domain.messages import Message
from chalicelib.domain.profile import Profile

STAMP = "2026-11-20T08:30:00.000Z"
NAMES = {"en": "Ana", "zh-CN": "安娜"}
PRODUCTS = {"en": "Dragon Well tea 100g", "zh-CN": "西湖龙井一百克"}
CAMPAIGN = CampaignRequest(
    campaign_id="tea-2027",
    kind="product_update",
    sku="TEA-1",
    subject={"en": "This year's tea has arrived", "zh-CN": "今年的新茶到了"},
    body={
        "en": "The spring harvest is in.\n\nIt tastes brighter than last year's.",
        "zh-CN": "春茶已经采摘完毕。\n\n今年的味道比去年更清新。",
    },
)


def campaign_messages(locale: str) -> Iterator[tuple[Message, str]]:
    """A buyer's ``product_update`` message, with and without a name, and its label."""
    for name in (NAMES[locale], None):
        reader = Profile(
            customer_id="c-1",
            email="ana@example.com",
            created_at=STAMP,
            updated_at=STAMP,
            name=name,
            locale=locale,
            time_zone="Asia/Shanghai",
        )
        message = campaign_message(reader, CAMPAIGN, PRODUCTS[locale], STAMP)
        yield message, f"product-update-name-{name}"
