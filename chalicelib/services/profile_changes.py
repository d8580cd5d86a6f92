"""Count a profile change once and tell the store about it (the customers stream).

The counters (customers per RFM segment, tier and loyalty class) and the outbound
events come from the same change, so they are applied together: the counts store
takes the deltas and the events in one conditional write keyed by the stream record's
sequence number, and returns the events still to publish. A replayed record counts
nothing and publishes only what an earlier attempt left unpublished; events therefore
reach the bus at least once and, but for a crash between the put and its record,
exactly once. Each carries an ``event_id`` a subscriber can deduplicate on.

A letter the change calls for (a new profile's welcome) is queued in that same write
(:meth:`CountingOutbox.enqueue_counted`): one transaction queues it and counts the
change, each under its own condition. When any condition refuses (the letter is
queued already, its customer was erased, the change was counted before), nothing is
written and each part is written alone, as if apart, so each keeps its own guard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from chalicelib.domain.messages import Message
from chalicelib.domain.metrics import Tally
from chalicelib.domain.profile_changes import ProfileChange
from chalicelib.services.ports import Clock


class ProfileCounts(Protocol):
    """Counters of customers per class, each change counted once."""

    def apply(self, change: ProfileChange) -> list[dict[str, Any]]:
        """Count the change once (keyed by its sequence); returns its events still to
        publish."""
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


class CountingOutbox(Protocol):
    """The outbox, able to queue a letter in the write that counts a profile change."""

    def enqueue(self, message: Message, tally: Tally | None = None) -> bool:
        """Queue ``message`` unless its key exists; ``tally`` is counted with it, once."""
        ...

    def enqueue_counted(self, message: Message, tally: Tally | None, change: ProfileChange) -> bool:
        """Queue ``message`` (``tally`` counted with it) and count ``change``, in one
        write; ``False``, and nothing written, when any part was refused."""
        ...


@dataclass(frozen=True)
class Letter:
    """A letter a profile change calls for, not yet queued, with the fact it counts."""

    message: Message
    tally: Tally | None = None


@dataclass(frozen=True)
class Recorded:
    """What recording one change did: the letters queued now, the events put."""

    queued: list[str] = field(default_factory=list)
    published: int = 0


@dataclass(frozen=True)
class ProfileChangeDeps:
    """What counting and announcing a profile change needs (wired in ``bootstrap``)."""

    counts: ProfileCounts
    bus: ProfileEventBus
    clock: Clock
    outbox: CountingOutbox


def record_profile_change(
    change: ProfileChange, deps: ProfileChangeDeps, letter: Letter | None = None
) -> Recorded:
    """Count the change once, queue its ``letter`` (if any) and publish its events."""
    queued, pending = _write(change, deps, letter)
    if pending:
        deps.bus.publish(pending)
        deps.counts.published(change.customer_id, change.sequence)
    keys = [letter.message.message_key] if letter is not None and queued else []
    return Recorded(keys, len(pending))


def _write(
    change: ProfileChange, deps: ProfileChangeDeps, letter: Letter | None
) -> tuple[bool, list[dict[str, Any]]]:
    """Whether the letter was queued now, and the change's events still to publish."""
    if letter is None:
        return False, _count_alone(change, deps)
    if not change.moves_nothing and deps.outbox.enqueue_counted(
        letter.message, letter.tally, change
    ):
        return True, change.events  # the usual case: one write for both
    # refused together (or nothing to count): each part alone, under its own condition
    return deps.outbox.enqueue(letter.message, letter.tally), _count_alone(change, deps)


def _count_alone(change: ProfileChange, deps: ProfileChangeDeps) -> list[dict[str, Any]]:
    """Count the change in its own write (none when it moves nothing)."""
    return [] if change.moves_nothing else deps.counts.apply(change)
