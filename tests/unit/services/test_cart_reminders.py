"""The cart-reminders job and the event recorder against in-memory fakes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain import carts
from chalicelib.domain.exceptions import Conflict, Unprocessable
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import iso
from chalicelib.services.activity import record_event
from chalicelib.services.cart_reminders import run_cart_reminders
from tests.fakes import FakeActivity, FakeClock, FakeOutbox, FakeProfiles, FakeSettingsStore

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
TEA = {"sku": "TEA-1", "name": "Oolong", "category": "tea", "quantity": 2, "unit_price": 4500}


def body(eid: str, cid: str = "c-1", minutes_ago: int = 120, **extra: Any) -> dict[str, Any]:
    return {"event_id": eid, "customer_id": cid, "type": "cart_updated", "items": [TEA],
            "occurred_at": iso(NOW - timedelta(minutes=minutes_ago)), **extra}  # fmt: skip


class World:
    def __init__(self, *customers: str) -> None:
        self.activity = FakeActivity(customers=set(customers))
        self.profiles = FakeProfiles()
        for cid in customers:
            self.profiles.put(Profile(customer_id=cid, email=f"{cid}@example.com",
                                      created_at=iso(NOW), updated_at=iso(NOW)))  # fmt: skip
        self.outbox = FakeOutbox()
        self.clock = FakeClock(NOW)

    def post(self, payload: dict[str, Any]) -> Any:
        return record_event(payload, self.activity, self.clock, FakeSettingsStore())

    def run(self, at: datetime = NOW, idle: int = 60) -> dict[str, Any]:
        return run_cart_reminders(
            self.activity, self.profiles, self.outbox, idle, at, NOW, lambda call: call()
        )


def test_record_is_idempotent_on_the_event_id() -> None:
    world = World("c-1")
    assert world.post(body("e-1")).created
    replay = world.post(body("e-1"))
    assert not replay.created and replay.event["event_id"] == "e-1"
    with pytest.raises(Conflict):
        world.post(body("e-1", items=[{**TEA, "quantity": 3}]))
    with pytest.raises(Unprocessable) as unknown:
        world.post(body("e-2", cid="nobody"))
    assert unknown.value.field == "customer_id"


def test_one_reminder_per_cart_and_a_new_cart_after_it() -> None:
    world = World("c-1")
    world.post(body("e-1"))
    assert world.run()["queued"] == 1
    assert world.run()["due"] == 0
    assert list(world.outbox.items) == [("c-1", "cart-reminder#e-1")]
    world.post(body("e-2", minutes_ago=90, items=[{**TEA, "quantity": 5}]))
    assert world.run()["queued"] == 1
    item = world.outbox.item("c-1", "cart-reminder#e-2")
    assert item["context"]["items"][0]["quantity"] == 5 and item["purpose"] == "marketing"


def test_an_order_after_the_last_update_closes_the_cart_but_one_before_does_not() -> None:
    world = World("c-1", "c-2")
    world.post(body("e-1", "c-1"))
    world.post(body("e-2", "c-2"))
    world.activity.orders = {"c-1": [NOW - timedelta(minutes=30)],
                             "c-2": [NOW - timedelta(days=3)]}  # fmt: skip
    result = world.run()
    assert (result["due"], result["ordered"], result["queued"]) == (2, 1, 1)
    assert world.activity.cart("c-1").closed_reason == carts.ORDERED
    assert list(world.outbox.items) == [("c-2", "cart-reminder#e-2")]


def test_the_job_reads_only_the_due_carts_and_skips_a_gone_profile() -> None:
    world = World(*(f"c-{n}" for n in range(10)))
    for n in range(10):
        world.post(body(f"e-{n}", f"c-{n}", minutes_ago=120 if n < 3 else 10))
    world.profiles.erase("c-0")
    result = world.run()
    assert world.activity.carts_read == 3 == result["due"]
    assert (result["queued"], result["profile_gone"]) == (2, 1)


def test_a_cart_not_idle_long_enough_waits_for_a_later_run() -> None:
    world = World("c-1")
    world.post(body("e-1", minutes_ago=30))
    assert world.run()["due"] == 0
    assert world.run(at=NOW + timedelta(minutes=30))["queued"] == 1
