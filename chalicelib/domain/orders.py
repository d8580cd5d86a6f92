"""Orders: the validated order payload and the order status machine.

An order arrives as JSON (``POST /v1/orders``) and :func:`parse_order` turns it into an
:class:`Order` or raises :class:`~chalicelib.domain.exceptions.InvalidInput` naming the first
bad field (``lines[2].quantity``, ``gift.occasion``, ...). Money is always an integer number of
minor units of the order's ISO 4217 currency (cents for USD, yen for JPY, fils for KWD).

Status machine::

    placed ──▶ paid ──▶ fulfilled
      │         │  │        │
      ▼         ▼  └──▶ refunded ◀┘
    cancelled ◀─┘

Moving to the current status again is a no-op. ``cancelled`` and ``refunded`` are final.
An order counts toward a customer's aggregates (stats, tier spend, RFM, loyalty) from the
moment it is ``placed`` until it is ``cancelled`` or ``refunded``: stores that take cash on
delivery or convenience-store payment have orders that stay ``placed`` for days, and those are
real purchases. A cancellation or refund reverses the order's contribution exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import InvalidInput, InvalidTransition
from chalicelib.domain.times import TimeBounds

# ISO 4217 List One, active codes with a defined minor unit (including the fund codes BOV,
# CHE, CHW, CLF, COU, MXV, USN, UYI, UYW). Codes whose minor unit is "N.A." (XAU, XAG, XPD,
# XPT, XBA-XBD, XDR, XSU, XUA, XTS, XXX) cannot express a price and are left out. Withdrawn
# codes are left out too: ANG (replaced by XCG, 2025), BGN (euro, 2026), CUC, HRK (euro,
# 2023), SLL (replaced by SLE), ZWL (replaced by ZWG, 2024), MRO, STD, VEF.
_EXPONENT_0 = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_EXPONENT_2 = (
    "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK "
    "LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO "
    "NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS "
    "SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST "
    "XCD XCG YER ZAR ZMW ZWG"
)
_EXPONENT_3 = "BHD IQD JOD KWD LYD OMR TND"
_EXPONENT_4 = "CLF UYW"

ISO_4217: Mapping[str, int] = MappingProxyType(
    {
        code: exponent
        for exponent, codes in enumerate((_EXPONENT_0, "", _EXPONENT_2, _EXPONENT_3, _EXPONENT_4))
        for code in codes.split()
    }
)
"""Active ISO 4217 alphabetic code -> minor-unit exponent (``JPY`` 0, ``USD`` 2, ``KWD`` 3)."""

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

ORDER_STATUSES = ("placed", "paid", "fulfilled", "cancelled", "refunded")
PLACED, PAID, FULFILLED, CANCELLED, REFUNDED = ORDER_STATUSES
_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        PLACED: frozenset({PAID, CANCELLED}),
        PAID: frozenset({FULFILLED, CANCELLED, REFUNDED}),
        FULFILLED: frozenset({REFUNDED}),
        CANCELLED: frozenset(),
        REFUNDED: frozenset(),
    }
)
_COUNTING_STATUSES = frozenset({PLACED, PAID, FULFILLED})


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


def transition(current: str, new: str) -> str:
    """Return the status after asking to move from ``current`` to ``new``.

    Raises
    ------
    InvalidInput
        When either status is not one of :data:`ORDER_STATUSES` (field ``status``).
    InvalidTransition
        When the machine does not allow the move (field ``status``).
    """
    for status in (current, new):
        if status not in _TRANSITIONS:
            raise InvalidInput(f"status must be one of {', '.join(ORDER_STATUSES)}", "status")
    if new == current:
        return current
    if new not in _TRANSITIONS[current]:
        raise InvalidTransition(f"an order that is {current} cannot become {new}", "status")
    return new


def counts_toward_stats(status: str) -> bool:
    """Whether an order in ``status`` counts in aggregates (placed, paid or fulfilled)."""
    return status in _COUNTING_STATUSES


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
