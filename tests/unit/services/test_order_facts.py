"""Order facts against in-memory ports: each fact changes the customer's value once.

The same use cases run behind the orders stream (tests/functional/test_orders.py runs
them on moto); here every port is a fake from :mod:`tests.fakes`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.orders import CANCELLED, PAID, PLACED, Order, parse_order
from chalicelib.domain.profile import Consents, Profile
from chalicelib.domain.times import TimeBounds
from chalicelib.services.exceptions import NotReady
from chalicelib.services.order_events import on_order_change, order_paid, order_placed
from chalicelib.services.ports import StoredOrder
from chalicelib.services.value_facts import OrderDeps
from tests.fakes import FakeClock, FakeOrders, FakeOutbox, FakeValues, FakeValueSettings

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


class World:
    """The ports of the order path, and what they hold."""

    def __init__(self) -> None:
        self.outbox = FakeOutbox()
        self.values = FakeValues(self.outbox)
        self.orders = FakeOrders()
        self.settings = FakeValueSettings()
        self.deps = OrderDeps(self.values, self.orders, self.settings, FakeClock(NOW))

    def customer(self, customer_id: str, **extra: Any) -> None:
        profile = Profile(
            customer_id=customer_id,
            email=f"{customer_id}@example.com",
            name=customer_id.upper(),
            consents=Consents(recommendations=False),
            created_at="2026-11-01T00:00:00Z",
            updated_at="2026-11-01T00:00:00Z",
            **extra,
        )
        self.values.add_profile(profile)

    def stats(self, customer_id: str) -> dict[str, Any]:
        return dict(self.values.profile_item(customer_id)["stats"])

    def points(self, customer_id: str) -> int:
        return int(self.values.profile_item(customer_id).get("points", 0))

    def mail(self, customer_id: str) -> list[str]:
        return sorted(key for owner, key in self.outbox.items if owner == customer_id)


def an_order(order_id: str = "o-1", customer_id: str = "c-1", total: int = 12_000) -> Order:
    return parse_order(
        {
            "order_id": order_id,
            "customer_id": customer_id,
            "placed_at": "2026-11-20T10:00:00+08:00",
            "currency": "CNY",
            "lines": [
                {
                    "sku": "TEA-1",
                    "name": "Jasmine tea",
                    "category": "tea",
                    "quantity": 2,
                    "unit_price": total // 2,
                }
            ],
            "total": total,
            "payment_method": "card",
        },
        bounds=TimeBounds(NOW, timedelta(minutes=10)),
    )


@pytest.fixture()
def world() -> World:
    w = World()
    w.customer("c-1")
    return w


def test_a_placed_order_is_counted_once_and_confirmed_once(world: World) -> None:
    order = an_order()
    assert order_placed(order, world.deps, "cid-1") == "applied"
    assert order_placed(order, world.deps, "cid-1") == "already_applied"  # redelivered
    stats = world.stats("c-1")
    assert (stats["orders"], stats["spent"], stats["currency"]) == (1, 12_000, "CNY")
    assert stats["last_order_at"] == "2026-11-20T02:00:00.000Z"  # UTC, as stored
    assert world.mail("c-1") == ["order-confirmation#o-1"]
    confirmation = world.outbox.item("c-1", "order-confirmation#o-1")
    assert confirmation["context"]["points_preview"] == 120  # 120.00 CNY at tier 1
    assert world.values.commits == 1


def test_a_payment_awards_points_only_after_the_order_was_counted(world: World) -> None:
    order = an_order()
    with pytest.raises(NotReady):  # the stream gives the record back; it is retried
        order_paid(order, world.deps, None)
    assert world.points("c-1") == 0
    order_placed(order, world.deps, None)
    assert order_paid(order, world.deps, None) == "applied"
    assert order_paid(order, world.deps, None) == "already_applied"
    assert world.points("c-1") == 120


def test_a_referred_customers_first_payment_pays_the_referrer_once(world: World) -> None:
    world.customer("friend")
    world.customer("c-2", referred_by="friend")
    for order_id in ("o-1", "o-2"):
        order = an_order(order_id, "c-2")
        order_placed(order, world.deps, None)
        assert order_paid(order, world.deps, None) == "applied"
    bonus = world.settings.customer_value().points.referral_bonus
    assert world.points("friend") == bonus
    assert world.points("c-2") == 240  # the friend's bonus is the referrer's only
    assert world.mail("friend") == ["referral#referrer#c-2"]
    assert "referral#referred#c-2" in world.mail("c-2")
    reward = world.outbox.item("friend", "referral#referrer#c-2")["context"]
    assert (reward["friend_name"], reward["points"]) == ("C-2", bonus)


def test_a_cancelled_paid_order_is_taken_out_with_its_points_once(world: World) -> None:
    order = an_order()
    order_placed(order, world.deps, None)
    order_paid(order, world.deps, None)
    world.orders.put(order, CANCELLED)
    before, after = StoredOrder(order, PAID), StoredOrder(order, CANCELLED)
    assert on_order_change(before, after, world.deps) == "applied"
    assert on_order_change(before, after, world.deps) == "skipped"  # redelivered
    stats = world.stats("c-1")
    assert (stats["orders"], stats["spent"], stats["last_order_at"]) == (0, 0, None)
    assert world.points("c-1") == 0


def test_a_concurrent_update_makes_the_fact_read_again_not_count_twice(world: World) -> None:
    order_placed(an_order("o-0"), world.deps, None)
    world.values.before_commit.append(lambda: world.values.bump("c-1"))
    assert order_placed(an_order("o-1"), world.deps, None) == "applied"
    stats = world.stats("c-1")
    assert (stats["orders"], stats["spent"]) == (2, 24_000)
    assert world.values.commits == 2


def test_a_status_that_did_not_change_is_no_fact(world: World) -> None:
    order = an_order()
    same = StoredOrder(order, PLACED)
    assert on_order_change(same, same, world.deps) == "ignored"
    assert world.values.commits == 0
    assert on_order_change(None, same, world.deps) == "applied"  # a new order is placed
