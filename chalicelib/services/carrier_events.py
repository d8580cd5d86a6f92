"""Carrier webhooks: validate the events, keep every scan once.

The HTTP edge (:mod:`chalicelib.api.shipments`) checks the signature and parses the
body before anything here runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.domain.shipment_input import parse_events
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import AlreadyExists, EventIdReused
from chalicelib.services.shipments import ShipmentDeps


@dataclass(frozen=True)
class Accepted:
    """What a webhook call stored."""

    stored: int
    duplicates: int
    tracking_numbers: tuple[str, ...]


def accept_events(document: Any, deps: ShipmentDeps) -> Accepted:
    """Validate all events (all or nothing), then store each scan once.

    An event whose ``event_id`` is stored with the same content is a duplicate (counted,
    nothing changes); with other content it is refused with :class:`EventIdReused`
    (409), and the events after it in the batch are not stored. Scans for a tracking
    number the store has not registered yet are stored all the same; they are folded in
    when the parcel is registered.
    """
    events = parse_events(document, deps.settings.store().time_bounds(deps.clock.now()))
    received_at = iso(deps.clock.now())
    stored = duplicates = 0
    for index, event in enumerate(events):
        try:
            added = deps.shipments.add_scan(event.scan, event.carrier, received_at)
        except AlreadyExists:
            raise EventIdReused(f"events[{index}].event_id") from None
        if added:
            stored += 1
        else:
            duplicates += 1
    numbers = tuple(sorted({event.scan.tracking_number for event in events}))
    return Accepted(stored, duplicates, numbers)
