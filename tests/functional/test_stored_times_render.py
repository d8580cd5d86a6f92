"""Whatever time is already stored, every page and view renders it (never a 500).

Times outside the accepted bounds are put straight into the moto tables, as data
written before the bounds existed would be; then each view that shows them is read.
A time whose UTC form overflows (``0001-01-01T00:00:00+14:00``) is shown in its own
offset.
"""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlparse

from chalicelib.adapters import codec
from chalicelib.domain.tracking import Scan, fold
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

JOURNEY = fixture("carrier_events_fedex_journey.json")
TN = JOURNEY["tracking_number"]
YEAR_ONE = "0001-01-01T00:00:00+14:00"
YEAR_END = "9999-12-31T23:59:59-12:00"
YEAR_END_UTC = "9999-12-31T00:00:00+00:00"


def scan(event_id: str, status: str, occurred_at: str) -> Scan:
    return Scan(event_id, TN, status, datetime.fromisoformat(occurred_at))


def store_state(stack: Stack, scans: list[Scan]) -> None:
    """Write the folded state of ``scans`` on the parcel, as an older version would have."""
    state = json.dumps(fold(scans).to_dict())
    stack.dynamodb().update_item(
        TableName=stack.env["RAPPORT_SHIPMENTS_TABLE"],
        Key={"tracking_number": {"S": TN}, "record": {"S": "parcel"}},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":s": {"S": state}},
    )


def tracked_parcel(stack: Stack, locale: str) -> str:
    sign_up(stack, "c-ship", locale)
    put_order(stack, "o-ship", "c-ship", LINES)
    url = urlparse(register(stack, TN, "o-ship").json_body["tracking_url"])
    post_events(stack, JOURNEY["events"][:2])
    pump(stack)
    store_state(
        stack,
        [
            scan("old", "in_transit", YEAR_ONE),
            *(Scan.from_dict(event) for event in stored_scans(stack)),
            scan("far", "out_for_delivery", YEAR_END_UTC),
            scan("end", "delivered", YEAR_END),
        ],
    )
    return f"{url.path}?{url.query}"


def stored_scans(stack: Stack) -> list[dict[str, object]]:
    items = stack.dynamodb().query(
        TableName=stack.env["RAPPORT_SHIPMENTS_TABLE"],
        KeyConditionExpression="tracking_number = :t AND begins_with(#r, :p)",
        ExpressionAttributeNames={"#r": "record"},
        ExpressionAttributeValues={":t": {"S": TN}, ":p": {"S": "scan#"}},
    )["Items"]
    return [codec.from_item(item) for item in items]


def test_tracking_json_shows_out_of_range_scans_in_their_own_offset(stack: Stack) -> None:
    path = tracked_parcel(stack, "en")
    response = stack.http.get(path)
    assert response.status_code == 200, response.body
    data = response.json_body
    assert data["status"] == "delivered"
    assert data["delivered_at"] == data["status_since"] == "9999-12-31T23:59:59.000-12:00"
    steps = {step["status"]: step["reached_at"] for step in data["progress"]}
    assert steps["in_transit"] == "0001-01-01T00:00:00.000+14:00"
    assert steps["out_for_delivery"] == "9999-12-31T00:00:00.000Z"
    assert [entry["occurred_at"] for entry in (data["history"][0], data["history"][-1])] == [
        YEAR_END,
        YEAR_ONE,
    ]


def test_tracking_page_renders_out_of_range_scans_in_both_languages(stack: Stack) -> None:
    path = tracked_parcel(stack, "zh-CN")
    page = stack.http.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200, page.body
    html = page.body.decode()
    assert "已签收" in html
    assert "9999-12-31 23:59 UTC-12:00" in html and "0001-01-01 00:00 UTC+14:00" in html
    assert "9999-12-31 08:00" in html  # representable in Asia/Shanghai: converted as usual


def test_a_registration_replay_answers_for_a_parcel_with_out_of_range_scans(
    stack: Stack,
) -> None:
    tracked_parcel(stack, "en")
    replay = register(stack, TN, "o-ship")
    assert replay.status_code == 200 and replay.json_body["status"] == "delivered"


def test_customer_views_render_out_of_range_order_times(stack: Stack) -> None:
    sign_up(stack, "c-far", birthday="2000-02-29")
    stack.dynamodb().update_item(
        TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"],
        Key={"customer_id": {"S": "c-far"}},
        UpdateExpression="SET stats.first_order_at = :f, stats.last_order_at = :l",
        ExpressionAttributeValues={":f": {"S": YEAR_ONE}, ":l": {"S": YEAR_END}},
    )
    store_view = stack.http.get("/v1/customers/c-far", headers=STORE)
    admin_view = stack.http.get("/v1/admin/customers/c-far", headers=ADMIN)
    assert store_view.status_code == admin_view.status_code == 200
    for stats in (store_view.json_body["stats"], admin_view.json_body["profile"]["stats"]):
        assert stats["first_order_at"] == YEAR_ONE and stats["last_order_at"] == YEAR_END


def test_order_view_renders_an_out_of_range_placed_at(stack: Stack) -> None:
    sign_up(stack, "c-ship")
    put_order(stack, "o-far", "c-ship", LINES)
    stack.dynamodb().update_item(
        TableName=stack.env["RAPPORT_ORDERS_TABLE"],
        Key={"order_id": {"S": "o-far"}, "record": {"S": "order"}},
        UpdateExpression="SET placed_at = :p",
        ExpressionAttributeValues={":p": {"S": YEAR_ONE}},
    )
    response = stack.http.get("/v1/orders/o-far", headers=STORE)
    assert response.status_code == 200 and response.json_body["placed_at"] == YEAR_ONE
