"""In-memory fakes of the profile-change ports (counts, the counting outbox, the bus).

They keep the adapters' contracts: a change is counted only if its marker is older
(``DynamoProfileCounts``), a letter is queued only under a free key for a customer not
erased (``DynamoOutbox``), and ``enqueue_counted`` writes both or nothing
(``DynamoCountingOutbox``). Each counts its writes, for the tests' one-write claims.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from chalicelib.domain.messages import Message
from chalicelib.domain.metrics import Tally
from chalicelib.domain.profile_changes import ProfileChange
from chalicelib.services.exceptions import SendFailed
from tests.fakes import FakeOutbox

WIDTH = 48


class FakeProfileCounts:
    """:class:`~chalicelib.services.profile_changes.ProfileCounts` over dicts."""

    def __init__(self) -> None:
        self.markers: dict[str, tuple[str, list[dict[str, Any]]]] = {}
        self.counters: Counter[str] = Counter()
        self.writes = 0

    def refuses(self, change: ProfileChange) -> bool:
        """Whether the change's marker condition fails (counted before, or a newer one)."""
        marker = self.markers.get(change.customer_id)
        return marker is not None and marker[0] >= change.sequence.rjust(WIDTH, "0")

    def take(self, change: ProfileChange) -> None:
        """Write the change's marker and counters (the condition held)."""
        self.markers[change.customer_id] = (change.sequence.rjust(WIDTH, "0"), change.events)
        self.counters.update(change.deltas)

    def apply(self, change: ProfileChange) -> list[dict[str, Any]]:
        self.writes += 1
        if not self.refuses(change):
            self.take(change)
            return change.events
        position, pending = self.markers[change.customer_id]
        return list(pending) if position == change.sequence.rjust(WIDTH, "0") else []

    def published(self, customer_id: str, sequence: str) -> None:
        position, _ = self.markers[customer_id]
        if position == sequence.rjust(WIDTH, "0"):
            self.markers[customer_id] = (position, [])

    def totals(self) -> dict[str, int]:
        return {name: value for name, value in self.counters.items() if value}


class FakeCountingOutbox(FakeOutbox):
    """:class:`~chalicelib.services.profile_changes.CountingOutbox`: letters and counts."""

    def __init__(self, counts: FakeProfileCounts) -> None:
        super().__init__()
        self.counts = counts
        self.erased: set[str] = set()
        self.writes = 0

    def enqueue(self, message: Message, tally: Tally | None = None) -> bool:
        self.writes += 1
        return message.customer_id not in self.erased and super().enqueue(message, tally)

    def enqueue_counted(self, message: Message, tally: Tally | None, change: ProfileChange) -> bool:
        self.writes += 1
        taken = (message.customer_id, message.message_key) in self.items
        if message.customer_id in self.erased or taken or self.counts.refuses(change):
            return False
        super().enqueue(message, tally)
        self.counts.take(change)
        return True


class FakeBus:
    """:class:`~chalicelib.services.profile_changes.ProfileEventBus`: refuses ``failures``
    puts first, then keeps every event put."""

    def __init__(self, failures: int = 0) -> None:
        self.events: list[dict[str, Any]] = []
        self.failures = failures

    def publish(self, events: list[dict[str, Any]]) -> None:
        if self.failures:
            self.failures -= 1
            raise SendFailed("ThrottlingException")
        self.events.extend(events)
