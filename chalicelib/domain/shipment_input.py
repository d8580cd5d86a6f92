"""Validate what stores and carriers send about parcels.

Plain functions over parsed JSON: a shipment registration (``POST /v1/shipments``) and
a carrier webhook body (``POST /v1/carrier-events``). Every error names the field,
with its position in the batch (``events[2].occurred_at``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain import validation
from chalicelib.domain.carriers import normalize, require_carrier
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.times import TimeBounds
from chalicelib.domain.tracking_scan import Scan, parse_datetime
from chalicelib.domain.tracking_status import STATUSES

MAX_EVENTS = 100
"""Events one webhook call may carry."""

_TRACKING_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]{2,63}")


def tracking_number(value: Any, field: str = "tracking_number") -> str:
    """A tracking number: 3 to 64 letters, digits and dashes (it appears in URLs)."""
    if not isinstance(value, str) or not _TRACKING_NUMBER.fullmatch(value):
        raise InvalidInput(f"{field} must be 3 to 64 letters, digits or dashes", field)
    return value


def _promised(value: Any, field: str, bounds: TimeBounds) -> date | None:
    if value is None:
        return None
    return bounds.horizon_day(validation.day(value, field), field)


def _optional_text(value: Any, field: str, max_length: int) -> str | None:
    if value is None or value == "":
        return None
    return validation.text(value, field, max_length)


@dataclass(frozen=True)
class Registration:
    """A parcel the store registers for an order."""

    tracking_number: str
    carrier: str
    order_id: str
    promised_delivery: date | None = None

    def same_as(self, stored: Mapping[str, Any]) -> bool:
        """Whether ``stored`` (a parcel item) records this very registration."""
        promised = None if self.promised_delivery is None else self.promised_delivery.isoformat()
        return (
            stored.get("order_id") == self.order_id
            and stored.get("carrier") == self.carrier
            and stored.get("promised_delivery") == promised
        )


def parse_registration(payload: Any, bounds: TimeBounds) -> Registration:
    """Validate a ``POST /v1/shipments`` body (``promised_delivery`` within ``bounds``)."""
    body = validation.require_object(payload, "body")
    validation.reject_unknown(body, ("tracking_number", "carrier", "order_id", "promised_delivery"))
    return Registration(
        tracking_number=tracking_number(body.get("tracking_number")),
        carrier=require_carrier(body.get("carrier")),
        order_id=validation.identifier(body.get("order_id"), "order_id"),
        promised_delivery=_promised(body.get("promised_delivery"), "promised_delivery", bounds),
    )


@dataclass(frozen=True)
class CarrierEvent:
    """One validated webhook event: the scan and the carrier that reported it."""

    scan: Scan
    carrier: str | None


_EVENT_FIELDS = (
    "event_id",
    "tracking_number",
    "carrier",
    "status",
    "occurred_at",
    "location",
    "description",
    "estimated_delivery",
    "carried_by",
)


def parse_event(payload: Any, bounds: TimeBounds, prefix: str = "") -> CarrierEvent:
    """Validate one carrier event; errors name ``<prefix><field>``.

    ``occurred_at`` is a fact's time and ``estimated_delivery`` a promised date, both
    within ``bounds``.

    ``status`` is a normalized status, or the carrier's raw code when ``carrier`` is
    given (translated with :func:`chalicelib.domain.carriers.normalize`). An
    aggregator names the carrier that carries the parcel in ``carried_by``.
    """
    event = validation.require_object(payload, prefix.rstrip(".") or None)
    validation.reject_unknown(event, _EVENT_FIELDS, prefix)

    def named(field: str) -> str:
        return f"{prefix}{field}"

    event_id = validation.identifier(event.get("event_id"), named("event_id"))
    number = tracking_number(event.get("tracking_number"), named("tracking_number"))
    raw = event.get("status")
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput(f"{named('status')} must be a non-empty string", named("status"))
    carrier: str | None = None
    if event.get("carrier") is not None:
        try:
            carrier = require_carrier(event.get("carrier"))
            status = normalize(carrier, raw)
        except InvalidInput as error:
            raise InvalidInput(error.message, named(error.field or "status")) from None
    elif raw in STATUSES:
        status = raw
    else:
        raise InvalidInput(
            f"unknown status {raw!r}: give a normalized status or the carrier", named("status")
        )
    occurred_at = parse_datetime(event.get("occurred_at"), named("occurred_at"))
    return CarrierEvent(
        scan=Scan(
            event_id=event_id,
            tracking_number=number,
            status=status,
            occurred_at=bounds.fact(occurred_at, named("occurred_at")),
            location=_optional_text(event.get("location"), named("location"), 200),
            description=_optional_text(event.get("description"), named("description"), 500),
            estimated_delivery=_promised(
                event.get("estimated_delivery"), named("estimated_delivery"), bounds
            ),
            raw_status=raw.strip(),
            carried_by=_optional_text(event.get("carried_by"), named("carried_by"), 64),
        ),
        carrier=carrier,
    )


def parse_events(payload: Any, bounds: TimeBounds) -> list[CarrierEvent]:
    """Validate a webhook body ``{"events": [...]}`` (1 to :data:`MAX_EVENTS` events)."""
    body = validation.require_object(payload, "body")
    validation.reject_unknown(body, ("events",))
    events = body.get("events")
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_EVENTS:
        raise InvalidInput(f"events must be a list of 1 to {MAX_EVENTS} events", "events")
    return [parse_event(item, bounds, f"events[{index}].") for index, item in enumerate(events)]
