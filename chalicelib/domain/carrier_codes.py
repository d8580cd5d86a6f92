"""Carrier status codes mapped to Rapport's normalized tracking statuses.

Each table maps one carrier's (or tracking aggregator's) raw codes to a status of
:mod:`chalicelib.domain.tracking_status`. Codes are matched after trimming and
case-folding. Sources and the reasoning for each choice are in ``docs/tracking.md``.

* ``rapport``: the normalized statuses themselves (stores that normalize upstream).
* ``ups``: UPS Tracking API activity status types (``activity.status.type``).
* ``fedex``: FedEx Track API scan event types (``scanEvents[].eventType``).
* ``kuaidi100``: 快递100 (Kuaidi100) ``state`` codes with the ``resultv2=4``
  sub-states; it aggregates China Post, EMS, SF Express, ZTO, YTO, Yunda, JD and the
  other Chinese carriers under one vocabulary.
* ``aftership``: AfterShip tags; ``easypost``: EasyPost tracker statuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.tracking_status import (
    ATTEMPT_FAILED,
    AVAILABLE_FOR_PICKUP,
    DELIVERED,
    EXCEPTION,
    EXPIRED,
    IN_TRANSIT,
    INFO_RECEIVED,
    OUT_FOR_DELIVERY,
    PENDING,
    RETURNED,
    RETURNING_TO_SENDER,
    STATUSES,
)

_UPS = {
    "M": INFO_RECEIVED,  # Billing Information Received (label created)
    "MV": EXCEPTION,  # Billing Information Voided (shipment cancelled)
    "P": IN_TRANSIT,  # Pickup
    "I": IN_TRANSIT,  # In Transit
    "W": IN_TRANSIT,  # Warehousing (freight)
    "DO": IN_TRANSIT,  # Delivered Origin CFS (freight)
    "DD": IN_TRANSIT,  # Delivered Destination CFS (freight)
    "O": OUT_FOR_DELIVERY,  # Out for Delivery
    "D": DELIVERED,  # Delivered
    "X": EXCEPTION,  # Exception
    "RS": RETURNING_TO_SENDER,  # Returned to Shipper
    "NA": PENDING,  # Not Available
}

_FEDEX = {
    "OC": INFO_RECEIVED,  # Shipment information sent to FedEx
    "PU": IN_TRANSIT,  # Picked up
    "AR": IN_TRANSIT,  # Arrived at FedEx location
    "AF": IN_TRANSIT,  # At local FedEx facility
    "DP": IN_TRANSIT,  # Departed FedEx location
    "IT": IN_TRANSIT,  # In transit
    "AO": IN_TRANSIT,  # Shipment arriving on-time
    "OF": IN_TRANSIT,  # At FedEx origin facility
    "LO": IN_TRANSIT,  # Left FedEx origin facility
    "FD": IN_TRANSIT,  # At FedEx destination facility
    "SF": IN_TRANSIT,  # At sort facility
    "AA": IN_TRANSIT,  # At airport
    "PF": IN_TRANSIT,  # Plane in flight
    "PL": IN_TRANSIT,  # Plane landed
    "TR": IN_TRANSIT,  # Transfer
    "CP": IN_TRANSIT,  # Clearance in progress
    "CC": IN_TRANSIT,  # International shipment release (cleared customs)
    "DY": IN_TRANSIT,  # Delay (the estimate moves; nothing for the customer to do)
    "DD": IN_TRANSIT,  # Delivery delay
    "HA": IN_TRANSIT,  # Hold at location request accepted
    "RR": IN_TRANSIT,  # Delivery option requested
    "OD": OUT_FOR_DELIVERY,  # On FedEx vehicle for delivery
    "HL": AVAILABLE_FOR_PICKUP,  # Hold at location
    "HP": AVAILABLE_FOR_PICKUP,  # Ready for recipient pickup
    "DL": DELIVERED,  # Delivered
    "DE": ATTEMPT_FAILED,  # Delivery exception (recipient absent, business closed...)
    "SE": EXCEPTION,  # Shipment exception
    "CD": EXCEPTION,  # Clearance delay (held by customs)
    "CA": EXCEPTION,  # Shipment cancelled
    "RS": RETURNING_TO_SENDER,  # Return to shipper
}

_KUAIDI100 = {
    "101": INFO_RECEIVED,  # 已下单 order placed
    "102": INFO_RECEIVED,  # 待揽收 awaiting collection
    "1": IN_TRANSIT,  # 揽收 collected
    "103": IN_TRANSIT,  # 已揽收 collected
    "0": IN_TRANSIT,  # 在途 in transit
    "1001": IN_TRANSIT,  # 到达派件城市 arrived in the delivery city
    "1002": IN_TRANSIT,  # 干线 trunk line
    "1003": IN_TRANSIT,  # 转递 forwarded
    "7": IN_TRANSIT,  # 转投 handed to another carrier
    "8": IN_TRANSIT,  # 清关 customs
    "10": IN_TRANSIT,  # 待清关 awaiting customs clearance
    "11": IN_TRANSIT,  # 清关中 clearing customs
    "12": IN_TRANSIT,  # 已清关 cleared customs
    "13": EXCEPTION,  # 清关异常 customs problem
    "5": OUT_FOR_DELIVERY,  # 派件 out for delivery
    "501": AVAILABLE_FOR_PICKUP,  # 投柜或驿站 in a parcel locker or pickup station
    "3": DELIVERED,  # 签收 signed for
    "301": DELIVERED,  # 本人签收 signed by the recipient
    "302": DELIVERED,  # 派件异常后签收 signed after a delivery problem
    "303": DELIVERED,  # 代签 signed by someone else
    "304": DELIVERED,  # 投柜或站签收 collected from a locker or station
    "2": EXCEPTION,  # 疑难 problem
    "201": EXCEPTION,  # 超时未签收 not signed for in time
    "202": EXCEPTION,  # 超时未更新 no update for too long
    "203": EXCEPTION,  # 拒收 refused
    "204": ATTEMPT_FAILED,  # 派件异常 delivery failed
    "205": EXCEPTION,  # 柜或驿站超时未取 not collected from the locker or station
    "206": ATTEMPT_FAILED,  # 无法联系 recipient unreachable
    "207": EXCEPTION,  # 超区 outside the delivery area
    "208": EXCEPTION,  # 滞留 held up
    "209": EXCEPTION,  # 破损 damaged
    "210": EXCEPTION,  # 销单 waybill cancelled
    "14": EXCEPTION,  # 拒签 refused by the recipient
    "6": RETURNING_TO_SENDER,  # 退回 on the way back to the sender
    "4": RETURNED,  # 退签 returned and signed for by the sender
    "401": EXCEPTION,  # 已销单 waybill cancelled
}

_AFTERSHIP = {
    "Pending": PENDING,
    "InfoReceived": INFO_RECEIVED,
    "InTransit": IN_TRANSIT,
    "OutForDelivery": OUT_FOR_DELIVERY,
    "AttemptFail": ATTEMPT_FAILED,
    "Delivered": DELIVERED,
    "AvailableForPickup": AVAILABLE_FOR_PICKUP,
    "Exception": EXCEPTION,
    "Expired": EXPIRED,
}

_EASYPOST = {
    "unknown": PENDING,
    "pre_transit": INFO_RECEIVED,
    "in_transit": IN_TRANSIT,
    "out_for_delivery": OUT_FOR_DELIVERY,
    "delivered": DELIVERED,
    "available_for_pickup": AVAILABLE_FOR_PICKUP,
    "return_to_sender": RETURNING_TO_SENDER,
    "failure": EXCEPTION,
    "cancelled": EXCEPTION,
    "error": EXCEPTION,
}


def code_table(codes: Mapping[str, str]) -> Mapping[str, str]:
    """A read-only copy of ``codes`` keyed by the case-folded code."""
    return MappingProxyType({code.casefold(): status for code, status in codes.items()})


CARRIER_CODES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "rapport": code_table({status: status for status in STATUSES}),
        "ups": code_table(_UPS),
        "fedex": code_table(_FEDEX),
        "kuaidi100": code_table(_KUAIDI100),
        "aftership": code_table(_AFTERSHIP),
        "easypost": code_table(_EASYPOST),
    }
)
"""Per carrier, its case-folded raw codes and the normalized status of each."""

CARRIERS: frozenset[str] = frozenset(CARRIER_CODES)
"""The carrier names :func:`normalize` accepts."""


def require_carrier(carrier: object) -> str:
    """Return the canonical (trimmed, lower-case) name of a known carrier.

    Raises
    ------
    InvalidInput
        With field ``carrier`` if the carrier is unknown.
    """
    name = carrier.strip().casefold() if isinstance(carrier, str) else ""
    if name not in CARRIER_CODES:
        raise InvalidInput(f"unknown carrier: {carrier!r}", "carrier")
    return name


def normalize(carrier: str, raw_status: str) -> str:
    """Map a carrier's raw status code to a normalized status.

    Parameters
    ----------
    carrier
        A carrier name from :data:`CARRIERS` (case-insensitive).
    raw_status
        The carrier's code, e.g. ``"D"`` for UPS or ``"501"`` for Kuaidi100
        (case-insensitive, surrounding spaces ignored).

    Returns
    -------
    str
        A status of :data:`~chalicelib.domain.tracking_status.STATUSES`.

    Raises
    ------
    InvalidInput
        With field ``carrier`` for an unknown carrier, or field ``status`` for a
        code the carrier's table does not know.
    """
    codes = CARRIER_CODES[require_carrier(carrier)]
    code = raw_status.strip().casefold() if isinstance(raw_status, str) else None
    if code is None or code not in codes:
        raise InvalidInput(f"unknown {carrier.strip()} status code: {raw_status!r}", "status")
    return codes[code]
