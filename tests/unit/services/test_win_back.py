"""The win-back reaction to a profile change, against in-memory fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chalicelib.domain.profile import Profile, Stats
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.win_back import on_segment_change
from tests.fakes import FakeClock, FakeOutbox, FakeValueSettings

BASE = Profile(
    customer_id="c-1",
    email="c-1@example.com",
    created_at="2025-01-01T00:00:00Z",
    updated_at="2025-01-01T00:00:00Z",
    stats=Stats(orders=6, spent=60_000, last_order_at="2026-06-01T08:00:00Z"),
)
LOYAL = replace(BASE, rfm={"segment": "loyal"})
AT_RISK = replace(BASE, rfm={"segment": "at_risk"})
CANNOT_LOSE = replace(BASE, rfm={"segment": "cannot_lose_them"})


class OutboxLog:
    """The last win-back key, read from the fake outbox as the adapter reads the table."""

    def __init__(self, outbox: FakeOutbox) -> None:
        self.outbox = outbox

    def last_win_back(self, customer_id: str) -> str | None:
        keys = [k for c, k in self.outbox.items if c == customer_id and k.startswith("win-back#")]
        return max(keys, default=None)


def world(days: int = 90) -> tuple[FakeOutbox, OutboxLog, FakeValueSettings, FakeClock]:
    outbox = FakeOutbox()
    settings = FakeValueSettings()
    settings.settings = StoreSettings(win_back_days=days)
    return outbox, OutboxLog(outbox), settings, FakeClock(datetime(2026, 12, 2, 3, tzinfo=UTC))


def test_entering_at_risk_queues_one_marketing_letter() -> None:
    outbox, log, settings, clock = world()
    key = on_segment_change(LOYAL, AT_RISK, outbox, log, settings, clock, "req-1")
    assert key == "win-back#2026-12-02"
    item = outbox.item("c-1", key)
    assert (item["template"], item["purpose"], item["status"]) == (
        "win_back",
        "marketing",
        "queued",
    )
    # the same change delivered again queues nothing
    assert on_segment_change(LOYAL, AT_RISK, outbox, log, settings, clock) is None
    assert len(outbox.items) == 1


def test_one_win_back_per_ninety_days() -> None:
    outbox, log, settings, clock = world()
    assert on_segment_change(LOYAL, AT_RISK, outbox, log, settings, clock)
    clock.advance(timedelta(days=30))  # bought again, then slipped once more
    assert on_segment_change(LOYAL, CANNOT_LOSE, outbox, log, settings, clock) is None
    clock.advance(timedelta(days=59))  # day 89
    assert on_segment_change(LOYAL, AT_RISK, outbox, log, settings, clock) is None
    clock.advance(timedelta(days=1))  # day 90
    assert on_segment_change(LOYAL, AT_RISK, outbox, log, settings, clock) == "win-back#2027-03-02"
    assert len(outbox.items) == 2


def test_the_interval_is_a_store_setting() -> None:
    outbox, log, settings, clock = world(days=7)
    assert on_segment_change(LOYAL, AT_RISK, outbox, log, settings, clock)
    clock.advance(timedelta(days=7))
    assert on_segment_change(LOYAL, AT_RISK, outbox, log, settings, clock)
    assert len(outbox.items) == 2


def test_staying_at_risk_or_other_changes_queue_nothing() -> None:
    outbox, log, settings, clock = world()
    assert on_segment_change(AT_RISK, AT_RISK, outbox, log, settings, clock) is None
    assert on_segment_change(AT_RISK, LOYAL, outbox, log, settings, clock) is None
    assert on_segment_change(None, AT_RISK, outbox, log, settings, clock) is None
    assert outbox.items == {}
