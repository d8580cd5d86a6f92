"""What a job fanned out over scan segments is made of (:mod:`chalicelib.services.fanout`).

A :class:`FanoutJob` is one or more :class:`Phase`\\ s. In each phase every segment runs
the phase's **map** step in its own invocation and gives its **part**, a JSON-able dict
(a mergeable summary, or counts); once every segment's part is stored, the phase's
**reduce** step merges them: its outcome is merged into the fan-out's state, where the
next phase's map steps read it, or, after the last phase, it is the run's result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib.domain.job_runs import JobRun

if TYPE_CHECKING:  # the jobs' ports (imported by the jobs' modules themselves)
    from chalicelib.services.jobs import JobDeps

Segment = tuple[int, int]
"""``(index, total)``: one of ``total`` scan segments."""
State = dict[str, Any]
"""A fan-out's state: ``job``, ``total``, ``now`` (when it began, ISO 8601), what the
job's ``begin`` added and what earlier phases' reduce steps gave."""


@dataclass(frozen=True)
class Closing:
    """What a phase's reduce step reads: the run, the fan-out's state, the jobs' ports,
    and ``parts(phase)``, every segment's part of a phase, in segment order, read one at
    a time as the iterator is advanced (merge each as it comes; never keep them all)."""

    run: JobRun
    state: State
    jobs: JobDeps
    parts: Callable[[str], Iterator[dict[str, Any]]]


@dataclass(frozen=True)
class Phase:
    """One map step per segment, then one reduce step over all their parts."""

    name: str
    map: Callable[[Segment, State, JobDeps], dict[str, Any]]
    reduce: Callable[[Closing], dict[str, Any]]


@dataclass(frozen=True)
class FanoutJob:
    """A fanned-out job: how many items it reads (planning), its own state, its phases."""

    items: Callable[[JobDeps], int]
    """The read table's item count estimate (``plan_segments`` divides it)."""
    begin: Callable[[JobRun, datetime], State]
    """The job's own state for a run beginning now (for example the day it computes for)."""
    phases: tuple[Phase, ...]

    def phase(self, name: str) -> int | None:
        """The index of the phase called ``name`` (``None`` if there is none)."""
        names = [phase.name for phase in self.phases]
        return names.index(name) if name in names else None
