"""Counting a profile change once, with the welcome letter in the same write (fakes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.profile import Profile
from chalicelib.domain.profile_changes import CUSTOMER_ERASED, profile_change
from chalicelib.services.customer_events import welcome_letter
from chalicelib.services.exceptions import SendFailed
from chalicelib.services.profile_changes import ProfileChangeDeps, Recorded, record_profile_change
from tests.fakes import FakeClock
from tests.unit.services.profile_change_fakes import (
    FakeBus,
    FakeCountingOutbox,
    FakeProfileCounts,
)

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
AT = "2026-11-20T02:00:00.000Z"
SIGNED_UP = {"total": 1, "segment#none": 1, "tier#1": 1, "loyalty#occasional": 1}
ANA = Profile(customer_id="c-1", email="ana@example.com", created_at=AT, updated_at=AT)


def deps(bus: FakeBus | None = None) -> ProfileChangeDeps:
    counts = FakeProfileCounts()
    return ProfileChangeDeps(counts, bus or FakeBus(), FakeClock(NOW), FakeCountingOutbox(counts))


def fakes(d: ProfileChangeDeps) -> tuple[FakeProfileCounts, FakeCountingOutbox, FakeBus]:
    assert isinstance(d.counts, FakeProfileCounts) and isinstance(d.outbox, FakeCountingOutbox)
    assert isinstance(d.bus, FakeBus)
    return d.counts, d.outbox, d.bus


def signed_up(d: ProfileChangeDeps, sequence: str = "100") -> Recorded:
    """The customers stream reads Ana's signup record at ``sequence``."""
    change = profile_change("c-1", sequence, None, ANA, AT)
    return record_profile_change(change, d, welcome_letter(None, ANA, NOW, "cid-1"))


def test_a_signup_is_welcomed_and_counted_in_one_write() -> None:
    d = deps()
    counts, outbox, _ = fakes(d)
    assert signed_up(d) == Recorded(["welcome"], 0)
    assert (outbox.writes, counts.writes) == (1, 0)  # enqueue_counted only
    assert counts.totals() == SIGNED_UP
    item = outbox.item("c-1", "welcome")
    assert (item["template"], item["status"], item["correlation_id"]) == (
        "welcome",
        "queued",
        "cid-1",
    )
    assert [t.counts for t in outbox.tallies] == [{"signups": 1}]


def test_a_redelivered_signup_queues_and_counts_nothing_again() -> None:
    d = deps()
    counts, outbox, _ = fakes(d)
    signed_up(d)
    assert signed_up(d) == Recorded([], 0)
    assert counts.totals() == SIGNED_UP and len(outbox.tallies) == 1 and len(outbox.items) == 1


def test_a_signup_read_after_the_erasure_is_counted_without_its_letter() -> None:
    d = deps()
    counts, outbox, bus = fakes(d)
    outbox.erased.add("c-1")
    assert signed_up(d) == Recorded([], 0)
    assert outbox.items == {} and counts.totals() == SIGNED_UP  # the erasure record takes it off
    erased = record_profile_change(profile_change("c-1", "101", ANA, None, AT), d)
    assert erased == Recorded([], 1) and counts.totals() == {}
    assert [e["detail_type"] for e in bus.events] == [CUSTOMER_ERASED]


def test_a_batch_replayed_after_its_later_change_was_counted_counts_nothing_again() -> None:
    """The stream handler keeps a customer's changes in order (``handlers.in_order``), so
    an older record is only ever seen again as a replay: its counts are refused, and the
    totals are those of the profile as the last change left it."""
    d = deps()
    counts, outbox, _ = fakes(d)
    promoted = profile_change("c-1", "105", ANA, ANA.with_changes(tier=2), AT)
    signed_up(d, "100")
    record_profile_change(promoted, d)
    assert signed_up(d, "100") == Recorded([], 0)
    assert record_profile_change(promoted, d) == Recorded([], 0)
    assert counts.totals() == {"total": 1, "segment#none": 1, "tier#2": 1, "loyalty#occasional": 1}
    assert len(outbox.items) == 1 and len(outbox.tallies) == 1


def test_an_imported_profile_gets_no_letter_and_is_counted_alone() -> None:
    d = deps()
    counts, outbox, _ = fakes(d)
    assert welcome_letter(None, ANA, NOW, imported=True) is None
    recorded = record_profile_change(profile_change("c-1", "100", None, ANA, AT), d, None)
    assert recorded == Recorded([], 0) and (outbox.writes, counts.writes) == (0, 1)
    assert counts.totals() == SIGNED_UP


def test_a_change_that_moves_no_counter_and_announces_nothing_writes_nothing() -> None:
    d = deps()
    counts, outbox, bus = fakes(d)
    renamed = profile_change("c-1", "101", ANA, ANA.with_changes(name="Ana Li", points=40), AT)
    assert record_profile_change(renamed, d) == Recorded([], 0)
    assert (outbox.writes, counts.writes, bus.events) == (0, 0, [])


def test_events_a_failed_put_left_pending_are_published_once_on_redelivery() -> None:
    d = deps(FakeBus(failures=1))
    counts, _, bus = fakes(d)
    promoted = profile_change("c-1", "101", ANA, ANA.with_changes(tier=3), AT)
    with pytest.raises(SendFailed):
        record_profile_change(promoted, d)
    assert record_profile_change(promoted, d) == Recorded([], 1)
    assert record_profile_change(promoted, d) == Recorded([], 0)
    assert [e["detail"]["event_id"] for e in bus.events] == ["c-1#101#0"]
    assert counts.totals() == {"tier#1": -1, "tier#3": 1}
