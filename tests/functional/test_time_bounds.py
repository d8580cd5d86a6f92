"""Every time the API takes is bounded: from 2000-01-01 to now plus the clock-skew allowance.

The allowance is the store setting ``clock_skew_minutes`` (default 10). Out-of-range
times, including those whose UTC form overflows, answer 400 naming the field and
store nothing.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.shipment_fixtures import (
    LINES,
    fixture,
    post_events,
    pump,
    put_order,
    register,
    sign_up,
)

EVENT = fixture("carrier_events_fedex_journey.json")["events"][0]

OUT_OF_RANGE = [
    "2030-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T00:00:00+00:00",
    "1900-01-01T00:00:00+00:00",
    "1999-12-31T23:59:59Z",
]


def ahead(minutes: int) -> str:
    """Now plus ``minutes``, as a carrier in UTC+8 would write it."""
    moment = datetime.now(UTC) + timedelta(minutes=minutes)
    return moment.astimezone(timezone(timedelta(hours=8))).isoformat()


def order(order_id: str, placed_at: str) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "customer_id": "c-time",
        "placed_at": placed_at,
        "currency": "CNY",
        "lines": [
            {"sku": "TEA", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 100}
        ],
        "total": 100,
        "payment_method": "card",
    }


def post_order(stack: Stack, order_id: str, placed_at: str) -> Any:
    body = json.dumps(order(order_id, placed_at))
    return stack.http.post("/v1/orders", headers=STORE, body=body)


def error_of(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.body
    error: dict[str, Any] = response.json_body["error"]
    return error


def put_settings(stack: Stack, body: dict[str, Any]) -> Any:
    return stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=json.dumps(body))


@pytest.mark.parametrize("placed_at", OUT_OF_RANGE)
def test_an_order_placed_out_of_range_is_400_naming_placed_at_and_not_counted(
    stack: Stack, placed_at: str
) -> None:
    sign_up(stack, "c-time")
    error = error_of(post_order(stack, "o-far", placed_at))
    assert error["field"] == "placed_at" and error["message"].startswith("placed_at ")
    assert stack.http.get("/v1/orders/o-far", headers=STORE).status_code == 404
    stack.pump()
    stats = stack.http.get("/v1/customers/c-time", headers=STORE).json_body["stats"]
    assert stats["orders"] == 0 and stats["last_order_at"] is None


def test_orders_take_a_few_minutes_of_clock_skew_and_no_more(stack: Stack) -> None:
    sign_up(stack, "c-time")
    assert post_order(stack, "o-now", ahead(5)).status_code == 201
    error = error_of(post_order(stack, "o-later", ahead(11)))
    assert error == {
        "code": "invalid_input",
        "message": "placed_at is in the future (more than 10 minutes after now)",
        "field": "placed_at",
    }
    assert post_order(stack, "o-2000", "2000-01-01T00:00:00Z").status_code == 201


def test_the_skew_allowance_is_a_store_setting(stack: Stack) -> None:
    sign_up(stack, "c-time")
    settings = stack.http.get("/v1/admin/settings/store", headers=ADMIN).json_body
    assert settings["clock_skew_minutes"] == 10
    assert put_settings(stack, {"clock_skew_minutes": 0}).status_code == 200
    assert error_of(post_order(stack, "o-5", ahead(5)))["field"] == "placed_at"
    assert put_settings(stack, {"clock_skew_minutes": 30}).status_code == 200
    assert post_order(stack, "o-11", ahead(11)).status_code == 201
    for bad in (61, -1, "10", True):
        assert error_of(put_settings(stack, {"clock_skew_minutes": bad}))["field"] == (
            "clock_skew_minutes"
        )


@pytest.mark.parametrize("occurred_at", OUT_OF_RANGE)
def test_a_carrier_scan_out_of_range_is_400_naming_the_event_and_stores_nothing(
    stack: Stack, occurred_at: str
) -> None:
    good = {**EVENT, "event_id": "ok-1", "occurred_at": ahead(-60)}
    bad = {**EVENT, "event_id": "far-1", "occurred_at": occurred_at}
    error = error_of(post_events(stack, [good, bad]))
    assert error["field"] == "events[1].occurred_at"
    scans = stack.dynamodb().scan(TableName=stack.env["RAPPORT_SHIPMENTS_TABLE"])["Items"]
    assert scans == []


def test_carrier_scans_take_a_few_minutes_of_clock_skew_and_no_more(stack: Stack) -> None:
    soon = {**EVENT, "event_id": "soon", "occurred_at": ahead(5)}
    assert post_events(stack, [soon]).json_body == {"stored": 1, "duplicates": 0}
    later = {**EVENT, "event_id": "later", "occurred_at": ahead(11)}
    error = error_of(post_events(stack, [later]))
    assert error["field"] == "events[0].occurred_at" and "in the future" in error["message"]


@pytest.mark.parametrize("day", ["9999-12-31", "1999-12-31", "0001-01-01", "2026-13-01"])
def test_estimated_delivery_out_of_range_is_400(stack: Stack, day: str) -> None:
    event = {**EVENT, "occurred_at": ahead(-60), "estimated_delivery": day}
    assert error_of(post_events(stack, [event]))["field"] == "events[0].estimated_delivery"


def test_promised_delivery_is_a_date_within_a_year(stack: Stack) -> None:
    sign_up(stack, "c-ship")
    put_order(stack, "o-ship", "c-ship", LINES)

    def registered(number: str, promised: str) -> Any:
        body = {
            "tracking_number": number,
            "carrier": "fedex",
            "order_id": "o-ship",
            "promised_delivery": promised,
        }
        return stack.http.post("/v1/shipments", headers=STORE, body=json.dumps(body))

    for day in ("9999-12-31", "1999-12-31", (date.today() + timedelta(days=400)).isoformat()):
        assert error_of(registered("SF1000", day))["field"] == "promised_delivery"
    soon = (date.today() + timedelta(days=3)).isoformat()
    created = registered("SF1000", soon)
    assert created.status_code == 201 and created.json_body["promised_delivery"] == soon


@pytest.mark.parametrize(
    "as_of",
    [
        "2030-01-01",
        "1999-12-31",
        "0001-01-01",
        "yesterday",
        "2026-11-01T10:00:00",  # no offset: whose 10:00?
        "1999-12-31T23:59:59Z",
        "2031-01-01T00:00:00+08:00",
    ],
)
def test_a_job_day_lies_from_2000_to_a_year_ahead(stack: Stack, as_of: str) -> None:
    response = stack.http.post(
        "/v1/admin/jobs/customer-value", headers=ADMIN, body=json.dumps({"as_of": as_of})
    )
    assert error_of(response)["field"] == "as_of"


def test_a_job_moment_keeps_its_offset_and_a_day_is_its_start_in_utc(stack: Stack) -> None:
    def run_as_of(as_of: str) -> Any:
        body = json.dumps({"as_of": as_of})
        answer = stack.http.post("/v1/admin/jobs/customer-value", headers=ADMIN, body=body)
        assert answer.status_code == 202
        return answer.json_body["as_of"]

    assert run_as_of("2026-11-01T07:30:00+08:00") == "2026-11-01T07:30:00+08:00"
    assert run_as_of("2026-11-01") == "2026-11-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("birthday", "accepted"),
    [("2999-01-01", False), ("1800-01-01", False), ("1990-05-01", True), ("--05-01", True)],
)
def test_a_birthday_is_a_plausible_date_of_birth(
    stack: Stack, birthday: str, accepted: bool
) -> None:
    body = {"customer_id": "c-born", "email": "born@example.com", "birthday": birthday}
    response = stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body))
    if accepted:
        assert response.status_code == 201 and response.json_body["birthday"] == birthday
    else:
        assert error_of(response)["field"] == "birthday"


def test_a_registered_parcel_keeps_rendering_after_a_rejected_scan(stack: Stack) -> None:
    sign_up(stack, "c-ship")
    put_order(stack, "o-ship", "c-ship", LINES)
    url = register(stack, EVENT["tracking_number"], "o-ship").json_body["tracking_url"]
    bad = {**EVENT, "occurred_at": "0001-01-01T00:00:00+14:00"}
    assert error_of(post_events(stack, [bad]))["field"] == "events[0].occurred_at"
    pump(stack)
    path = url.removeprefix("http://rapport.test")
    assert stack.http.get(path).json_body["status"] == "pending"
