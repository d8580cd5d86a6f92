"""Show money (integer minor units) the way a customer reads it."""

from __future__ import annotations

from chalicelib.domain.orders import ISO_4217
from chalicelib.domain.vocabulary import PAYMENT_METHODS, label

SYMBOLS = {"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "TWD": "NT$"}


def format_money(amount: int, currency: str) -> str:
    """``12345, "CNY"`` → ``¥123.45``; unknown symbols show the code (``CHF 123.45``)."""
    exponent = ISO_4217.get(currency, 2)
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 10**exponent)
    text = f"{whole:,}" + (f".{part:0{exponent}d}" if exponent else "")
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{currency} {text}"


def payment_label(method: str, locale: str) -> str:
    """How the payment method reads in ``locale``."""
    return label(PAYMENT_METHODS, method, locale)
