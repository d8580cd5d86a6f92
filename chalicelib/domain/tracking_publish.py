"""What a subscriber is told about a parcel, given what it was already told.

Scans arrive late, twice and out of order, so every call folds all the scans seen so
far (:func:`chalicelib.domain.tracking.fold`) and asks :func:`advance` for the status
changes to publish relative to the :class:`PublishedState` stored with the parcel.
The guarantees, across any number of calls and any arrival order:

* each milestone is published at most once, and milestones are published in level
  order (a milestone skipped because a higher one was already published stays
  skipped);
* the level of what is published never goes down: after ``delivered`` nothing but
  the return trip (``returning_to_sender``, ``exception`` on the way back,
  ``returned``) is published;
* once every scan has been seen, the last published status is the folded status;
* publishing the same state twice publishes nothing the second time.

Rules and examples are in ``docs/tracking.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.domain.tracking import ParcelState
from chalicelib.domain.tracking_scan import parse_datetime
from chalicelib.domain.tracking_status import (
    ATTEMPT_FAILED,
    AVAILABLE_FOR_PICKUP,
    DELIVERED,
    EXCEPTION,
    IN_TRANSIT,
    INTERRUPTIONS,
    OUT_FOR_DELIVERY,
    level,
    require_status,
    tie_order,
)

_MILESTONE_MAILS = {
    IN_TRANSIT: "shipped",
    OUT_FOR_DELIVERY: "out_for_delivery",
    DELIVERED: "delivered",
}
_PROBLEM_MAILS = {
    ATTEMPT_FAILED: "attempt_failed",
    EXCEPTION: "exception",
    AVAILABLE_FOR_PICKUP: "available_for_pickup",
}
MAIL_KINDS: frozenset[str] = frozenset({*_MILESTONE_MAILS.values(), *_PROBLEM_MAILS.values()})
"""Every value :func:`mail_kind` can return."""
MILESTONE_MAIL_KINDS: frozenset[str] = frozenset(_MILESTONE_MAILS.values())
"""The mail kinds sent once per parcel (a milestone is entered once)."""


@dataclass(frozen=True)
class PublishedState:
    """What subscribers were last told about a parcel (stored beside its state).

    Attributes
    ----------
    status
        The last published public status (``None`` before the first publication).
    since
        ``status_since`` of the folded state that status was published from.
    milestone
        The highest milestone published so far.
    """

    status: str | None = None
    since: datetime | None = None
    milestone: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-compatible data (the time as ISO 8601)."""
        return {
            "status": self.status,
            "since": None if self.since is None else self.since.isoformat(),
            "milestone": self.milestone,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> PublishedState:
        """Rebuild from :meth:`to_dict` output; ``None`` or ``{}`` is "nothing published"."""
        data = data or {}
        status, since, milestone = data.get("status"), data.get("since"), data.get("milestone")
        return cls(
            status=None if status is None else require_status(status),
            since=None if since is None else parse_datetime(since, "since"),
            milestone=None if milestone is None else require_status(milestone, "milestone"),
        )


@dataclass(frozen=True)
class Transition:
    """One public status change to publish.

    Attributes
    ----------
    status, previous_status
        The status published and the one published before it.
    occurred_at
        For a milestone, when it was first reached; otherwise when the current
        status was entered.
    estimated_delivery
        The parcel's newest delivery estimate.
    milestone
        Whether this publishes a milestone for the first time.
    """

    status: str
    previous_status: str | None
    occurred_at: datetime
    estimated_delivery: date | None
    milestone: bool

    @property
    def key(self) -> str:
        """A stable id for deduplication (outbox and SNS): unique per parcel.

        A milestone is published once, so its status is its key. Any other status is
        keyed by when it was entered and by the status it follows: a late scan can
        put a parcel back into an episode already told (an exception, told before a
        late delivery scan arrived, follows the return that scan started), and that
        is news to subscribers, not a duplicate.
        """
        if self.milestone:
            return self.status
        key = f"{self.status}@{self.occurred_at.astimezone(UTC).isoformat()}"
        return key if self.previous_status is None else f"{key}/after-{self.previous_status}"

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-compatible data, as published on the tracking topic."""
        return {
            "status": self.status,
            "previous_status": self.previous_status,
            "occurred_at": self.occurred_at.isoformat(),
            "estimated_delivery": (
                None if self.estimated_delivery is None else self.estimated_delivery.isoformat()
            ),
            "milestone": self.milestone,
        }


@dataclass(frozen=True)
class Publication:
    """The result of :func:`advance`: what to publish, and what to store after."""

    transitions: tuple[Transition, ...]
    published: PublishedState

    def mails(self) -> tuple[tuple[Transition, str], ...]:
        """Return the transitions that deserve a customer mail, with their kinds.

        Only the last transition can be a problem (an interruption is published only
        as the current status), so no mail is sent for a problem already resolved.
        """
        pairs = ((transition, mail_kind(transition)) for transition in self.transitions)
        return tuple((transition, kind) for transition, kind in pairs if kind is not None)


def advance(published: PublishedState | None, state: ParcelState) -> Publication:
    """Return the public status changes to publish for ``state``.

    Parameters
    ----------
    published
        What was published before (``None`` when nothing was).
    state
        The parcel's state, folded from every scan seen so far.

    Returns
    -------
    Publication
        The transitions, in order, and the :class:`PublishedState` to store once
        they are published. When there is nothing new, no transitions and
        ``published`` unchanged.

    Notes
    -----
    Nothing is published while the folded status is the one already published
    (the same episode, possibly now known to have started earlier). Otherwise,
    every milestone above the highest published one is published in order, then
    the current status if it is not the last of those milestones.
    """
    published = published or PublishedState()
    if state.status is None or state.status_since is None or not _is_news(published, state):
        return Publication((), published)
    transitions = _new_milestones(published, state)
    previous = transitions[-1].status if transitions else published.status
    if state.status != previous or state.status in INTERRUPTIONS:
        transitions.append(
            Transition(state.status, previous, state.status_since, state.estimated_delivery, False)
        )
    top = published.milestone
    if any(transition.milestone for transition in transitions):
        top = [t.status for t in transitions if t.milestone][-1]
    return Publication(tuple(transitions), PublishedState(state.status, state.status_since, top))


def mail_kind(transition: Transition) -> str | None:
    """Return the kind of customer mail a transition deserves, or ``None``.

    ``shipped`` (first ``in_transit``), ``out_for_delivery`` and ``delivered`` are
    sent for milestones only, so once each; ``attempt_failed``, ``exception`` and
    ``available_for_pickup`` for every time the parcel enters those states.
    """
    if transition.milestone and transition.status in _MILESTONE_MAILS:
        return _MILESTONE_MAILS[transition.status]
    return _PROBLEM_MAILS.get(transition.status)


def _is_news(published: PublishedState, state: ParcelState) -> bool:
    assert state.status is not None and state.status_since is not None
    if published.status is None or published.since is None:
        return True
    if state.status == published.status and state.status_since <= published.since:
        return False
    if level(state.milestone) > level(published.milestone):
        return True
    return (state.status_since, tie_order(state.status)) > (
        published.since,
        tie_order(published.status),
    )


def _new_milestones(published: PublishedState, state: ParcelState) -> list[Transition]:
    transitions: list[Transition] = []
    previous = published.status
    for status, reached_at in state.milestones:
        if level(status) > level(published.milestone):
            transitions.append(
                Transition(status, previous, reached_at, state.estimated_delivery, True)
            )
            previous = status
    return transitions
