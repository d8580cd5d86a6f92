"""Count a profile change once and tell the store about it (the customers stream).

The counters (customers per RFM segment, tier and loyalty class) and the outbound
events come from the same change, so they are applied together: the counts store
takes the deltas and the events in one conditional write keyed by the stream record's
sequence number, and returns the events still to publish. A replayed record counts
nothing and publishes only what an earlier attempt left unpublished; events therefore
reach the bus at least once and, but for a crash between the put and its record,
exactly once. Each carries an ``event_id`` a subscriber can deduplicate on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.profile import Profile
from chalicelib.domain.profile_changes import count_deltas, profile_events
from chalicelib.domain.times import iso
from chalicelib.services.ports import Clock


class ProfileCounts(Protocol):
    """Counters of customers per class, each change counted once."""

    def apply(
        self, customer_id: str, sequence: str, deltas: dict[str, int], events: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Count the change at ``sequence`` once; returns its events still to publish."""
        ...

    def published(self, customer_id: str, sequence: str) -> None:
        """Record that the change's events are on the bus."""
        ...

    def totals(self) -> dict[str, int]:
        """Every counter's value."""
        ...


class ProfileEventBus(Protocol):
    """Where the store subscribes to profile events (EventBridge)."""

    def publish(self, events: list[dict[str, Any]]) -> None:
        """Put the events; raises ``SendFailed`` when any was refused."""
        ...


@dataclass(frozen=True)
class ProfileChangeDeps:
    """What counting and announcing a profile change needs (wired in ``bootstrap``)."""

    counts: ProfileCounts
    bus: ProfileEventBus
    clock: Clock


def record_profile_change(
    customer_id: str,
    sequence: str,
    old: Profile | None,
    new: Profile | None,
    deps: ProfileChangeDeps,
    announce: bool = True,
) -> int:
    """Count the change and publish its events (unless not ``announce``: an import's
    history is counted, not announced); returns how many events were put."""
    deltas = count_deltas(old, new)
    at = iso(deps.clock.now())
    events = [
        {
            "detail_type": event.detail_type,
            "detail": {
                **event.detail,
                "event_id": f"{customer_id}#{sequence}#{index}",
                "occurred_at": at,
            },
        }
        for index, event in enumerate(profile_events(old, new) if announce else [])
    ]
    if not deltas and not events:
        return 0
    pending = deps.counts.apply(customer_id, sequence, deltas, events)
    if pending:
        deps.bus.publish(pending)
        deps.counts.published(customer_id, sequence)
    return len(pending)
