"""Shop activity the store posts (``POST /v1/events``): cart changes, checkouts, product views.

An event arrives as JSON and :func:`parse_event` turns it into an :class:`ActivityEvent`
or raises :class:`~chalicelib.domain.exceptions.InvalidInput` naming the first bad field
(``items[1].quantity``, ``seconds_viewed``, ...). Items have the fields of order lines;
money is integer minor units.

- ``cart_updated``: ``items`` is the whole cart as it now stands (an empty list empties it);
- ``checkout_started``: the customer went to the checkout (``items`` optional: the cart
  as checked out);
- ``product_viewed``: the product(s) looked at, and ``seconds_viewed`` on the page.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.orders import MAX_LINES, MAX_MINOR_UNITS, MAX_QUANTITY, OrderLine
from chalicelib.domain.times import TimeBounds, iso

CART_UPDATED, CHECKOUT_STARTED, PRODUCT_VIEWED = (
    "cart_updated",
    "checkout_started",
    "product_viewed",
)
EVENT_TYPES = (CART_UPDATED, CHECKOUT_STARTED, PRODUCT_VIEWED)
EVENT_FIELDS = ("event_id", "customer_id", "type", "occurred_at", "items", "seconds_viewed")
_REQUIRED = ("event_id", "customer_id", "type", "occurred_at")
ITEM_FIELDS = tuple(f.name for f in fields(OrderLine))
MAX_VIEWED = 20
"""Products one ``product_viewed`` may name (a page, not a catalog)."""
MAX_SECONDS_VIEWED = 24 * 3600
"""At most a day on one page: more says the tab was left open, not interest."""


@dataclass(frozen=True)
class ActivityEvent:
    """A validated event. ``occurred_at`` keeps the offset the store sent."""

    event_id: str
    customer_id: str
    type: str
    occurred_at: datetime
    items: tuple[OrderLine, ...]
    seconds_viewed: int | None = None

    @property
    def viewed(self) -> tuple[OrderLine, ...]:
        """The products this event says were viewed (none unless ``product_viewed``)."""
        return self.items if self.type == PRODUCT_VIEWED else ()

    def to_payload(self) -> dict[str, Any]:
        """The API/storage form (``occurred_at`` in UTC, so stored times sort as text)."""
        payload: dict[str, Any] = {
            "event_id": self.event_id,
            "customer_id": self.customer_id,
            "type": self.type,
            "occurred_at": iso(self.occurred_at),
            "items": [asdict(item) for item in self.items],
        }
        if self.seconds_viewed is not None:
            payload["seconds_viewed"] = self.seconds_viewed
        return payload

    def digest(self) -> str:
        """A stable digest, to tell an identical replay from a different event."""
        text = json.dumps(self.to_payload(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_event(payload: Any, *, bounds: TimeBounds | None) -> ActivityEvent:
    """Validate an event payload (``bounds`` ``None`` only to rebuild a stored event).

    Raises
    ------
    InvalidInput
        For the first problem, naming its field: an unknown or missing field, an id that
        is not 1 to 128 of ``[A-Za-z0-9._:-]``, an unknown ``type``, ``occurred_at``
        without an offset or outside ``bounds``, a bad item, ``items`` missing from a
        ``cart_updated`` or empty on a ``product_viewed``, ``seconds_viewed`` on another
        type or not an integer from 0 to a day.
    """
    body = v.require_object(payload)
    v.reject_unknown(body, EVENT_FIELDS)
    for name in _REQUIRED:
        if body.get(name) is None:
            raise InvalidInput(f"{name} is required", name)
    kind = v.choice(body["type"], EVENT_TYPES, "type")
    items = _items(body.get("items"), kind)
    return ActivityEvent(
        event_id=v.identifier(body["event_id"], "event_id"),
        customer_id=v.identifier(body["customer_id"], "customer_id"),
        type=kind,
        occurred_at=v.timestamp(body["occurred_at"], "occurred_at", bounds),
        items=items,
        seconds_viewed=_seconds(body.get("seconds_viewed"), kind),
    )


def _items(raw: Any, kind: str) -> tuple[OrderLine, ...]:
    if raw is None:
        if kind == CHECKOUT_STARTED:
            return ()
        raise InvalidInput(f"items is required for {kind}", "items")
    if not isinstance(raw, list):
        raise InvalidInput("items must be a list", "items")
    if kind == PRODUCT_VIEWED and not raw:
        raise InvalidInput("items must name the product viewed", "items")
    most = MAX_VIEWED if kind == PRODUCT_VIEWED else MAX_LINES
    if len(raw) > most:
        raise InvalidInput(f"items must have at most {most} entries for {kind}", "items")
    return tuple(_item(entry, f"items[{index}]") for index, entry in enumerate(raw))


def _item(raw: Any, where: str) -> OrderLine:
    item = v.require_object(raw, where)
    v.reject_unknown(item, ITEM_FIELDS, prefix=f"{where}.")
    for name in ITEM_FIELDS:
        if item.get(name) is None:
            raise InvalidInput(f"{where}.{name} is required", f"{where}.{name}")
    return OrderLine(
        sku=v.text(item["sku"], f"{where}.sku", 128),
        name=v.text(item["name"], f"{where}.name", 200),
        category=v.text(item["category"], f"{where}.category", 100),
        quantity=_bounded(item["quantity"], f"{where}.quantity", 1, MAX_QUANTITY),
        unit_price=_bounded(item["unit_price"], f"{where}.unit_price", 0, MAX_MINOR_UNITS - 1),
    )


def _seconds(raw: Any, kind: str) -> int | None:
    if raw is None:
        return None
    if kind != PRODUCT_VIEWED:
        raise InvalidInput("seconds_viewed is only for product_viewed", "seconds_viewed")
    return _bounded(raw, "seconds_viewed", 0, MAX_SECONDS_VIEWED)


def _bounded(value: Any, field: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{field} must be an integer", field)
    if not low <= value <= high:
        raise InvalidInput(f"{field} must be from {low} to {high}", field)
    return value
