"""Returns and exchanges: what may be sent back, and for how much.

Pure rules (no I/O, time passed in): a request is parsed and validated, then checked
against the order (which lines and quantities were bought, what was already returned),
the delivery of its parcels and the store's return window.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain import validation
from chalicelib.domain.exceptions import InvalidInput, Unprocessable

REFUND = "refund"
EXCHANGE = "exchange"
KINDS = (REFUND, EXCHANGE)
DEFAULT_WINDOW_DAYS = 7
REQUESTED = "requested"
INACTIVE_STATUSES = frozenset({"rejected", "cancelled"})
"""Returns in these statuses no longer hold back quantities."""


@dataclass(frozen=True)
class ReturnLine:
    """One sku to send back, how many, and the variant wanted in exchange."""

    sku: str
    quantity: int
    wanted_variant: str | None = None


@dataclass(frozen=True)
class ReturnRequest:
    """A validated ``POST /v1/returns`` body."""

    return_id: str
    order_id: str
    lines: tuple[ReturnLine, ...]
    reason: str
    kind: str

    def digest(self) -> str:
        """A fingerprint of the request (an identical replay has the same one)."""
        data = asdict(self)
        return hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()


@dataclass(frozen=True)
class StoredReturn:
    """A return as stored, what its facts need: the request and the money it refunds."""

    request: ReturnRequest
    refund_amount: int
    """In minor units of the order's currency (0 for an exchange)."""

    @property
    def refund(self) -> int:
        """The money given back: ``refund_amount`` for a refund, 0 for an exchange."""
        return self.refund_amount if self.request.kind == REFUND else 0


def parse_return(payload: Any) -> ReturnRequest:
    """Validate a return request; errors name the field (``lines[1].quantity``)."""
    body = validation.require_object(payload, "body")
    validation.reject_unknown(body, ("return_id", "order_id", "lines", "reason", "kind"))
    kind = validation.choice(body.get("kind"), KINDS, "kind")
    raw_lines = body.get("lines")
    if not isinstance(raw_lines, list) or not 1 <= len(raw_lines) <= 100:
        raise InvalidInput("lines must be a list of 1 to 100 lines", "lines")
    lines = []
    for index, raw in enumerate(raw_lines):
        prefix = f"lines[{index}]."
        line = validation.require_object(raw, f"lines[{index}]")
        validation.reject_unknown(line, ("sku", "quantity", "wanted_variant"), prefix)
        quantity = line.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise InvalidInput("quantity must be a whole number of at least 1", prefix + "quantity")
        variant = line.get("wanted_variant")
        if variant is not None:
            variant = validation.text(variant, prefix + "wanted_variant", 100)
        elif kind == EXCHANGE:
            raise InvalidInput(
                "an exchange needs the wanted variant (for example the size)",
                prefix + "wanted_variant",
            )
        lines.append(
            ReturnLine(validation.identifier(line.get("sku"), prefix + "sku"), quantity, variant)
        )
    return ReturnRequest(
        return_id=validation.identifier(body.get("return_id"), "return_id"),
        order_id=validation.identifier(body.get("order_id"), "order_id"),
        lines=tuple(lines),
        reason=validation.text(body.get("reason"), "reason", 500),
        kind=kind,
    )


def check_window(
    delivered_at: Iterable[datetime | None], now: datetime, window_days: int
) -> datetime:
    """Return when the order was delivered (its last parcel) if the window is still open.

    Raises
    ------
    Unprocessable
        When the order has no parcel, a parcel is not delivered yet, or the window of
        ``window_days`` days from delivery has closed.
    """
    times = list(delivered_at)
    if not times:
        raise Unprocessable("this order has not been shipped yet, so nothing can be returned")
    if any(moment is None for moment in times):
        raise Unprocessable(
            "this order has not been delivered yet; a return can be requested after delivery"
        )
    delivered = max(moment for moment in times if moment is not None)
    closes = delivered + timedelta(days=window_days)
    if now > closes:
        raise Unprocessable(
            f"the return window of {window_days} days from delivery "
            f"({delivered.date().isoformat()}) closed on {closes.date().isoformat()}"
        )
    return delivered


def returned_quantities(returns: Iterable[Mapping[str, Any]], skip: str) -> Counter[str]:
    """Quantities per sku held by earlier active returns (``skip`` is this return's id)."""
    held: Counter[str] = Counter()
    for item in returns:
        if item.get("return_id") == skip or item.get("status") in INACTIVE_STATUSES:
            continue
        for line in item.get("lines") or ():
            held[str(line.get("sku"))] += int(line.get("quantity", 0))
    return held


def priced_lines(
    request: ReturnRequest, order_lines: Iterable[Mapping[str, Any]], already: Counter[str]
) -> list[dict[str, Any]]:
    """The request's lines with name and unit price from the order.

    Raises
    ------
    Unprocessable
        When a sku was not in the order, or more would be returned than was bought
        minus what earlier returns hold (``field`` names the line).
    """
    bought: Counter[str] = Counter()
    catalogue: dict[str, Mapping[str, Any]] = {}
    for bought_line in order_lines:
        sku = str(bought_line.get("sku"))
        bought[sku] += int(bought_line.get("quantity", 0))
        catalogue.setdefault(sku, bought_line)
    asked: Counter[str] = Counter()
    priced = []
    for index, line in enumerate(request.lines):
        if line.sku not in catalogue:
            raise Unprocessable(f"{line.sku} is not part of this order", f"lines[{index}].sku")
        asked[line.sku] += line.quantity
        left = bought[line.sku] - already[line.sku]
        if asked[line.sku] > left:
            raise Unprocessable(
                f"only {max(left, 0)} of {line.sku} can still be returned "
                f"({bought[line.sku]} bought, {already[line.sku]} already returned)",
                f"lines[{index}].quantity",
            )
        source = catalogue[line.sku]
        priced.append(
            {
                "sku": line.sku,
                "name": source.get("name"),
                "quantity": line.quantity,
                "unit_price": int(source.get("unit_price", 0)),
                "wanted_variant": line.wanted_variant,
            }
        )
    return priced


def refund_amount(kind: str, lines: Iterable[Mapping[str, Any]]) -> int:
    """Money back in minor units: the lines' value for a refund, 0 for an exchange."""
    if kind != REFUND:
        return 0
    return sum(int(line["unit_price"]) * int(line["quantity"]) for line in lines)


def window_days(settings: object) -> int:
    """The store's return window (``return_window_days``, default 7 days)."""
    days = getattr(settings, "return_window_days", DEFAULT_WINDOW_DAYS)
    return days if isinstance(days, int) and not isinstance(days, bool) and days >= 0 else 7
