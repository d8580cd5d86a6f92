"""Registration and carrier-event validation, and the topic message of a transition."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.shipment_input import parse_event, parse_events, parse_registration
from chalicelib.domain.shipment_messages import mail_key, topic_message
from chalicelib.domain.times import TimeBounds
from chalicelib.domain.tracking_publish import Transition

BOUNDS = TimeBounds(datetime(2026, 12, 1, tzinfo=UTC), timedelta(minutes=10))

EVENT = {
    "event_id": "e-1",
    "tracking_number": "1Z999AA10123456784",
    "carrier": "ups",
    "status": "D",
    "occurred_at": "2026-11-22T10:00:00-05:00",
    "estimated_delivery": "2026-11-22",
}


def test_raw_codes_are_normalized_and_normalized_statuses_pass() -> None:
    event = parse_event(EVENT, BOUNDS)
    assert event.scan.status == "delivered" and event.scan.raw_status == "D"
    assert event.carrier == "ups" and event.scan.estimated_delivery == date(2026, 11, 22)
    plain = {k: v for k, v in EVENT.items() if k != "carrier"} | {"status": "in_transit"}
    assert parse_event(plain, BOUNDS).scan.status == "in_transit"
    with pytest.raises(InvalidInput) as error:
        parse_event({k: v for k, v in EVENT.items() if k != "carrier"}, BOUNDS)
    assert error.value.field == "status"  # a raw code needs its carrier


def test_errors_carry_the_event_position() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_events({"events": [EVENT, {**EVENT, "tracking_number": "a b"}]}, BOUNDS)
    assert error.value.field == "events[1].tracking_number"
    with pytest.raises(InvalidInput) as error:
        parse_events({"events": [EVENT] * 101}, BOUNDS)
    assert error.value.field == "events"


def test_registration() -> None:
    parsed = parse_registration(
        {
            "tracking_number": "SF123",
            "carrier": "Kuaidi100",
            "order_id": "o-1",
            "promised_delivery": "2026-11-30",
        },
        BOUNDS,
    )
    assert parsed.carrier == "kuaidi100" and parsed.promised_delivery == date(2026, 11, 30)
    assert parsed.same_as(
        {"order_id": "o-1", "carrier": "kuaidi100", "promised_delivery": "2026-11-30"}
    )
    with pytest.raises(InvalidInput) as error:
        parse_registration(
            {
                "tracking_number": "SF123",
                "carrier": "ups",
                "order_id": "o-1",
                "promised_delivery": "soon",
            },
            BOUNDS,
        )
    assert error.value.field == "promised_delivery"


@pytest.mark.parametrize(
    "occurred_at",
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-12:00",
        "2026-12-01T00:10:00.001+00:00",
        "1999-12-31T23:59:59+00:00",
    ],
)
def test_a_scan_time_lies_from_2000_to_now_plus_the_skew(occurred_at: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_events({"events": [EVENT, {**EVENT, "occurred_at": occurred_at}]}, BOUNDS)
    assert error.value.field == "events[1].occurred_at"
    at_the_limit = parse_event({**EVENT, "occurred_at": "2026-12-01T08:10:00+08:00"}, BOUNDS)
    assert at_the_limit.scan.occurred_at == datetime(2026, 12, 1, 0, 10, tzinfo=UTC)


@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31", "2027-12-03", "20261201"])
def test_delivery_dates_lie_from_2000_to_a_year_ahead(day: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_event({**EVENT, "estimated_delivery": day}, BOUNDS, "events[0].")
    assert error.value.field == "events[0].estimated_delivery"
    with pytest.raises(InvalidInput) as error:
        parse_registration(
            {
                "tracking_number": "SF123",
                "carrier": "ups",
                "order_id": "o-1",
                "promised_delivery": day,
            },
            BOUNDS,
        )
    assert error.value.field == "promised_delivery"
    a_year_ahead = parse_event({**EVENT, "estimated_delivery": "2027-12-02"}, BOUNDS)
    assert a_year_ahead.scan.estimated_delivery == date(2027, 12, 2)


def test_topic_message_and_mail_keys_are_deterministic() -> None:
    at = datetime(2026, 11, 22, 15, tzinfo=UTC)
    milestone = Transition("delivered", "out_for_delivery", at, None, True)
    problem = Transition("attempt_failed", "out_for_delivery", at, None, False)
    message = topic_message("T1", "o-1", milestone)
    assert message == {
        "key": "T1#delivered",
        "tracking_number": "T1",
        "order_id": "o-1",
        "status": "delivered",
        "previous_status": "out_for_delivery",
        "occurred_at": "2026-11-22T15:00:00+00:00",
        "estimated_delivery": None,
        "milestone": True,
    }
    assert mail_key("T1", "delivered", milestone.key) == "shipment#T1#delivered"
    assert mail_key("T1", "attempt_failed", problem.key) == (
        "shipment#T1#attempt_failed@2026-11-22T15:00:00+00:00/after-out_for_delivery"
    )
