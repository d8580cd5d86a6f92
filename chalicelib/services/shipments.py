"""Parcels: registration by the store, and the public view behind the tracking link."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.carriers import carrying_carrier
from chalicelib.domain.exceptions import Conflict, NotFound
from chalicelib.domain.shipment_input import parse_registration
from chalicelib.domain.times import iso, parse_iso
from chalicelib.domain.tracking import ParcelState, status_scan
from chalicelib.domain.tracking_status import PROGRESS_STATUSES, level
from chalicelib.services.exceptions import AlreadyExists
from chalicelib.services.ports import (
    Clock,
    CustomerRepository,
    LinkSigner,
    Outbox,
    ReturnRepository,
    SettingsStore,
    ShipmentRepository,
    SurveyRepository,
    TrackingPublisher,
)

TRACK_PURPOSE = "track"
SURVEY_PURPOSE = "survey"
TRACKING_LINK_LIFETIME = timedelta(days=400)
SURVEY_LINK_LIFETIME = timedelta(days=60)


@dataclass(frozen=True)
class ShipmentDeps:
    """The ports the shipment use cases need (wired in ``bootstrap``)."""

    shipments: ShipmentRepository
    returns: ReturnRepository
    surveys: SurveyRepository
    publisher: TrackingPublisher
    outbox: Outbox
    customers: CustomerRepository
    settings: SettingsStore
    signer: LinkSigner
    clock: Clock
    public_base_url: str
    carrier_secret: Callable[[], bytes]  # the current key, read at run time


@dataclass(frozen=True)
class Registered:
    """Outcome of a registration: the parcel and whether it was created now."""

    parcel: dict[str, Any]
    created: bool


def tracking_url(deps: ShipmentDeps, tracking_number: str, registered_at: str) -> str:
    """The public tracking link (stable for a parcel: the expiry derives from registration)."""
    expires = parse_iso(registered_at) + TRACKING_LINK_LIFETIME
    token = deps.signer.sign(TRACK_PURPOSE, tracking_number, expires)
    return f"{deps.public_base_url}/v1/track/{tracking_number}?t={token}"


def survey_url(deps: ShipmentDeps, tracking_number: str, now: datetime) -> str:
    """The signed satisfaction survey link sent with the delivery mail."""
    token = deps.signer.sign(SURVEY_PURPOSE, tracking_number, now + SURVEY_LINK_LIFETIME)
    return f"{deps.public_base_url}/v1/surveys?t={token}"


def register_shipment(payload: Any, deps: ShipmentDeps, correlation_id: str | None) -> Registered:
    """Register a parcel for an order: 201 new, 200 identical replay, 404 or 409."""
    registration = parse_registration(payload, deps.settings.store().time_bounds(deps.clock.now()))
    existing = deps.shipments.parcel(registration.tracking_number)
    if existing is None:
        order = deps.shipments.order(registration.order_id)
        if order is None:
            raise NotFound("no order with this id", "order_id")
        parcel = {
            "tracking_number": registration.tracking_number,
            "carrier": registration.carrier,
            "order_id": registration.order_id,
            "customer_id": order["customer_id"],
            "registered_at": iso(deps.clock.now()),
            "promised_delivery": (
                None
                if registration.promised_delivery is None
                else registration.promised_delivery.isoformat()
            ),
            "correlation_id": correlation_id,
        }
        try:
            deps.shipments.register(parcel)
            return Registered(parcel, True)
        except AlreadyExists:
            existing = deps.shipments.parcel(registration.tracking_number)
    assert existing is not None
    if registration.same_as(existing):
        return Registered(existing, False)
    if existing.get("order_id") != registration.order_id:
        raise Conflict("this tracking number is registered to another order", "tracking_number")
    raise Conflict(
        "this tracking number is registered with a different carrier or promised date",
        "tracking_number",
    )


def parcel_view(parcel: dict[str, Any], deps: ShipmentDeps) -> dict[str, Any]:
    """The store's view of a registered parcel."""
    state = stored_state(parcel)
    return {
        "tracking_number": parcel["tracking_number"],
        "carrier": parcel.get("carrier"),
        "order_id": parcel.get("order_id"),
        "customer_id": parcel.get("customer_id"),
        "promised_delivery": parcel.get("promised_delivery"),
        "registered_at": parcel.get("registered_at"),
        "status": state.status or "pending",
        "tracking_url": tracking_url(deps, parcel["tracking_number"], parcel["registered_at"]),
    }


def stored_state(parcel: dict[str, Any]) -> ParcelState:
    """The folded state stored on a parcel (empty before the first scan is folded)."""
    raw = parcel.get("state")
    return ParcelState.from_dict(json.loads(raw)) if raw else ParcelState()


def public_tracking(parcel: dict[str, Any]) -> dict[str, Any]:
    """What anyone holding the tracking link may see (no customer data).

    ``carried_by`` is the carrier that carries the parcel (our id, e.g. ``sf_express``,
    as an aggregator's scans report it). In the history, newest first, the scan that
    set the current status has ``sets_status``; newer scans that did not change it
    (a side scan after delivery) have ``after_status``.
    """
    state = stored_state(parcel)
    status = state.status or "pending"
    reached = level(state.milestone)
    reached_at = dict(state.milestones)
    progress = [
        {
            "status": step,
            "reached": level(step) <= reached,
            "reached_at": iso(reached_at[step]) if step in reached_at else None,
        }
        for step in PROGRESS_STATUSES[1:]
    ]
    setting = status_scan(state.history)
    position = state.history.index(setting) if setting is not None else len(state.history)
    return {
        "tracking_number": parcel["tracking_number"],
        "carrier": parcel.get("carrier"),
        "carried_by": carrying_carrier(
            parcel.get("carrier"), (scan.carried_by for scan in state.history)
        ),
        "order_id": parcel.get("order_id"),
        "status": status,
        "status_since": None if state.status_since is None else iso(state.status_since),
        "milestone": state.milestone,
        "estimated_delivery": (
            None if state.estimated_delivery is None else state.estimated_delivery.isoformat()
        ),
        "promised_delivery": parcel.get("promised_delivery"),
        "delivered_at": None if state.delivered_at is None else iso(state.delivered_at),
        "progress": progress,
        "history": [
            {
                "occurred_at": scan.occurred_at.isoformat(),
                "status": scan.status,
                "location": scan.location,
                "description": scan.description,
                "sets_status": index == position,
                "after_status": index > position,
            }
            for index, scan in reversed(list(enumerate(state.history)))
        ],
    }
