"""The carrier customers read about: the one carrying the parcel, in their language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.carriers import (
    CARRIER_NAMES,
    REPORTED_CARRIERS,
    carrier_name,
    carrying_carrier,
)
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.shipment_input import parse_event
from chalicelib.domain.times import TimeBounds

BOUNDS = TimeBounds(datetime(2026, 12, 1, tzinfo=UTC), timedelta(minutes=10))


def test_a_carrier_that_carries_its_own_parcels_is_itself() -> None:
    assert carrying_carrier("fedex", ["shunfeng"]) == "fedex"
    assert carrying_carrier("UPS") == "ups"


@pytest.mark.parametrize(
    ("aggregator", "code", "carrier"),
    [
        ("kuaidi100", "shunfeng", "sf_express"),
        ("kuaidi100", "ZhongTong", "zto"),
        ("aftership", "sf-express", "sf_express"),
        ("easypost", "DHLExpress", "dhl"),
        ("rapport", "jd", "jd"),
    ],
)
def test_an_aggregator_reports_the_real_carrier(aggregator: str, code: str, carrier: str) -> None:
    assert carrying_carrier(aggregator, [None, code]) == carrier


def test_the_newest_known_report_wins_and_unknown_codes_are_ignored() -> None:
    assert carrying_carrier("kuaidi100", ["shunfeng", "zhongtong", "nobody-knows"]) == "zto"
    assert carrying_carrier("kuaidi100", ["nobody-knows"]) is None
    assert carrying_carrier("kuaidi100") is None
    assert carrying_carrier(None) is None


def test_names_in_both_languages() -> None:
    assert carrier_name("sf_express", "zh-CN") == "顺丰速运"
    assert carrier_name("sf_express", "en") == "SF Express"
    assert carrier_name("sf_express", "fr") == "SF Express"
    assert carrier_name(None, "zh-CN") is None
    assert set(CARRIER_NAMES["en"]) == set(CARRIER_NAMES["zh-CN"])


def test_every_reported_code_leads_to_a_named_carrier() -> None:
    for codes in REPORTED_CARRIERS.values():
        assert set(codes.values()) <= set(CARRIER_NAMES["en"])


def test_the_webhook_keeps_carried_by_on_the_scan() -> None:
    event = {
        "event_id": "k-1",
        "tracking_number": "SF1234567890",
        "carrier": "kuaidi100",
        "carried_by": "shunfeng",
        "status": "0",
        "occurred_at": "2026-11-20T10:00:00+08:00",
    }
    scan = parse_event(event, BOUNDS).scan
    assert scan.carried_by == "shunfeng"
    assert scan.to_dict()["carried_by"] == "shunfeng"
    with pytest.raises(InvalidInput) as error:
        parse_event({**event, "carried_by": "x" * 65}, BOUNDS, "events[0].")
    assert error.value.field == "events[0].carried_by"
