"""Profile changes as store metrics: a signup, consents withdrawn, an erasure, each once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from chalicelib.domain.metrics import Tally
from chalicelib.domain.profile import Consents, Profile
from chalicelib.domain.profile_changes import profile_change
from chalicelib.services.customer_events import welcome_letter
from chalicelib.services.profile_changes import ProfileChangeDeps, record_profile_change
from chalicelib.services.profile_metrics import count_profile_change
from tests.fakes import FakeClock
from tests.unit.services.profile_change_fakes import FakeBus, FakeCountingOutbox, FakeProfileCounts

NOW = datetime(2026, 12, 1, 3, tzinfo=UTC)
ANA = Profile(
    "c-1",
    "ana@example.com",
    created_at="2026-11-30T20:00:00.000Z",
    updated_at="2026-11-30T20:00:00.000Z",
    consents=Consents(marketing=True, surveys=True),
)


@dataclass
class FakeCounters:
    """:class:`~chalicelib.services.ports.MetricsCounters` over a dict of fact keys."""

    facts: dict[str, Tally] = field(default_factory=dict)
    time_zone: str = "Asia/Shanghai"

    def count_once(self, fact_key: str, tally: Tally, now: datetime) -> bool:
        if fact_key in self.facts:
            return False
        self.facts[fact_key] = tally
        return True

    def days(self, start: date, end: date) -> dict[str, dict[str, int]]:
        return {}


def test_a_new_profile_is_one_signup_counted_with_its_welcome_however_often_it_is_read() -> None:
    counts, counters = FakeProfileCounts(), FakeCounters()
    outbox = FakeCountingOutbox(counts)
    deps = ProfileChangeDeps(counts, FakeBus(), FakeClock(NOW), outbox)
    signup = profile_change("c-1", "100", None, ANA, "2026-12-01T03:00:00.000Z")
    queued = [record_profile_change(signup, deps, welcome_letter(None, ANA, NOW)) for _ in "12"]
    assert [r.queued for r in queued] == [["welcome"], []]  # the second: queued already
    signed_up = datetime(2026, 11, 30, 20, tzinfo=UTC)
    assert outbox.tallies == [Tally(signed_up, {"signups": 1})]
    assert count_profile_change(None, ANA, False, counters, NOW) == []  # not a second time


def test_consents_turned_off_are_unsubscribes_per_purpose_once_per_version() -> None:
    counters = FakeCounters()
    changed = ANA.with_changes(
        consents=Consents(marketing=False, surveys=False, greetings=True),
        version=2,
        updated_at="2026-12-01T02:00:00.000Z",
    )
    assert count_profile_change(ANA, changed, False, counters, NOW) == ["unsubscribe"]
    assert count_profile_change(ANA, changed, False, counters, NOW) == []
    tally = counters.facts["unsubscribe#c-1#2"]
    assert tally.counts == {"unsubscribes:marketing": 1, "unsubscribes:surveys": 1}
    other = ANA.with_changes(name="Ana Li", version=3)
    assert count_profile_change(ANA, other, False, counters, NOW) == []  # nothing withdrawn


def test_an_erased_profile_is_one_erasure_and_a_deleted_guard_is_nothing() -> None:
    counters = FakeCounters()
    assert count_profile_change(ANA, None, True, counters, NOW) == ["erasure"]
    assert count_profile_change(ANA, None, True, counters, NOW) == []
    assert count_profile_change(ANA, None, False, counters, NOW) == []
    assert list(counters.facts) == ["erasure#c-1"]
