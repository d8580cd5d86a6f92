"""The feedback service against in-memory fakes: effects once, stale writes, old addresses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from chalicelib.domain.corrections import Correction
from chalicelib.domain.metrics import Tally
from chalicelib.domain.profile import Profile
from chalicelib.services.mail_feedback import FeedbackDeps, handle_notification
from tests.fakes import FakeClock, FakeCustomers, FakeSettingsStore

NOW = datetime(2026, 5, 1, 4, tzinfo=UTC)


@dataclass
class FakeFeedbackStore:
    """:class:`~chalicelib.services.ports.MailFeedbackStore` over dicts."""

    messages: dict[str, tuple[str, str]] = field(default_factory=dict)
    outcomes: dict[tuple[str, str], str] = field(default_factory=dict)
    markers: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    soft: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    tallies: list[Tally] = field(default_factory=list)

    def seen(self, notification_id: str) -> bool:
        return notification_id in self.markers

    def remember(
        self,
        notification_id: str,
        outcome: str,
        now: datetime,
        reason: str | None = None,
        tally: Tally | None = None,
    ) -> None:
        self.markers[notification_id] = (outcome, reason)
        if tally is not None:
            self.tallies.append(tally)

    def find_message(self, provider_message_id: str) -> tuple[str, str] | None:
        return self.messages.get(provider_message_id)

    def record_outcome(self, customer_id: str, message_key: str, outcome: str, at: str) -> None:
        self.outcomes[(customer_id, message_key)] = outcome

    def count_transient_bounce(self, email: str, customer_id: str, entry: str) -> list[str]:
        entries = self.soft.setdefault((email, customer_id), set())
        entries.add(entry)
        return sorted(entries)


class RacingCustomers(FakeCustomers):
    """Someone else corrects the profile once, between the read and the write."""

    raced = False

    def save_correction(
        self, previous: Profile, correction: Correction, source: str, correlation_id: str | None
    ) -> None:
        if not self.raced:
            self.raced = True
            stored = self.profiles[previous.customer_id]
            self.profiles[previous.customer_id] = stored.with_changes(
                name="Ana Li", version=stored.version + 1
            )
        super().save_correction(previous, correction, source, correlation_id)


def world(customers: FakeCustomers | None = None) -> tuple[FeedbackDeps, FakeFeedbackStore]:
    store = FakeFeedbackStore(messages={"ses-1": ("c-1", "welcome")})
    customers = customers or FakeCustomers()
    customers.create(Profile("c-1", "ana@example.com", "t", "t"), "digest", None)
    deps = FeedbackDeps(store, customers, FakeSettingsStore(), FakeClock(NOW))
    return deps, store


def bounce(kind: str = "Permanent", at: str = "2026-05-01T03:00:00Z") -> str:
    return json.dumps(
        {
            "notificationType": "Bounce",
            "mail": {"messageId": "ses-1", "timestamp": at},
            "bounce": {
                "bounceType": kind,
                "bouncedRecipients": [{"emailAddress": "Ana@Example.com"}],
                "timestamp": at,
            },
        }
    )


def test_a_permanent_bounce_records_the_outcome_and_writes_one_version() -> None:
    deps, store = world()
    result = handle_notification("n-1", bounce(), deps)
    assert (result.outcome, result.status_changes) == ("bounced", 1)
    assert store.outcomes == {("c-1", "welcome"): "bounced"}
    profile = deps.customers.get("c-1")
    assert profile is not None and (profile.email_status, profile.reachable) == ("bounced", False)
    assert handle_notification("n-1", bounce(), deps).outcome == "duplicate"
    again = deps.customers.get("c-1")
    assert again is not None and again.version == 2
    assert store.tallies == [Tally(NOW, {"bounces": 1})]  # counted with the marker, once


def test_the_same_bounce_again_under_a_new_id_changes_no_status() -> None:
    deps, _ = world()
    handle_notification("n-1", bounce(), deps)
    assert handle_notification("n-2", bounce(), deps).status_changes == 0


def test_a_profile_changed_meanwhile_is_decided_again() -> None:
    deps, _ = world(RacingCustomers())
    assert handle_notification("n-1", bounce(), deps).status_changes == 1
    profile = deps.customers.get("c-1")
    assert profile is not None
    assert (profile.name, profile.email_status, profile.version) == ("Ana Li", "bounced", 3)


def test_soft_bounces_are_counted_per_notification() -> None:
    deps, store = world()
    for n, day in enumerate(("01", "02", "03")):
        handle_notification(f"n-{n}", bounce("Transient", f"2026-05-{day}T03:00:00Z"), deps)
        handle_notification(f"n-{n}", bounce("Transient", f"2026-05-{day}T03:00:00Z"), deps)
    assert len(store.soft[("ana@example.com", "c-1")]) == 3
    profile = deps.customers.get("c-1")
    assert profile is not None and profile.email_status == "bounced"


def test_an_unreadable_notification_is_remembered_as_failed_with_its_reason() -> None:
    deps, store = world()
    result = handle_notification("n-1", {"not": "text"}, deps)
    assert (result.outcome, result.reason) == ("failed", "unreadable:Message")
    assert store.markers["n-1"] == ("failed", "unreadable:Message")


def test_nothing_changes_for_an_address_the_profile_no_longer_has() -> None:
    deps, store = world()
    customers = deps.customers
    assert isinstance(customers, FakeCustomers)
    customers.profiles["c-1"] = customers.profiles["c-1"].with_changes(email="new@example.com")
    assert handle_notification("n-1", bounce(), deps).status_changes == 0
    assert store.outcomes == {("c-1", "welcome"): "bounced"}  # the message still records it


def test_an_ses_event_about_no_address_is_acknowledged_and_ignored() -> None:
    deps, store = world()
    reject = json.dumps({"eventType": "Reject", "mail": {"messageId": "ses-1"}, "reject": {}})
    assert handle_notification("n-1", reject, deps).outcome == "ignored"
    assert store.markers["n-1"] == ("ignored", None) and store.outcomes == {}
