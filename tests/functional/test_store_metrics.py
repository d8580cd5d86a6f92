"""GET /v1/admin/metrics: daily counters written once per fact, read as the store's figures.

Lambda-shaped stream records delivered twice count once; the route's figures equal a
count made independently from the tables the facts live in.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib.adapters import codec
from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.test_mail_feedback import notify

EVENTS = Path(__file__).resolve().parents[1] / "events"
ZONE = ZoneInfo("Asia/Shanghai")  # the store's support_time_zone by default


def event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text())


def metrics(stack: Stack, query: str, headers: dict[str, str] = ADMIN) -> Any:
    return stack.http.get(f"/v1/admin/metrics?{query}", headers=headers)


def today() -> date:
    return datetime.now(UTC).astimezone(ZONE).date()


def around_today() -> str:
    return f"from={today() - timedelta(days=1)}&to={today() + timedelta(days=1)}"


def by_period(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["period"]: entry for entry in body["periods"]}


def put_images(stack: Stack, table: str, fixture: str) -> None:
    """Store the fixture's new images, as the writes that made the records would have."""
    for record in event(fixture)["Records"]:
        if record["eventName"] == "INSERT":
            stack.dynamodb().put_item(TableName=table, Item=record["dynamodb"]["NewImage"])


def test_stream_records_delivered_twice_count_once(stack: Stack) -> None:
    put_images(stack, stack.env["RAPPORT_CUSTOMERS_TABLE"], "customers_signups.json")
    signups = event("customers_signups.json")
    orders = event("orders_placed_cancelled_returned.json")
    order = orders["Records"][0]["dynamodb"]["NewImage"]  # the returned order
    stack.dynamodb().put_item(TableName=stack.env["RAPPORT_ORDERS_TABLE"], Item=order)
    for name, batch in (("on_customer", signups), ("on_order", orders)) * 2:
        assert stack.client.lambda_.invoke(name, batch).payload == {"batchItemFailures": []}

    days = by_period(metrics(stack, "from=2026-11-23&to=2026-11-26").json_body)
    assert days["2026-11-23"]["signups"] == 3  # 23:41 in Shanghai
    first, second = days["2026-11-24"], days["2026-11-25"]  # placed 10:00 and 01:30 there
    assert (first["orders"], first["revenue"], first["repeat_orders"]) == (1, {"CNY": 12_000}, 0)
    assert (second["orders"], second["revenue"], second["repeat_orders"]) == (1, {"CNY": 8_000}, 1)
    assert second["repeat_purchase_rate"] == 1.0
    later = metrics(stack, around_today()).json_body["total"]
    assert (later["cancellations"], later["returns"], later["reversed"]) == (1, 1, {"CNY": 11_000})
    assert later["orders"] == 0 and later["net_revenue"] == {"CNY": -11_000}


def _signup(stack: Stack, cid: str, email: str, **extra: Any) -> None:
    body = {"customer_id": cid, "email": email, "name": "Ana", **extra}
    assert stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body)).status_code == 201


