"""Tests of the carrier code tables."""

from __future__ import annotations

import pytest

from chalicelib.domain.carriers import CARRIER_CODES, CARRIERS, normalize, require_carrier
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.tracking_status import STATUSES


@pytest.mark.parametrize(
    ("carrier", "raw", "status"),
    [
        ("ups", "M", "info_received"),
        ("ups", "P", "in_transit"),
        ("ups", "I", "in_transit"),
        ("ups", "O", "out_for_delivery"),
        ("ups", "D", "delivered"),
        ("ups", "X", "exception"),
        ("ups", "MV", "exception"),
        ("ups", "RS", "returning_to_sender"),
        ("fedex", "OC", "info_received"),
        ("fedex", "PU", "in_transit"),
        ("fedex", "OD", "out_for_delivery"),
        ("fedex", "HP", "available_for_pickup"),
        ("fedex", "DE", "attempt_failed"),
        ("fedex", "DL", "delivered"),
        ("fedex", "SE", "exception"),
        ("fedex", "RS", "returning_to_sender"),
        ("kuaidi100", "101", "info_received"),
        ("kuaidi100", "1", "in_transit"),
        ("kuaidi100", "0", "in_transit"),
        ("kuaidi100", "5", "out_for_delivery"),
        ("kuaidi100", "501", "available_for_pickup"),
        ("kuaidi100", "204", "attempt_failed"),
        ("kuaidi100", "3", "delivered"),
        ("kuaidi100", "304", "delivered"),
        ("kuaidi100", "2", "exception"),
        ("kuaidi100", "14", "exception"),
        ("kuaidi100", "6", "returning_to_sender"),
        ("kuaidi100", "4", "returned"),
        ("aftership", "AttemptFail", "attempt_failed"),
        ("aftership", "Expired", "expired"),
        ("easypost", "pre_transit", "info_received"),
        ("easypost", "return_to_sender", "returning_to_sender"),
    ],
)
def test_known_codes(carrier: str, raw: str, status: str) -> None:
    assert normalize(carrier, raw) == status


@pytest.mark.parametrize("status", STATUSES)
def test_rapport_accepts_every_normalized_status(status: str) -> None:
    assert normalize("rapport", status) == status


def test_matching_ignores_case_and_spaces() -> None:
    assert normalize(" UPS ", " d ") == "delivered"
    assert normalize("AfterShip", "intransit") == "in_transit"


def test_every_table_maps_to_normalized_statuses() -> None:
    assert {"rapport", "ups", "fedex", "kuaidi100"} <= CARRIERS
    for codes in CARRIER_CODES.values():
        assert set(codes.values()) <= set(STATUSES)


@pytest.mark.parametrize("carrier", ["dhl", "", "   ", None])
def test_unknown_carrier_names_the_carrier_field(carrier: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize(carrier, "D")  # type: ignore[arg-type]
    assert caught.value.field == "carrier"
    with pytest.raises(InvalidInput):
        require_carrier(carrier)


@pytest.mark.parametrize(
    ("carrier", "raw"),
    [("ups", "ZZ"), ("kuaidi100", "99"), ("rapport", "lost"), ("fedex", ""), ("ups", None)],
)
def test_unknown_code_names_the_status_field(carrier: str, raw: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize(carrier, raw)  # type: ignore[arg-type]
    assert caught.value.field == "status"
