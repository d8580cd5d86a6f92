"""The words a customer reads for each closed vocabulary, in both languages (en, zh-CN).

One table per vocabulary, keyed by language and then by the stored value: gift
occasions, payment methods. (Carrier names are in :mod:`chalicelib.domain.carriers`,
tracking statuses in the tracking page's words.) A value missing from a table is a
bug, caught by the tests that render every template with every value.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("en", "zh-CN")
"""The languages mail and pages are written in."""

Table = Mapping[str, Mapping[str, str]]


def language(locale: str) -> str:
    """The language a customer with ``locale`` reads (English for anything unknown)."""
    return "zh-CN" if locale == "zh-CN" else "en"


GIFT_OCCASIONS: Table = {
    "en": {
        "birthday": "a birthday gift",
        "anniversary": "an anniversary gift",
        "holiday": "a holiday gift",
        "wedding": "a wedding gift",
        "baby": "a gift for a new baby",
        "other": "a gift",
    },
    "zh-CN": {
        "birthday": "生日礼物",
        "anniversary": "纪念日礼物",
        "holiday": "节日礼物",
        "wedding": "新婚礼物",
        "baby": "迎接宝宝的礼物",
        "other": "礼物",
    },
}
"""How the confirmation names the gift (``We noted that this is {…}`` / ``这是一份{…}``)."""

PAYMENT_METHODS: Table = {
    "en": {
        "card": "card",
        "cash_on_delivery": "cash on delivery",
        "convenience_store": "payment at a convenience store",
        "bank_transfer": "bank transfer",
        "wallet": "mobile wallet",
        "gift_card": "gift card",
        "pay_later": "pay later",
        "other": "other",
    },
    "zh-CN": {
        "card": "银行卡",
        "cash_on_delivery": "货到付款",
        "convenience_store": "便利店付款",
        "bank_transfer": "银行转账",
        "wallet": "手机钱包",
        "gift_card": "礼品卡",
        "pay_later": "先享后付",
        "other": "其他方式",
    },
}


def label(table: Table, value: str, locale: str) -> str:
    """The word for ``value`` in the reader's language.

    Raises
    ------
    KeyError
        When the table lacks the value: every stored value has its words.
    """
    return table[language(locale)][value]
