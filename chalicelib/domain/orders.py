"""Orders: the validated order payload.

An order arrives as JSON (``POST /v1/orders``) and :func:`parse_order` turns it into an
:class:`Order` or raises :class:`~chalicelib.domain.exceptions.InvalidInput` naming the first
bad field (``lines[2].quantity``, ``gift.occasion``, ...). Money is always an integer number of
minor units of the order's ISO 4217 currency (cents for USD, yen for JPY, fils for KWD).

The status machine is in :mod:`chalicelib.domain.order_status`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.currencies import ISO_4217
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.order_status import (
    CANCELLED,
    FULFILLED,
    ORDER_STATUSES,
    PAID,
    PLACED,
    REFUNDED,
    counts_toward_stats,
    transition,
)
from chalicelib.domain.times import TimeBounds

__all__ = [
    "CANCELLED", "FULFILLED", "GIFT_OCCASIONS", "ISO_4217", "MAX_LINES", "MAX_MINOR_UNITS",
    "MAX_QUANTITY", "ORDER_STATUSES", "PAID", "PAYLOAD_FIELDS", "PAYMENT_METHODS", "PLACED",
    "REFUNDED", "Gift", "Order", "OrderLine", "counts_toward_stats", "parse_order",
    "transition"
]  # fmt: skip

PAYMENT_METHODS = (
    "card",  # credit or debit card
    "cash_on_delivery",
    "convenience_store",  # pay at a convenience store counter (konbini, 7-Eleven)
    "bank_transfer",
    "wallet",  # Alipay, WeChat Pay, PayPal, Apple Pay and other e-wallets
    "gift_card",  # store gift card or voucher
    "pay_later",  # instalments / buy now, pay later
    "other",
)
GIFT_OCCASIONS = ("birthday", "anniversary", "holiday", "wedding", "baby", "other")

MAX_LINES = 200
MAX_QUANTITY = 100_000
MAX_MINOR_UNITS = 10**15
"""Exclusive upper bound of any amount (well inside JSON's exact integers, 2**53)."""

_ORDER_FIELDS = (
    "order_id", "customer_id", "placed_at", "currency", "lines", "total", "payment_method"
)  # fmt: skip
_OPTIONAL_FIELDS = ("gift",)
PAYLOAD_FIELDS = _ORDER_FIELDS + _OPTIONAL_FIELDS
"""Every field of an order as the store posts it (stored as such on the order item)."""
_LINE_FIELDS = ("sku", "name", "category", "quantity", "unit_price")


@dataclass(frozen=True)
class OrderLine:
    """One line of an order: ``quantity`` units of ``sku`` at ``unit_price`` minor units."""

    sku: str
    name: str
    category: str
    quantity: int
    unit_price: int

    @property
    def amount(self) -> int:
        """``quantity * unit_price`` in minor units."""
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class Gift:
    """Marks an order as a gift for an occasion (feeds the learned annual occasions)."""

    occasion: str


@dataclass(frozen=True)
class Order:
    """A validated order. ``placed_at`` keeps the offset the store sent."""

    order_id: str
    customer_id: str
    placed_at: datetime
    currency: str
    lines: tuple[OrderLine, ...]
    total: int
    payment_method: str
    gift: Gift | None = None

    @property
    def currency_exponent(self) -> int:
        """Number of minor-unit digits of the currency (2 for USD, 0 for JPY)."""
        return ISO_4217[self.currency]

    @property
    def skus(self) -> frozenset[str]:
        """Distinct skus on the order."""
        return frozenset(line.sku for line in self.lines)

    @property
    def categories(self) -> frozenset[str]:
        """Distinct categories on the order."""
        return frozenset(line.category for line in self.lines)

    def to_payload(self) -> dict[str, Any]:
        """The API/storage form; ``parse_order(order.to_payload(), bounds=None) == order``."""
        payload: dict[str, Any] = {
            "order_id": self.order_id,
            "customer_id": self.customer_id,
            "placed_at": self.placed_at.isoformat(),
            "currency": self.currency,
            "lines": [asdict(line) for line in self.lines],
            "total": self.total,
            "payment_method": self.payment_method,
        }
        if self.gift is not None:
            payload["gift"] = {"occasion": self.gift.occasion}
        return payload


def parse_order(payload: dict[str, Any], *, bounds: TimeBounds | None) -> Order:
    """Validate an order payload.

    Parameters
    ----------
    payload : dict
        The decoded JSON body.
    bounds : TimeBounds or None
        When ``placed_at`` may lie (from 2000 to now plus the clock-skew allowance);
        ``None`` only to rebuild an order read back from storage.

    Returns
    -------
    Order

    Raises
    ------
    InvalidInput
        For the first problem found, with ``field`` naming it: an unknown or missing field,
        an id that is not 1 to 128 of ``[A-Za-z0-9._:-]``, ``placed_at`` without a time zone
        or outside ``bounds``,
        an unknown currency, money that is not a non-negative integer of minor units, a
        quantity below 1, an empty line list, a ``total`` different from the sum of the lines,
        an unknown payment method or gift occasion.
    """
    body = v.require_object(payload)
    v.reject_unknown(body, _ORDER_FIELDS + _OPTIONAL_FIELDS)
    _require(body, _ORDER_FIELDS, "")
    order_id = v.identifier(body["order_id"], "order_id")
    customer_id = v.identifier(body["customer_id"], "customer_id")
    placed_at = v.timestamp(body["placed_at"], "placed_at", bounds)
    currency = body["currency"]
    if not isinstance(currency, str) or currency not in ISO_4217:
        raise InvalidInput("currency must be an active ISO 4217 code such as USD", "currency")
    lines = _parse_lines(body["lines"])
    total = _money(body["total"], "total")
    expected = sum(line.amount for line in lines)
    if total != expected:
        raise InvalidInput(f"total is {total} but the lines add up to {expected}", "total")
    payment_method = v.choice(body["payment_method"], PAYMENT_METHODS, "payment_method")
    gift = body.get("gift")
    return Order(
        order_id=order_id,
        customer_id=customer_id,
        placed_at=placed_at,
        currency=currency,
        lines=lines,
        total=total,
        payment_method=payment_method,
        gift=None if gift is None else _parse_gift(gift),
    )


def _require(body: Mapping[str, Any], names: tuple[str, ...], prefix: str) -> None:
    for name in names:
        if body.get(name) is None:
            raise InvalidInput(f"{prefix}{name} is required", f"{prefix}{name}")


def _money(value: Any, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{field} must be an integer number of minor units", field)
    if value < 0:
        raise InvalidInput(f"{field} must not be negative", field)
    if value >= MAX_MINOR_UNITS:
        raise InvalidInput(f"{field} is too large", field)
    return value


def _parse_lines(raw: Any) -> tuple[OrderLine, ...]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("lines must be a non-empty list", "lines")
    if len(raw) > MAX_LINES:
        raise InvalidInput(f"lines must have at most {MAX_LINES} items", "lines")
    lines = []
    for index, item in enumerate(raw):
        where = f"lines[{index}]"
        line = v.require_object(item, where)
        v.reject_unknown(line, _LINE_FIELDS, prefix=f"{where}.")
        _require(line, _LINE_FIELDS, f"{where}.")
        quantity = line["quantity"]
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise InvalidInput("quantity must be a positive integer", f"{where}.quantity")
        if quantity > MAX_QUANTITY:
            raise InvalidInput(f"quantity must be at most {MAX_QUANTITY}", f"{where}.quantity")
        lines.append(
            OrderLine(
                sku=v.text(line["sku"], f"{where}.sku", 128),
                name=v.text(line["name"], f"{where}.name", 200),
                category=v.text(line["category"], f"{where}.category", 100),
                quantity=quantity,
                unit_price=_money(line["unit_price"], f"{where}.unit_price"),
            )
        )
    return tuple(lines)


def _parse_gift(raw: Any) -> Gift:
    gift = v.require_object(raw, "gift")
    v.reject_unknown(gift, ("occasion",), prefix="gift.")
    _require(gift, ("occasion",), "gift.")
    return Gift(v.choice(gift["occasion"], GIFT_OCCASIONS, "gift.occasion"))
