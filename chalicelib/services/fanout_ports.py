"""The ports of the nightly jobs' fan-out (:mod:`chalicelib.services.fanout`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol


class SegmentQueue(Protocol):
    """Delivers segment tasks to the job's segment function, at least once each."""

    def send(self, tasks: Sequence[dict[str, Any]]) -> None:
        """Queue the tasks; raises ``SendFailed`` when one could not be queued."""
        ...


class FanoutStore(Protocol):
    """A fanned-out run's state, its segments' parts and the completion counter."""

    def create(self, key: str, state: dict[str, Any]) -> None:
        """Store a fan-out's state (replacing none: a repeat leaves the first)."""
        ...

    def state(self, key: str) -> dict[str, Any] | None:
        """The fan-out's state (``None`` for an unknown one)."""
        ...

    def update(self, key: str, values: dict[str, Any]) -> None:
        """Set ``values`` in the fan-out's state."""
        ...

    def save_part(self, key: str, phase: str, segment: int, part: dict[str, Any]) -> None:
        """Store one segment's part of a phase (the first stored stays: a repeated
        delivery of the segment leaves it)."""
        ...

    def parts(self, key: str, phase: str, total: int) -> Iterator[dict[str, Any]]:
        """Every segment's part of a phase, in segment order, each read (and decoded)
        only when the previous one has been taken: a merge holds one part at a time."""
        ...

    def finish_segment(self, key: str, phase: str, segment: int) -> int:
        """Count ``segment`` as done in ``phase`` (once, however often it is told);
        return how many of the phase's segments are done."""
        ...

    def close_phase(self, key: str, phase: str) -> bool:
        """Claim the phase's close (a conditional write); ``False`` when it is claimed
        already: only the task that claimed it merges the phase's parts."""
        ...

    def reopen_phase(self, key: str, phase: str) -> None:
        """Give back the claim of a close that failed transiently."""
        ...
