"""What the world is told about a parcel: tracking-topic messages and milestone mail.

Pure functions: a :class:`~chalicelib.domain.tracking_publish.Transition` of one parcel
becomes one topic message (with a deterministic ``key`` subscribers de-duplicate on)
and, when it deserves one, one mail with a deterministic outbox key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.carriers import carrier_name, carrying_carrier
from chalicelib.domain.tracking import ParcelState
from chalicelib.domain.tracking_publish import MILESTONE_MAIL_KINDS, Transition, mail_kind


def transition_key(tracking_number: str, transition: Transition) -> str:
    """The id of one publication of one parcel: the same on every retry."""
    return f"{tracking_number}#{transition.key}"


def topic_message(
    tracking_number: str, order_id: str | None, transition: Transition
) -> dict[str, Any]:
    """The JSON published on the tracking topic for ``transition``."""
    data = transition.to_dict()
    return {
        "key": transition_key(tracking_number, transition),
        "tracking_number": tracking_number,
        "order_id": order_id,
        "status": data["status"],
        "previous_status": data["previous_status"],
        "occurred_at": data["occurred_at"],
        "estimated_delivery": data["estimated_delivery"],
        "milestone": data["milestone"],
    }


def mail_key(tracking_number: str, kind: str, transition_key_part: str) -> str:
    """Outbox key of a shipment mail: once per milestone, once per problem episode."""
    if kind in MILESTONE_MAIL_KINDS:
        return f"shipment#{tracking_number}#{kind}"
    return f"shipment#{tracking_number}#{transition_key_part}"


def zone(name: str | None) -> ZoneInfo:
    """The customer's time zone (UTC when unknown)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_time(moment: datetime, time_zone: str | None) -> str:
    """``moment`` in the customer's zone, as ``YYYY-MM-DD HH:MM``.

    A moment the zone cannot express (``0001-01-01T00:00+14:00`` is still year 0 in
    UTC) is shown in its own offset, ``YYYY-MM-DD HH:MM UTC+14:00``, never an error.
    """
    try:
        return moment.astimezone(zone(time_zone)).strftime("%Y-%m-%d %H:%M")
    except OverflowError:
        text = moment.isoformat(timespec="minutes")
        return f"{text[:10]} {text[11:16]} UTC{text[16:]}"


def mail_context(
    message: dict[str, Any],
    state: ParcelState,
    carrier: str | None,
    time_zone: str | None,
    tracking_url: str,
    survey_url: str | None = None,
    locale: str = "en",
    promised_delivery: str | None = None,
) -> dict[str, Any]:
    """What a shipment mail template reads (dates in the customer's zone).

    ``carrier`` is the name of the carrier that carries the parcel in the reader's
    language (an aggregator's scans say which one), or ``None`` when nobody said;
    ``promised_delivery`` is the date the store registered with the parcel.
    """
    last = state.history[-1] if state.history else None
    occurred = datetime.fromisoformat(message["occurred_at"])
    carrying = carrying_carrier(carrier, (scan.carried_by for scan in state.history))
    return {
        "tracking_number": message["tracking_number"],
        "order_id": message["order_id"],
        "carrier": carrier_name(carrying, locale),
        "status": message["status"],
        "occurred_at": local_time(occurred, time_zone),
        "estimated_delivery": message["estimated_delivery"],
        "promised_delivery": promised_delivery,
        "location": last.location if last else None,
        "tracking_url": tracking_url,
        "survey_url": survey_url,
    }


__all__ = [
    "MILESTONE_MAIL_KINDS",
    "local_time",
    "mail_context",
    "mail_key",
    "mail_kind",
    "topic_message",
    "transition_key",
    "zone",
]
