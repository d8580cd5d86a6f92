"""The cart rules: which event opens, changes, closes or starts a cart; when it is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain import carts
from chalicelib.domain.activity import parse_event
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.profile import Profile
from chalicelib.domain.times import TimeBounds, iso

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BOUNDS = TimeBounds(NOW, timedelta(minutes=10))
TEA = {"sku": "TEA-1", "name": "Oolong", "category": "tea", "quantity": 2, "unit_price": 4500}
CUP = {"sku": "CUP-1", "name": "Cup", "category": "cups", "quantity": 1, "unit_price": 900}


def event(eid: str, kind: str = "cart_updated", minutes_ago: int = 120, **extra: Any) -> Any:
    body = {"event_id": eid, "customer_id": "c-1", "type": kind, "items": [TEA, CUP],
            "occurred_at": iso(NOW - timedelta(minutes=minutes_ago)), **extra}  # fmt: skip
    return parse_event({k: v for k, v in body.items() if v is not None}, bounds=BOUNDS)


def test_the_first_cart_update_opens_a_cart_named_by_its_event() -> None:
    cart = carts.after_event(None, event("e-1"))
    assert cart is not None and cart.status == carts.OPEN and cart.cart_id == "e-1"
    assert [item.name for item in cart.items] == ["Oolong", "Cup"] and cart.version == 1
    assert cart.message_key == "cart-reminder#e-1"


def test_a_later_update_replaces_the_items_of_the_same_cart() -> None:
    first = carts.after_event(None, event("e-1"))
    second = carts.after_event(first, event("e-2", minutes_ago=60, items=[CUP]))
    assert second is not None and second.cart_id == "e-1" and second.version == 2
    assert [item.sku for item in second.items] == ["CUP-1"]
    assert second.updated_at == NOW - timedelta(minutes=60)


def test_a_late_event_changes_nothing() -> None:
    cart = carts.after_event(None, event("e-2", minutes_ago=60))
    assert carts.after_event(cart, event("e-1", minutes_ago=120, items=[CUP])) is None


def test_an_empty_cart_closes_and_a_view_never_touches_the_cart() -> None:
    cart = carts.after_event(None, event("e-1"))
    emptied = carts.after_event(cart, event("e-2", minutes_ago=60, items=[]))
    assert emptied is not None and emptied.status == carts.CLOSED
    assert emptied.closed_reason == carts.EMPTIED
    viewed = event("v-1", "product_viewed", seconds_viewed=40, items=[TEA])
    assert carts.after_event(cart, viewed) is None


def test_a_checkout_restarts_the_idle_time_of_an_open_cart_only() -> None:
    cart = carts.after_event(None, event("e-1"))
    checkout = carts.after_event(cart, event("k-1", "checkout_started", 30, items=None))
    assert checkout is not None and checkout.cart_id == "e-1" and checkout.items == cart.items
    assert not carts.is_due(checkout, NOW, 60) and carts.is_due(cart, NOW, 60)
    assert carts.after_event(None, event("k-2", "checkout_started", items=None)) is None


def test_an_update_after_the_reminder_starts_a_new_cart() -> None:
    cart = carts.reminded(carts.after_event(None, event("e-1")))  # type: ignore[arg-type]
    new = carts.after_event(cart, event("e-2", minutes_ago=30, items=[CUP]))
    assert new is not None and new.cart_id == "e-2" and new.status == carts.OPEN
    assert new.message_key != cart.message_key and new.version == cart.version + 1


DUE_CASES = [(60, 60, True), (59, 60, False), (5, 0, True), (600, 601, False)]


@pytest.mark.parametrize(("minutes_ago", "idle", "due"), DUE_CASES)
def test_a_cart_is_due_once_idle_for_the_setting(minutes_ago: int, idle: int, due: bool) -> None:
    cart = carts.after_event(None, event("e-1", minutes_ago=minutes_ago))
    assert cart is not None and carts.is_due(cart, NOW, idle) is due
    assert not carts.is_due(carts.reminded(cart), NOW, idle)
    assert not carts.is_due(carts.closed(cart, carts.ORDERED), NOW, idle)


def test_the_reminder_lists_the_items_as_posted_for_marketing() -> None:
    cart = carts.after_event(None, event("e-1"))
    assert cart is not None
    profile = Profile(customer_id="c-1", email="a@example.com", created_at=iso(NOW),
                      updated_at=iso(NOW))  # fmt: skip
    message = carts.reminder(profile, cart, iso(NOW))
    assert message.template == "cart_reminder" and message.purpose == "marketing"
    assert message.message_key == "cart-reminder#e-1"
    assert message.context["items"] == [
        {"name": "Oolong", "sku": "TEA-1", "quantity": 2},
        {"name": "Cup", "sku": "CUP-1", "quantity": 1},
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "cart_abandoned"}, "type"),
        ({"items": None}, "items"),
        ({"items": "tea"}, "items"),
        ({"items": [{**TEA, "quantity": 0}]}, "items[0].quantity"),
        ({"items": [TEA, {**CUP, "unit_price": -1}]}, "items[1].unit_price"),
        ({"items": [{**TEA, "colour": "red"}]}, "items[0].colour"),
        ({"items": [{k: v for k, v in TEA.items() if k != "name"}]}, "items[0].name"),
        ({"seconds_viewed": 12}, "seconds_viewed"),
        ({"event_id": "a b"}, "event_id"),
        ({"occurred_at": "2026-12-01T12:00:00"}, "occurred_at"),
        ({"occurred_at": iso(NOW + timedelta(hours=1))}, "occurred_at"),
        ({"nonsense": 1}, "nonsense"),
    ],
)
def test_bad_events_name_their_field(change: dict[str, Any], field: str) -> None:
    body = {"event_id": "e-1", "customer_id": "c-1", "type": "cart_updated",
            "occurred_at": iso(NOW), "items": [TEA], **change}  # fmt: skip
    with pytest.raises(InvalidInput) as raised:
        parse_event({k: v for k, v in body.items() if v is not None}, bounds=BOUNDS)
    assert raised.value.field == field


def test_a_view_names_one_to_twenty_products_and_its_seconds() -> None:
    viewed = event("v-1", "product_viewed", seconds_viewed=90, items=[TEA])
    assert viewed.seconds_viewed == 90 and [line.sku for line in viewed.viewed] == ["TEA-1"]
    assert event("e-1").viewed == ()
    for items, seconds in (([], 3), ([TEA] * 21, 3), ([TEA], 86_401), ([TEA], -1)):
        with pytest.raises(InvalidInput):
            event("v-2", "product_viewed", items=items, seconds_viewed=seconds)
    assert event("e-1").digest() == event("e-1").digest() != event("e-1", items=[CUP]).digest()
