"""Shop activity: ``POST /v1/events`` and the ``cart-reminders`` job through the real app."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chalicelib import bootstrap
from chalicelib.domain.activity import parse_event
from chalicelib.domain.carts import after_event
from chalicelib.domain.times import iso
from chalicelib.services.exceptions import StaleWrite
from tests.functional.conftest import ADMIN, STORE, Stack, run_job, sent_days_ago
from tests.functional.test_orders import order, post, signup

FIXTURES = Path(__file__).resolve().parent.parent / "events"
MARKETING = {"marketing": True, "recommendations": True, "greetings": True, "surveys": True}
TEA = {"sku": "TEA-9", "name": "Oolong tea", "category": "tea", "quantity": 2, "unit_price": 4500}
POT = {"sku": "POT-2", "name": "Clay teapot", "category": "teaware", "quantity": 1,
       "unit_price": 18800}  # fmt: skip


def _as_of() -> str:
    """A day whose start is well after any cart posted now (the job's ``as_of``)."""
    return (datetime.now(UTC).date() + timedelta(days=2)).isoformat()


def event(eid: str, cid: str, kind: str = "cart_updated", **extra: Any) -> dict[str, Any]:
    body = {"event_id": eid, "customer_id": cid, "type": kind, "occurred_at": iso(
        datetime.now(UTC) - timedelta(hours=2)), "items": [TEA, POT]}  # fmt: skip
    return {**body, **extra}


def send(stack: Stack, body: Any) -> Any:
    return stack.http.post("/v1/events", headers=STORE, body=json.dumps(body))


def loyal_customer(stack: Stack, cid: str, **extra: Any) -> None:
    """A customer with marketing consent and two recent orders (marketing's loyalty gate)."""
    quiet = {"quiet_hours_start": 0, "quiet_hours_end": 0}  # mail at any hour in the tests
    answer = stack.http.put("/v1/admin/settings/store", headers=ADMIN, body=json.dumps(quiet))
    assert answer.status_code == 200, answer.body
    signup(stack, cid, consents=MARKETING, **extra)
    for n in (1, 2):
        placed = iso(datetime.now(UTC) - timedelta(days=10 * n))
        assert post(stack, order(f"{cid}-o{n}", cid, placed_at=placed)).status_code == 201
    stack.pump()


def cart_mails(stack: Stack, cid: str) -> list[dict[str, Any]]:
    return [
        mail
        for mail in stack.mails()
        if mail["headers"].get("X-Rapport-Message") == "cart_reminder"
        and any(cid in to for to in mail["to"])
    ]


def reminders(stack: Stack) -> dict[str, Any]:
    return run_job(stack, "cart-reminders", json.dumps({"as_of": _as_of()}))


def test_events_are_idempotent_and_refuse_bad_input_naming_the_field(stack: Stack) -> None:
    signup(stack, "c-1")
    first = send(stack, event("e-1", "c-1"))
    assert first.status_code == 201, first.body
    assert first.json_body["items"][0]["name"] == "Oolong tea"
    assert (
        send(stack, event("e-1", "c-1", occurred_at=first.json_body["occurred_at"])).status_code
        == 200
    )
    assert send(stack, event("e-1", "c-1", items=[TEA])).status_code == 409
    unknown = send(stack, event("e-2", "nobody"))
    assert unknown.status_code == 422 and unknown.json_body["error"]["field"] == "customer_id"
    cases = {
        "type": event("e-3", "c-1", "cart_abandoned"),
        "items[0].quantity": event("e-4", "c-1", items=[{**TEA, "quantity": 0}]),
        "items[1].unit_price": event("e-5", "c-1", items=[TEA, {**POT, "unit_price": "9"}]),
        "seconds_viewed": event("e-6", "c-1", seconds_viewed=30),
        "occurred_at": event("e-7", "c-1", occurred_at="2999-01-01T00:00:00Z"),
        "colour": {**event("e-8", "c-1"), "colour": "red"},
        "items": event("e-9", "c-1", "product_viewed", items=[]),
    }
    for field, body in cases.items():
        answer = send(stack, body)
        assert answer.status_code == 400 and answer.json_body["error"]["field"] == field, field
    assert (
        stack.http.post("/v1/events", headers=STORE, body="{").json_body["error"]["field"] == "body"
    )


def test_the_job_reminds_an_idle_cart_once_listing_its_items(stack: Stack) -> None:
    loyal_customer(stack, "c-1")
    assert send(stack, event("e-1", "c-1")).status_code == 201
    result = reminders(stack)
    assert result["due"] == 1 and result["queued"] == 1
    stack.pump()
    [mail] = cart_mails(stack, "c-1")
    assert "Oolong tea" in mail["text"] and "Clay teapot" in mail["text"]
    assert "2 × Oolong tea" in mail["text"] or "Oolong tea × 2" in mail["text"]
    assert "discount" not in mail["text"].lower() and "%" not in mail["text"]
    assert mail["headers"]["List-Unsubscribe"]
    again = reminders(stack)
    assert again["due"] == 0 and again["queued"] == 0
    stack.pump()
    assert len(cart_mails(stack, "c-1")) == 1


def test_an_order_after_the_cart_closes_it_without_mail(stack: Stack) -> None:
    loyal_customer(stack, "c-1")
    assert send(stack, event("e-1", "c-1")).status_code == 201
    after = iso(datetime.now(UTC) - timedelta(minutes=30))
    assert post(stack, order("o-late", "c-1", placed_at=after)).status_code == 201
    stack.pump()
    result = reminders(stack)
    assert result["due"] == 1 and result["ordered"] == 1 and result["queued"] == 0
    stack.pump()
    assert cart_mails(stack, "c-1") == []
    assert reminders(stack)["due"] == 0


def test_a_cart_updated_after_the_reminder_starts_a_new_cart(stack: Stack) -> None:
    loyal_customer(stack, "c-1")
    assert send(stack, event("e-1", "c-1")).status_code == 201
    assert reminders(stack)["queued"] == 1
    stack.pump()
    sent_days_ago(stack, "c-1", 2)  # the second cart idles another day (one mail a day)
    later = iso(datetime.now(UTC) - timedelta(minutes=90))
    assert send(stack, event("e-2", "c-1", items=[POT], occurred_at=later)).status_code == 201
    assert reminders(stack)["queued"] == 1
    stack.pump()
    first, second = sorted(cart_mails(stack, "c-1"), key=lambda mail: "Oolong tea" in mail["text"])
    assert "Clay teapot" in first["text"] and "Oolong tea" not in first["text"]
    assert "Oolong tea" in second["text"]


def test_a_cart_not_yet_idle_waits_and_an_emptied_cart_is_never_reminded(stack: Stack) -> None:
    loyal_customer(stack, "c-1")
    loyal_customer(stack, "c-2")
    now = iso(datetime.now(UTC))
    assert send(stack, event("e-1", "c-1", occurred_at=now)).status_code == 201
    assert send(stack, event("e-2", "c-2")).status_code == 201
    assert send(stack, event("e-3", "c-2", items=[])).status_code == 201
    assert run_job(stack, "cart-reminders")["due"] == 0
    assert reminders(stack)["due"] == 1


def test_without_marketing_consent_the_reminder_is_recorded_suppressed(stack: Stack) -> None:
    loyal_customer(stack, "c-1")
    patch = {"consents": {"marketing": False}}
    assert (
        stack.http.patch("/v1/customers/c-1", headers=STORE, body=json.dumps(patch)).status_code
        == 200
    )
    assert send(stack, event("e-1", "c-1")).status_code == 201
    assert reminders(stack)["queued"] == 1
    stack.pump()
    assert cart_mails(stack, "c-1") == []
    log = stack.http.get("/v1/admin/customers/c-1/messages", headers=ADMIN).json_body
    [message] = [m for m in log["items"] if m["template"] == "cart_reminder"]
    assert message["status"] == "suppressed" and message["reason"] == "no_consent_marketing"


def test_the_scheduled_lambda_runs_the_same_job(stack: Stack) -> None:
    loyal_customer(stack, "c-1")
    assert send(stack, event("e-1", "c-1")).status_code == 201
    fixture = json.loads((FIXTURES / "scheduled_event.json").read_text())
    fixture["resources"] = ["arn:aws:events:us-east-1:123456789012:rule/rapport-cart-reminders"]
    response = stack.client.lambda_.invoke("cart_reminders", fixture)
    assert response.payload["job"] == "cart-reminders" and response.payload["queued"] == 1
    stack.pump()
    assert len(cart_mails(stack, "c-1")) == 1


def test_as_of_a_date_means_its_start_in_utc(stack: Stack) -> None:
    day = date.fromisoformat(_as_of())
    result = reminders(stack)
    assert result["as_of"] == iso(datetime(day.year, day.month, day.day, tzinfo=UTC))


def test_a_late_event_leaves_the_cart_and_a_checkout_restarts_its_idle_time(stack: Stack) -> None:
    loyal_customer(stack, "c-1")
    loyal_customer(stack, "c-2")
    assert send(stack, event("e-2", "c-1", items=[POT])).status_code == 201
    earlier = iso(datetime.now(UTC) - timedelta(hours=5))
    assert send(stack, event("e-1", "c-1", occurred_at=earlier, items=[TEA])).status_code == 201
    assert send(stack, event("e-3", "c-2")).status_code == 201
    just_now = iso(datetime.now(UTC) - timedelta(minutes=1))
    checkout = event("k-1", "c-2", "checkout_started", occurred_at=just_now)
    checkout.pop("items")
    assert send(stack, checkout).status_code == 201
    result = run_job(stack, "cart-reminders")
    assert (result["due"], result["queued"]) == (1, 1)  # c-2 checked out a minute ago
    stack.pump()
    [mail] = cart_mails(stack, "c-1")
    assert "Clay teapot" in mail["text"] and "Oolong tea" not in mail["text"]


def test_a_cart_written_meanwhile_is_never_overwritten_by_a_stale_read(stack: Stack) -> None:
    signup(stack, "c-1")
    assert send(stack, event("e-1", "c-1")).status_code == 201
    store = bootstrap.container().activity
    stale = store.cart("c-1")
    assert (
        send(
            stack, event("e-2", "c-1", items=[POT], occurred_at=iso(datetime.now(UTC)))
        ).status_code
        == 201
    )
    late = parse_event(
        event("e-3", "c-1", items=[TEA], occurred_at=iso(datetime.now(UTC))), bounds=None
    )
    with pytest.raises(StaleWrite):
        store.record(late, late.digest(), after_event(stale, late), datetime.now(UTC))
    assert store.event("c-1", "e-3") is None  # the event and its effect, or neither
    cart = store.cart("c-1")
    assert cart is not None and [item.sku for item in cart.items] == ["POT-2"] and cart.version == 2
