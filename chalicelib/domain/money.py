"""Show money (integer minor units) the way a customer reads it."""

from __future__ import annotations

from chalicelib.domain.orders import ISO_4217

SYMBOLS = {"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "TWD": "NT$"}


def format_money(amount: int, currency: str) -> str:
    """``12345, "CNY"`` → ``¥123.45``; unknown symbols show the code (``CHF 123.45``)."""
    exponent = ISO_4217.get(currency, 2)
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 10**exponent)
    text = f"{whole:,}" + (f".{part:0{exponent}d}" if exponent else "")
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{currency} {text}"


PAYMENT_LABELS = {
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


def payment_label(method: str, locale: str) -> str:
    """How the payment method reads in ``locale``."""
    labels = PAYMENT_LABELS["zh-CN" if locale == "zh-CN" else "en"]
    return labels.get(method, method)
