"""The support use cases against in-memory ports: promise, backlog counter, answers, figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.exceptions import Conflict, InvalidInput, NotFound, Unprocessable
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.services import support
from chalicelib.services.support import SupportDeps
from tests.fakes import (
    FakeClock,
    FakeCustomers,
    FakeOrders,
    FakeOutbox,
    FakeSettingsStore,
    FakeSupport,
)

TUESDAY_10 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
FRIDAY_EVENING = datetime(2026, 12, 4, 11, 30, tzinfo=UTC)  # 19:30 in Shanghai
STAMP = "2026-11-01T00:00:00.000Z"


def deps_at(now: datetime, settings: StoreSettings | None = None) -> SupportDeps:
    customers = FakeCustomers()
    for customer_id, locale, zone in (
        ("c-1", "en", "Asia/Shanghai"),
        ("c-2", "zh-CN", "America/New_York"),
    ):
        profile = Profile(customer_id, f"{customer_id}@example.com", STAMP, STAMP, name="Ana",
                          locale=locale, time_zone=zone)  # fmt: skip
        customers.create(profile, "digest", None)
    return SupportDeps(
        support=FakeSupport(FakeOutbox()),
        customers=customers,
        orders=FakeOrders(),
        settings=FakeSettingsStore(settings or StoreSettings()),
        clock=FakeClock(now),
    )


def fake(deps: SupportDeps) -> FakeSupport:
    assert isinstance(deps.support, FakeSupport)
    return deps.support


def question(n: int = 1, **changes: Any) -> dict[str, Any]:
    return {"message_id": f"m-{n}", "customer_id": "c-1", "subject": "Where is my tea?",
            "body": "When does it ship?", "channel": "email", **changes}  # fmt: skip


def test_a_question_opens_a_ticket_and_queues_one_auto_reply() -> None:
    deps = deps_at(FRIDAY_EVENING)
    outcome = support.take_message(question(), deps, "cid-1")
    assert outcome.created
    assert outcome.view["expected_answer_by"] == "2026-12-07T10:00+08:00"
    letters = list(fake(deps).outbox.items.values())
    assert [item["template"] for item in letters] == ["support_auto_reply"]
    assert letters[0]["context"]["promise"] == "by Monday 10:00"
    assert letters[0]["purpose"] == "transactional"
    assert fake(deps).open_tickets == 1


def test_the_promise_is_in_the_customers_offset_and_language() -> None:
    deps = deps_at(FRIDAY_EVENING)
    view = support.take_message(question(customer_id="c-2"), deps, None).view
    assert view["expected_answer_by"] == "2026-12-06T21:00-05:00"
    (letter,) = fake(deps).outbox.items.values()
    assert letter["context"]["promise"] == "周日 21:00 前"


def test_the_backlog_is_read_from_the_counter_once_per_question() -> None:
    deps = deps_at(TUESDAY_10)
    fake(deps).open_tickets = 10_000
    view = support.take_message(question(), deps, None).view
    # 10,000 ahead at 4 an hour: 2,500 working hours of 9 a day, from Tuesday 10:00.
    assert fake(deps).counter_reads == 1
    assert view["expected_answer_by"] > "2027-"


def test_a_replay_is_the_same_ticket_and_other_words_are_a_conflict() -> None:
    deps = deps_at(TUESDAY_10)
    first = support.take_message(question(), deps, None)
    again = support.take_message(question(), deps, None)
    assert (again.created, again.view) == (False, first.view)
    with pytest.raises(Conflict) as caught:
        support.take_message(question(body="Other words"), deps, None)
    assert caught.value.field == "message_id"
    assert len(fake(deps).outbox.items) == 1


def test_unknown_customer_order_and_ticket() -> None:
    deps = deps_at(TUESDAY_10)
    with pytest.raises(Unprocessable):
        support.take_message(question(customer_id="c-9"), deps, None)
    with pytest.raises(InvalidInput) as caught:
        support.take_message(question(order_id="o-9"), deps, None)
    assert caught.value.field == "order_id"
    with pytest.raises(NotFound):
        support.take_message(question(ticket_id="t-9"), deps, None)
    assert fake(deps).tickets == {}


def test_answers_move_the_counter_and_measure_the_first_reply_in_business_time() -> None:
    deps = deps_at(FRIDAY_EVENING)
    ticket_id = support.take_message(question(), deps, None).view["ticket_id"]
    assert isinstance(deps.clock, FakeClock)
    deps.clock.advance(timedelta(days=2, hours=15))  # Monday 10:30 in Shanghai
    reply = {"reply_id": "r-1", "body": "It ships today."}
    view = support.answer(ticket_id, reply, "admin", deps, None).view
    assert (view["status"], view["first_reply_minutes"], view["on_time"]) == ("answered", 90, False)
    assert fake(deps).open_tickets == 0
    assert support.answer(ticket_id, reply, "admin", deps, None).created is False
    letters = [
        item for item in fake(deps).outbox.items.values() if item["template"] == "support_reply"
    ]
    assert letters[0]["context"]["question"] == "When does it ship?"

    # A follow-up reopens without a second auto-reply; the next answer is not a first reply.
    follow = support.take_message(question(2, ticket_id=ticket_id, body="And the cup?"), deps, None)
    assert follow.view["status"] == "open" and fake(deps).open_tickets == 1
    assert [i["template"] for i in fake(deps).outbox.items.values()].count(
        "support_auto_reply"
    ) == 1
    closed = support.answer(
        ticket_id, {"reply_id": "r-2", "body": "Yes.", "close": True}, "admin", deps, None
    )
    assert closed.view["status"] == "closed" and fake(deps).open_tickets == 0
    figures = support.support_metrics(date(2026, 12, 4), date(2026, 12, 7), deps)
    assert figures == {"from": "2026-12-04", "to": "2026-12-07", "opened": 1, "answered": 1,
                       "first_reply_median_minutes": 90, "first_reply_p90_minutes": 90,
                       "on_time_share": 0.0}  # fmt: skip


def test_overdue_lists_open_tickets_past_their_promise() -> None:
    deps = deps_at(TUESDAY_10)
    ticket_id = support.take_message(question(), deps, None).view["ticket_id"]
    assert support.list_tickets("overdue", 10, None, deps)[0] == []
    assert isinstance(deps.clock, FakeClock)
    deps.clock.advance(timedelta(hours=2))
    assert [t["ticket_id"] for t in support.list_tickets("overdue", 10, None, deps)[0]] == [
        ticket_id
    ]
    with pytest.raises(InvalidInput):
        support.list_tickets("pending", 10, None, deps)


def test_a_holiday_setting_moves_the_promise() -> None:
    settings = replace(StoreSettings(), support_holidays=("2026-12-07",))
    deps = deps_at(FRIDAY_EVENING, settings)
    view = support.take_message(question(), deps, None).view
    assert view["expected_answer_by"] == "2026-12-08T10:00+08:00"