def _order(stack: Stack, oid: str, cid: str, total: int) -> None:
    line = {"sku": "TEA", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": total}
    body = {
        "order_id": oid,
        "customer_id": cid,
        "placed_at": datetime.now(UTC).isoformat(),
        "currency": "CNY",
        "lines": [line],
        "total": total,
        "payment_method": "card",
    }
    assert stack.http.post("/v1/orders", headers=STORE, body=json.dumps(body)).status_code == 201


def _items(stack: Stack, table: str) -> list[dict[str, Any]]:
    items = stack.dynamodb().scan(TableName=stack.env[table])["Items"]
    return [codec.from_item(item) for item in items]


def independent_count(stack: Stack) -> dict[str, Any]:
    """The figures counted from the facts themselves (profiles, orders, messages)."""
    customers = _items(stack, "RAPPORT_CUSTOMERS_TABLE")
    profiles = [i for i in customers if i.get("record_type") == "profile"]
    orders = [i for i in _items(stack, "RAPPORT_ORDERS_TABLE") if i["record"] == "order"]
    mail: dict[str, Counter[str]] = {}
    reasons: dict[str, Counter[str]] = {}
    for message in _items(stack, "RAPPORT_MESSAGES_TABLE"):
        mail.setdefault(message["template"], Counter())[message["status"]] += 1
        if message["status"] == "suppressed":
            reasons.setdefault(message["template"], Counter())[message["reason"]] += 1
    feedback = Counter(m.get("feedback") for m in _items(stack, "RAPPORT_MESSAGES_TABLE"))
    return {
        "signups": len(profiles),
        "orders": len(orders),
        "revenue": {"CNY": sum(int(o["total"]) for o in orders)},
        "mail": {
            template: {status: counts[status] for status in ("sent", "suppressed")}
            for template, counts in mail.items()
        },
        "reasons": {template: dict(counts) for template, counts in reasons.items()},
        "bounces": feedback["bounced"],
    }


def test_the_route_equals_an_independent_count_and_a_replay_changes_nothing(
    stack: Stack,
) -> None:
    _signup(stack, "c-1", "ana@example.com")
    _signup(stack, "c-2", "bo@example.com", consents={"marketing": True})
    stack.pump()
    bounce = ("sns_ses_bounce_permanent.json", "c-1", "ana@example.com")
    assert notify(stack, *bounce) == {"outcomes": ["bounced"]}
    assert notify(stack, *bounce) == {"outcomes": ["duplicate"]}  # SNS delivered it again
    _order(stack, "o-1", "c-1", 5_000)  # its confirmation is suppressed: the address bounced
    _order(stack, "o-2", "c-2", 9_000)
    _order(stack, "o-3", "c-2", 3_000)
    withdraw = json.dumps({"consents": {"marketing": False}})
    assert stack.http.patch("/v1/customers/c-2", headers=STORE, body=withdraw).status_code == 200
    stack.pump()
    first = metrics(stack, around_today()).json_body["total"]
    for pump in stack.pumps:
        pump.rewind()  # every stream record delivered again
    stack.pump()
    total = metrics(stack, around_today()).json_body["total"]
    assert total == first

    expected = independent_count(stack)
    assert total["signups"] == expected["signups"] == 2
    assert (total["orders"], total["revenue"]) == (expected["orders"], expected["revenue"])
    assert total["average_order_value"] == {"CNY": 17_000 // 3 + 1}  # 5,666.67 rounded
    assert total["repeat_orders"] == 1 and total["repeat_purchase_rate"] == round(1 / 3, 4)
    for template, counts in expected["mail"].items():
        assert {k: total["mail"][template][k] for k in counts} == counts
    for template, counts in expected["reasons"].items():
        assert total["mail"][template]["suppressed_by_reason"] == counts
    assert total["mail"]["order_confirmation"]["suppressed_by_reason"] == {"address_bounced": 1}
    assert total["feedback"]["bounces"] == expected["bounces"] == 1
    sent = sum(entry["sent"] for entry in total["mail"].values())
    assert total["mail_sent"] == sent and total["feedback"]["bounce_rate"] == round(1 / sent, 4)
    assert total["unsubscribes"] == {"marketing": 1}


def test_an_erasure_is_counted_and_takes_back_nothing_already_counted(stack: Stack) -> None:
    _signup(stack, "c-1", "ana@example.com")
    _order(stack, "o-1", "c-1", 5_000)
    stack.pump()
    before = metrics(stack, around_today()).json_body["total"]
    assert stack.http.delete("/v1/admin/customers/c-1", headers=ADMIN).status_code == 200
    stack.pump()
    for pump in stack.pumps:
        pump.rewind()
    stack.pump()
    after = metrics(stack, around_today()).json_body["total"]
    assert after["erasures"] == 1
    assert {**after, "erasures": 0} == before


def test_weeks_and_months_sum_their_days(stack: Stack) -> None:
    put_images(stack, stack.env["RAPPORT_CUSTOMERS_TABLE"], "customers_signups.json")
    stack.client.lambda_.invoke("on_customer", event("customers_signups.json"))
    body = metrics(stack, "from=2026-11-20&to=2026-12-01&granularity=week").json_body
    weeks = [(e["period"], e["from"], e["to"], e["signups"]) for e in body["periods"]]
    assert weeks == [
        ("2026-W47", "2026-11-20", "2026-11-22", 0),
        ("2026-W48", "2026-11-23", "2026-11-29", 3),
        ("2026-W49", "2026-11-30", "2026-12-01", 0),
    ]
    body = metrics(stack, "from=2026-11-20&to=2026-12-01&granularity=month").json_body
    months = [(e["period"], e["signups"]) for e in body["periods"]]
    assert months == [("2026-11", 3), ("2026-12", 0)]
    assert body["time_zone"] == "Asia/Shanghai" and body["total"]["signups"] == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("to=2026-01-31", "from"),
        ("from=2026-01-01", "to"),
        ("from=2026-13-01&to=2026-12-31", "from"),
        ("from=2026-02-01&to=2026-01-31", "to"),
        ("from=2025-01-01&to=2026-01-02", "to"),  # 367 days
        ("from=2026-01-01&to=2026-01-31&granularity=year", "granularity"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(stack: Stack, query: str, field: str) -> None:
    response = metrics(stack, query)
    assert response.status_code == 400
    assert response.json_body["error"]["field"] == field


def test_a_leap_year_fits_in_one_range(stack: Stack) -> None:
    response = metrics(stack, "from=2028-01-01&to=2028-12-31&granularity=month")
    assert response.status_code == 200
    assert len(response.json_body["periods"]) == 12


def test_the_route_needs_an_admin_or_viewer_key(stack: Stack) -> None:
    query = "from=2026-11-01&to=2026-11-30"
    assert metrics(stack, query, headers={}).status_code == 401
    assert metrics(stack, query, headers=STORE).status_code == 403
    issued = stack.http.post(
        "/v1/admin/keys", headers=ADMIN, body=json.dumps({"name": "dashboard", "role": "viewer"})
    )
    viewer = {"Authorization": f"Bearer {issued.json_body['key']}"}
    answer = metrics(stack, query, headers=viewer)
    assert answer.status_code == 200 and answer.json_body["total"]["orders"] == 0
