"""Property tests of the tracking fold and of what is published across calls."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.tracking import ParcelState, Scan, fold
from chalicelib.domain.tracking_publish import PublishedState, Transition, advance
from chalicelib.domain.tracking_status import (
    DELIVERED_LEVEL,
    EXCEPTION,
    MILESTONES,
    RETURNING_LEVEL,
    STATUSES,
    level,
)

FAST = settings(
    max_examples=int(os.environ.get("RAPPORT_HYPOTHESIS_EXAMPLES", "200")), deadline=None
)
T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
ZONES = (UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5)))


@st.composite
def scans(draw: st.DrawFn, ids: int = 10) -> Scan:
    """A scan whose id, time and status collide often with others."""
    minutes = draw(st.integers(min_value=0, max_value=8))
    zone = draw(st.sampled_from(ZONES))
    return Scan(
        event_id=f"e{draw(st.integers(min_value=0, max_value=ids - 1))}",
        tracking_number="1Z999AA10123456784",
        status=draw(st.sampled_from(STATUSES)),
        occurred_at=(T0 + timedelta(minutes=minutes)).astimezone(zone),
        location=draw(st.sampled_from((None, "Shenzhen", "Louisville"))),
        estimated_delivery=draw(st.sampled_from((None, date(2024, 5, 3), date(2024, 5, 4)))),
    )


scan_lists = st.lists(scans(), max_size=14)
# One content per event id: a carrier may repeat an event but not rewrite it.
event_lists = st.lists(scans(ids=30), max_size=14, unique_by=lambda scan: scan.event_id)


@FAST
@given(scan_lists, st.data())
def test_fold_depends_only_on_the_set_of_scans(items: list[Scan], data: st.DataObject) -> None:
    extra = data.draw(st.lists(st.sampled_from(items), max_size=6)) if items else []
    shuffled = data.draw(st.permutations(items + extra))
    assert fold(shuffled).to_dict() == fold(items).to_dict()


@FAST
@given(scan_lists)
def test_history_is_sorted_distinct_and_refolds_to_itself(items: list[Scan]) -> None:
    state = fold(items)
    ids = [scan.event_id for scan in state.history]
    assert len(ids) == len(set(ids)) == len({scan.event_id for scan in items})
    times = [scan.occurred_at for scan in state.history]
    assert times == sorted(times)
    assert fold(state.history) == state
    assert ParcelState.from_dict(state.to_dict()) == state


@FAST
@given(scan_lists)
def test_milestones_rise_and_status_level_matches(items: list[Scan]) -> None:
    state = fold(items)
    levels = [level(status) for status, _ in state.milestones]
    assert levels == sorted(set(levels))
    assert level(state.milestone) == (levels[-1] if levels else -1)
    if state.status in MILESTONES:
        assert state.status == state.milestone


def _publish_in_chunks(
    items: list[Scan], cuts: list[int]
) -> tuple[list[Transition], PublishedState]:
    published = PublishedState()
    seen: list[Scan] = []
    log: list[Transition] = []
    start = 0
    for end in sorted(set(cuts)) + [len(items)]:
        seen.extend(items[start:end])
        start = max(start, end)
        publication = advance(published, fold(seen))
        log.extend(publication.transitions)
        published = publication.published
    return log, published


def _assert_never_backwards(log: list[Transition]) -> None:
    top = -1
    shown: str | None = None
    for transition in log:
        assert transition.previous_status == shown
        if transition.milestone:
            assert level(transition.status) > top
            top = level(transition.status)
        elif transition.status in MILESTONES:
            assert level(transition.status) == top
        elif top >= DELIVERED_LEVEL:
            assert transition.status == EXCEPTION and top == RETURNING_LEVEL
        shown = transition.status


@FAST
@given(event_lists, st.data())
def test_shuffled_chunks_publish_each_milestone_once_in_order(
    items: list[Scan], data: st.DataObject
) -> None:
    repeats = data.draw(st.lists(st.sampled_from(items), max_size=6)) if items else []
    shuffled = data.draw(st.permutations(items + repeats))
    cuts = data.draw(st.lists(st.integers(min_value=0, max_value=len(shuffled)), max_size=5))
    log, published = _publish_in_chunks(shuffled, cuts)
    final = fold(items)

    _assert_never_backwards(log)
    assert len({t.key for t in log}) == len(log)
    milestones = [t.status for t in log if t.milestone]
    assert len(milestones) == len(set(milestones))
    assert all(level(status) <= level(final.milestone) for status in milestones)
    assert published.status == final.status
    if final.status_since is not None:
        assert published.since is not None and published.since >= final.status_since
    if final.status in MILESTONES:
        assert published.milestone == final.milestone
    assert advance(published, final).transitions == ()


@FAST
@given(scan_lists)
def test_one_call_publishes_every_milestone(items: list[Scan]) -> None:
    final = fold(items)
    publication = advance(None, final)
    assert [t.status for t in publication.transitions if t.milestone] == [
        status for status, _ in final.milestones
    ]
    if final.status is not None:
        assert publication.transitions[-1].status == final.status
