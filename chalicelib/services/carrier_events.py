"""Carrier webhooks: authenticate the raw body, validate, keep every scan once."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from chalicelib.domain.shipment_input import parse_events
from chalicelib.domain.times import iso
from chalicelib.http.bodies import json_body
from chalicelib.http.exceptions import Unauthorized
from chalicelib.services.shipments import ShipmentDeps

SIGNATURE_HEADER = "X-Rapport-Signature"
SIGNATURE_PREFIX = "sha256="


def signature(secret: bytes, raw_body: bytes) -> str:
    """The header value a carrier sends: ``sha256=<hex HMAC-SHA256 of the raw body>``."""
    return SIGNATURE_PREFIX + hmac.new(secret, raw_body, hashlib.sha256).hexdigest()


def verify_signature(secret: bytes, raw_body: bytes, header: str | None) -> None:
    """Raise :class:`Unauthorized` unless ``header`` signs ``raw_body`` (constant time)."""
    expected = signature(secret, raw_body).encode("ascii")
    given = (header or "").strip().encode("utf-8", "replace")
    if not hmac.compare_digest(expected, given.lower()):
        raise Unauthorized("missing or wrong signature", SIGNATURE_HEADER)


@dataclass(frozen=True)
class Accepted:
    """What a webhook call stored."""

    stored: int
    duplicates: int
    tracking_numbers: tuple[str, ...]


def accept_events(raw_body: bytes | None, header: str | None, deps: ShipmentDeps) -> Accepted:
    """Verify, validate all events (all or nothing), then store each scan once.

    Scans for a tracking number the store has not registered yet are stored all the
    same; they are folded in when the parcel is registered.
    """
    verify_signature(deps.carrier_secret(), raw_body or b"", header)
    events = parse_events(json_body(raw_body))
    received_at = iso(deps.clock.now())
    stored = duplicates = 0
    for event in events:
        if deps.shipments.add_scan(event.scan, event.carrier, received_at):
            stored += 1
        else:
            duplicates += 1
    numbers = tuple(sorted({event.scan.tracking_number for event in events}))
    return Accepted(stored, duplicates, numbers)
