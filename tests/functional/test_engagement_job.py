"""The engagement job through the admin API and its schedule: birthdays, anniversaries,
learned occasions, read through the customers table's indexes (never a Scan)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import bootstrap
from chalicelib.services.recommending import CO_PURCHASES_ID
from tests.functional.conftest import ADMIN, STORE, Stack, mail_at_any_hour, run_job

FIXTURE = Path(__file__).resolve().parent.parent / "events" / "engagement_scheduled_event.json"
AS_OF = "2026-05-01T10:00:00+08:00"  # 1 May in Shanghai; still 30 April in New York
PRODUCTS = {"CUP-2": "Celadon cup", "POT-3": "Clay teapot", "TRAY-4": "Bamboo tray"}


def sign_up(stack: Stack, customer_id: str, **extra: Any) -> None:
    body = {
        "customer_id": customer_id,
        "email": f"{customer_id}@example.com",
        "name": "Ana",
        "locale": "en",
        "time_zone": "Asia/Shanghai",
        "consents": {"greetings": True, "recommendations": True},
        **extra,
    }
    answer = stack.http.post("/v1/signups", headers=STORE, body=json.dumps(body))
    assert answer.status_code == 201, answer.body


def make(stack: Stack, customer_id: str, loyalty: str, **attributes: Any) -> None:
    """Give a profile the loyalty and purchases the nightly job and orders would."""
    values = {"loyalty": loyalty, "purchased": ["sku:TEA-1", "category:tea"], **attributes}
    names = {f"#a{i}": key for i, key in enumerate(values)}
    from chalicelib.adapters import codec

    stack.dynamodb().update_item(
        TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"],
        Key={"customer_id": {"S": customer_id}},
        UpdateExpression="SET " + ", ".join(f"#a{i} = :a{i}" for i in range(len(values))),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues={
            f":a{i}": codec.to_value(value) for i, value in enumerate(values.values())
        },
    )


def shop(stack: Stack) -> None:
    """Recommendations to give (a store rule, product names) and mail at any hour."""
    deps = bootstrap.container()
    deps.settings.save_document(CO_PURCHASES_ID, {"pairs": [], "catalog": [], "names": PRODUCTS})
    rules = {"recommendations": {"cross_sell": {"category:tea": [f"sku:{s}" for s in PRODUCTS]}}}
    put = stack.http.put("/v1/admin/settings/customer-value", headers=ADMIN, body=json.dumps(rules))
    assert put.status_code == 200, put.body
    mail_at_any_hour(stack, gift_categories=["gifts"])


def stored(stack: Stack, customer_id: str) -> dict[str, Any]:
    from chalicelib.adapters import codec

    item = stack.dynamodb().get_item(
        TableName=stack.env["RAPPORT_CUSTOMERS_TABLE"], Key={"customer_id": {"S": customer_id}}
    )["Item"]
    return codec.from_item(item)


def messages(stack: Stack, customer_id: str) -> dict[str, dict[str, Any]]:
    answer = stack.http.get(f"/v1/admin/customers/{customer_id}/messages", headers=ADMIN)
    return {item["message_key"]: item for item in answer.json_body["items"]}


def mail_to(stack: Stack, customer_id: str, template: str) -> dict[str, Any]:
    found = [
        mail
        for mail in stack.mails()
        if any(customer_id in to for to in mail["to"])
        and mail["headers"].get("X-Rapport-Message", "").endswith(template)
    ]
    assert len(found) == 1, [m["subject"] for m in stack.mails()]
    return found[0]


def test_birthdays_in_their_own_time_zone_by_loyalty_once(stack: Stack) -> None:
    shop(stack)
    for customer_id, loyalty, zone in (
        ("c-very", "very_loyal", "Asia/Shanghai"),
        ("c-loyal", "loyal", "Asia/Shanghai"),
        ("c-seldom", "occasional", "Asia/Shanghai"),
        ("c-newyork", "very_loyal", "America/New_York"),
    ):
        sign_up(stack, customer_id, birthday="1990-05-01", time_zone=zone)
        make(stack, customer_id, loyalty)
    stack.pump()
    first = run_job(stack, "engagement", json.dumps({"as_of": AS_OF}))
    assert first["queued"] == 2 and first["not_loyal_enough"] == 1
    assert first["not_their_day"] == 1  # New York is still on 30 April
    stack.pump()
    assert messages(stack, "c-very")["greeting#birthday#2026"]["status"] == "sent"
    assert messages(stack, "c-loyal")["recommendations#birthday#2026"]["status"] == "sent"
    assert set(messages(stack, "c-seldom")) == {"welcome"}
    assert set(messages(stack, "c-newyork")) == {"welcome"}
    card = mail_to(stack, "c-very", "greeting")
    assert card["subject"] == "Happy birthday, Ana!"
    assert "Happy birthday from all of us" in card["text"]
    assert sum(name in card["text"] for name in PRODUCTS.values()) == 3
    assert card["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    picks = mail_to(stack, "c-loyal", "recommendations")
    assert "picked a few things" in picks["text"] and "birthday" not in picks["text"]
    again = run_job(stack, "engagement", json.dumps({"as_of": AS_OF}))
    assert again["queued"] == 0 and again["already"] == 2
    later = run_job(stack, "engagement", json.dumps({"as_of": "2026-05-01T19:00:00-04:00"}))
    assert later["queued"] == 1  # now it is 1 May in New York too
    assert "greeting#birthday#2026" in messages(stack, "c-newyork")


def test_an_anniversary_card_counts_the_years_since_signup(stack: Stack) -> None:
    shop(stack)
    sign_up(stack, "c-anna", locale="zh-CN", name="安娜")
    make(stack, "c-anna", "very_loyal")
    stack.pump()
    signed = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    as_of = signed.replace(year=signed.year + 1, hour=10)
    result = run_job(stack, "engagement", json.dumps({"as_of": as_of.isoformat()}))
    assert result["queued"] == 1
    stack.pump()
    card = mail_to(stack, "c-anna", "greeting")
    assert card["subject"] == "安娜，我们相识 1 周年了"
    assert "1 年前的今天，您在" in card["text"] and "生日" not in card["text"]
    same_day = run_job(stack, "engagement", json.dumps({"as_of": signed.isoformat()}))
    assert same_day.get("queued", 0) == 0  # the day of the signup is no anniversary


def gift_order(
    stack: Stack, order_id: str, placed: datetime, occasion: str | None, category: str = "tea"
) -> None:
    line = {"sku": "TEA-1", "name": "Tea", "category": category, "quantity": 1, "unit_price": 100}
    body: dict[str, Any] = {
        "order_id": order_id,
        "customer_id": "c-gift",
        "placed_at": placed.isoformat(),
        "currency": "CNY",
        "lines": [line],
        "total": 100,
        "payment_method": "card",
    }
    if occasion:
        body["gift"] = {"occasion": occasion}
    answer = stack.http.post("/v1/orders", headers=STORE, body=json.dumps(body))
    assert answer.status_code == 201, answer.body


def test_a_gift_month_two_years_running_gets_one_suggestion_before_it(stack: Stack) -> None:
    shop(stack)
    sign_up(stack, "c-gift")
    stack.pump()
    shanghai = ZoneInfo("Asia/Shanghai")
    gift_order(stack, "o-1", datetime(2024, 5, 10, 12, tzinfo=shanghai), "birthday")
    gift_order(stack, "o-2", datetime(2025, 5, 12, 12, tzinfo=shanghai), None, "gifts")
    gift_order(stack, "o-3", datetime(2025, 8, 2, 12, tzinfo=shanghai), None)  # not a gift
    for n, year in enumerate((2024, 2025)):  # December twice too: learned, due after May
        gift_order(stack, f"o-dec{n}", datetime(year, 12, 20, tzinfo=shanghai), "holiday")
    stack.pump()
    assert stored(stack, "c-gift")["occasion_next"] == "05"
    make(stack, "c-gift", "loyal")
    early = run_job(stack, "engagement", json.dumps({"as_of": "2026-04-16T10:00:00+08:00"}))
    assert early.get("queued", 0) == 0  # 15 days before May: not yet
    due = run_job(stack, "engagement", json.dumps({"as_of": "2026-04-17T10:00:00+08:00"}))
    assert due["queued"] == 1
    stack.pump()
    mail = mail_to(stack, "c-gift", "occasion_suggestion")
    assert mail["subject"] == "May is nearly here: ideas for a birthday gift"
    assert "In 2024 and 2025 you chose a birthday gift with us in May" in mail["text"]
    assert "May begins in 14 days" in mail["text"] and "Celadon cup" in mail["text"]
    for day in ("2026-04-18", "2026-04-30"):
        later = run_job(stack, "engagement", json.dumps({"as_of": f"{day}T10:00:00+08:00"}))
        assert later.get("queued", 0) == 0
    assert "occasion_suggestion#05#2026" in messages(stack, "c-gift")
    assert stored(stack, "c-gift")["occasion_next"] == "12"  # May is done for this year


def test_the_scheduled_event_runs_the_job_for_now(stack: Stack) -> None:
    shop(stack)
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    sign_up(stack, "c-today", birthday=f"1990-{today:%m-%d}")
    make(stack, "c-today", "very_loyal")
    stack.pump()
    answer = stack.client.lambda_.invoke("engagement", json.loads(FIXTURE.read_text())).payload
    assert answer["job"] == "engagement" and answer["queued"] == 1
    assert f"greeting#birthday#{today.year}" in messages(stack, "c-today")


@pytest.mark.parametrize("as_of", ["2026-05-01T10:00:00", "1999-12-31T00:00:00Z"])
def test_a_bad_as_of_is_a_400_naming_it(stack: Stack, as_of: str) -> None:
    body = json.dumps({"as_of": as_of})
    answer = stack.http.post("/v1/admin/jobs/engagement", headers=ADMIN, body=body)
    assert answer.status_code == 400 and answer.json_body["error"]["field"] == "as_of"


def test_the_job_reads_the_indexes_not_the_table(stack: Stack) -> None:
    calls: list[str] = []
    client = bootstrap.container().client("dynamodb")
    client.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: calls.append(model.name)
    )
    run_job(stack, "engagement", json.dumps({"as_of": AS_OF}))
    assert "Scan" not in calls and "Query" in calls
