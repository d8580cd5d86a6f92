"""The links the welcome letter offers: their defaults and their validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import InvalidInput


@dataclass(frozen=True)
class HelpLink:
    """A link the welcome letter offers (label per locale)."""

    label_en: str
    label_zh: str
    url: str


def default_links() -> tuple[HelpLink, ...]:
    """The links a store offers until its admin sets its own."""
    return (
        HelpLink("Help centre", "帮助中心", "https://shop.example/help"),
        HelpLink("Shipping and returns", "配送与退换货", "https://shop.example/help/returns"),
        HelpLink("Track an order", "查询订单", "https://shop.example/orders"),
    )


def parse_links(raw: Any) -> tuple[HelpLink, ...]:
    """At most 10 links, each with both labels and an ``https://`` url (field ``help_links``)."""
    if not isinstance(raw, list) or len(raw) > 10:
        raise InvalidInput("help_links must be a list of at most 10 links", "help_links")
    links = []
    for index, item in enumerate(raw):
        where = f"help_links[{index}]"
        link = v.require_object(item, where)
        v.reject_unknown(link, ("label_en", "label_zh", "url"), prefix=f"{where}.")
        url = v.text(link.get("url"), f"{where}.url", 500)
        if not url.startswith("https://"):
            raise InvalidInput("links must start with https://", f"{where}.url")
        links.append(
            HelpLink(
                v.text(link.get("label_en"), f"{where}.label_en", 80),
                v.text(link.get("label_zh"), f"{where}.label_zh", 80),
                url,
            )
        )
    return tuple(links)
