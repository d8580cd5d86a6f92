"""Example-based tests of the tracking fold, the publication rules and mail triggers."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.tracking import ParcelState, Scan, fold
from chalicelib.domain.tracking_publish import (
    MAIL_KINDS,
    PublishedState,
    Transition,
    advance,
    mail_kind,
)

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
SHANGHAI = timezone(timedelta(hours=8))


def scan(event: str, status: str, hour: float, **fields: object) -> Scan:
    """Return a scan of parcel TN1 that happened ``hour`` hours after T0."""
    return Scan(event, "TN1", status, T0 + timedelta(hours=hour), **fields)  # type: ignore[arg-type]


def at(hour: float) -> datetime:
    """Return T0 plus ``hour`` hours."""
    return T0 + timedelta(hours=hour)


def statuses(state: ParcelState) -> list[str]:
    """Return the statuses of the state's history, in order."""
    return [item.status for item in state.history]


def published_statuses(transitions: tuple[Transition, ...]) -> list[str]:
    """Return the statuses of a publication's transitions, in order."""
    return [transition.status for transition in transitions]


HAPPY_PATH = [
    scan("a", "info_received", 0),
    scan("b", "in_transit", 2),
    scan("c", "out_for_delivery", 20),
    scan("d", "delivered", 24),
]


# Fold: the happy path, late and duplicated scans ----------------------------------


def test_no_scans_is_an_empty_state() -> None:
    assert fold([]) == ParcelState()
    assert fold([]).status is None


def test_happy_path_reaches_each_milestone() -> None:
    state = fold(HAPPY_PATH)
    assert state.tracking_number == "TN1"
    assert state.status == "delivered"
    assert state.previous_status == "out_for_delivery"
    assert state.status_since == at(24)
    assert state.milestone == "delivered"
    assert state.milestones == (
        ("info_received", at(0)),
        ("in_transit", at(2)),
        ("out_for_delivery", at(20)),
        ("delivered", at(24)),
    )
    assert state.delivered_at == at(24)
    assert state.last_event_at == at(24)


def test_late_scan_older_in_event_time_goes_to_history_only() -> None:
    state = fold([*HAPPY_PATH, scan("late", "in_transit", 10)])
    assert state.status == "delivered"
    assert statuses(state) == [
        "info_received",
        "in_transit",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]


def test_newer_scan_of_a_lower_rank_never_moves_the_status_back() -> None:
    state = fold([scan("a", "out_for_delivery", 1), scan("b", "in_transit", 2)])
    assert state.status == "out_for_delivery"
    assert state.status_since == at(1)
    assert statuses(state) == ["out_for_delivery", "in_transit"]


def test_arrival_order_and_duplicates_do_not_matter() -> None:
    shuffled = [HAPPY_PATH[3], HAPPY_PATH[1], HAPPY_PATH[3], HAPPY_PATH[0], HAPPY_PATH[2]]
    assert fold(shuffled) == fold(HAPPY_PATH)


def test_duplicate_event_id_is_kept_once() -> None:
    state = fold([scan("a", "in_transit", 1), scan("a", "in_transit", 1)])
    assert len(state.history) == 1


def test_conflicting_duplicates_keep_the_earliest_version_whatever_the_order() -> None:
    first = scan("a", "in_transit", 1, location="Shenzhen")
    corrected = scan("a", "in_transit", 3, location="Hong Kong")
    assert fold([corrected, first]).history == (first,)
    assert fold([first, corrected]).history == (first,)


def test_same_instant_scans_are_processed_in_tie_order() -> None:
    state = fold([scan("z", "attempt_failed", 5), scan("a", "out_for_delivery", 5)])
    assert state.status == "attempt_failed"
    assert statuses(state) == ["out_for_delivery", "attempt_failed"]


def test_history_is_in_event_time_across_time_zones() -> None:
    later_in_shanghai = Scan("b", "TN1", "in_transit", at(2).astimezone(SHANGHAI))
    state = fold([later_in_shanghai, scan("a", "info_received", 1)])
    assert [item.event_id for item in state.history] == ["a", "b"]


# Fold: side states entered and left ------------------------------------------------


@pytest.mark.parametrize(
    ("side", "back", "expected"),
    [
        ("exception", "in_transit", "in_transit"),
        ("attempt_failed", "out_for_delivery", "out_for_delivery"),
        ("available_for_pickup", "delivered", "delivered"),
        ("available_for_pickup", "out_for_delivery", "out_for_delivery"),
        ("exception", "delivered", "delivered"),
    ],
)
def test_interruption_is_entered_then_left_by_a_newer_forward_scan(
    side: str, back: str, expected: str
) -> None:
    before = [scan("a", "in_transit", 1), scan("b", "out_for_delivery", 2)]
    if back == "in_transit":
        before = before[:1]
    entered = fold([*before, scan("s", side, 3)])
    assert entered.status == side
    assert entered.previous_status == before[-1].status
    left = fold([*before, scan("s", side, 3), scan("z", back, 4)])
    assert left.status == expected
    assert left.previous_status == side
    assert left.status_since == at(4)


def test_interruption_is_not_left_by_a_scan_below_the_level_reached() -> None:
    state = fold(
        [
            scan("a", "out_for_delivery", 1),
            scan("b", "attempt_failed", 2),
            scan("c", "in_transit", 3),
        ]
    )
    assert state.status == "attempt_failed"


def test_interruption_older_than_the_current_status_changes_nothing() -> None:
    state = fold(
        [scan("a", "in_transit", 1), scan("b", "in_transit", 3), scan("x", "exception", 2)]
    )
    assert state.status == "in_transit"
    assert state.status_since == at(3)


def test_repeated_interruption_keeps_its_first_time() -> None:
    state = fold([scan("a", "exception", 1), scan("b", "exception", 2)])
    assert state.status == "exception"
    assert state.status_since == at(1)


def test_a_second_failed_attempt_is_a_new_episode() -> None:
    state = fold(
        [
            scan("a", "out_for_delivery", 1),
            scan("b", "attempt_failed", 2),
            scan("c", "out_for_delivery", 24),
            scan("d", "attempt_failed", 26),
        ]
    )
    assert state.status == "attempt_failed"
    assert state.status_since == at(26)
    assert [status for status, _ in state.milestones] == ["out_for_delivery"]


def test_delivered_ignores_later_problems_and_forward_scans() -> None:
    after = ["exception", "attempt_failed", "available_for_pickup", "in_transit", "expired"]
    scans = [*HAPPY_PATH] + [scan(f"x{i}", status, 30 + i) for i, status in enumerate(after)]
    state = fold(scans)
    assert state.status == "delivered"
    assert len(state.history) == len(scans)


# Fold: returns and expiry ------------------------------------------------------------


def test_return_trip_ends_in_returned() -> None:
    state = fold(
        [
            scan("a", "in_transit", 1),
            scan("b", "returning_to_sender", 2),
            scan("c", "returned", 9),
        ]
    )
    assert state.status == "returned"
    assert [status for status, _ in state.milestones] == [
        "in_transit",
        "returning_to_sender",
        "returned",
    ]


def test_return_trip_ignores_forward_scans_and_maps_delivery_to_returned() -> None:
    scans = [scan("a", "returning_to_sender", 1), scan("b", "in_transit", 2)]
    assert fold(scans).status == "returning_to_sender"
    assert fold([*scans, scan("c", "attempt_failed", 3)]).status == "returning_to_sender"
    assert fold([*scans, scan("d", "delivered", 4)]).status == "returned"


def test_exception_on_the_return_trip_is_left_back_to_returning() -> None:
    scans = [scan("a", "returning_to_sender", 1), scan("b", "exception", 2)]
    assert fold(scans).status == "exception"
    back = fold([*scans, scan("c", "in_transit", 3)])
    assert back.status == "returning_to_sender"
    assert back.status_since == at(3)
    assert [status for status, _ in back.milestones] == ["returning_to_sender"]


def test_returned_is_terminal() -> None:
    state = fold([scan("a", "returned", 1), scan("b", "exception", 2), scan("c", "delivered", 3)])
    assert state.status == "returned"


def test_delivered_parcel_may_still_go_back_to_its_sender() -> None:
    state = fold([*HAPPY_PATH, scan("r", "returning_to_sender", 48)])
    assert state.status == "returning_to_sender"
    assert state.delivered_at == at(24)


@pytest.mark.parametrize(
    ("before", "expected"),
    [([], "expired"), (["pending"], "expired"), (["info_received"], "info_received")],
)
def test_expired_only_while_nothing_beyond_pending_is_known(
    before: list[str], expected: str
) -> None:
    scans = [scan(f"b{i}", status, i) for i, status in enumerate(before)]
    assert fold([*scans, scan("x", "expired", 50)]).status == expected


def test_expired_is_left_by_any_later_news() -> None:
    assert fold([scan("x", "expired", 1), scan("a", "in_transit", 2)]).status == "in_transit"


# Fold: estimated delivery --------------------------------------------------------------


def test_newest_estimate_by_event_time_wins_whatever_the_arrival_order() -> None:
    revised = scan("b", "in_transit", 5, estimated_delivery=date(2024, 5, 6))
    original = scan("a", "info_received", 1, estimated_delivery=date(2024, 5, 4))
    without = scan("c", "in_transit", 7)
    assert fold([revised, without, original]).estimated_delivery == date(2024, 5, 6)


def test_estimate_from_an_ignored_late_scan_still_counts_when_it_is_newest() -> None:
    scans = [
        scan("a", "out_for_delivery", 1, estimated_delivery=date(2024, 5, 2)),
        scan("b", "in_transit", 3, estimated_delivery=date(2024, 5, 3)),
    ]
    state = fold(scans)
    assert state.status == "out_for_delivery"
    assert state.estimated_delivery == date(2024, 5, 3)


# Validation and storage ------------------------------------------------------------------


def test_scan_rejects_a_naive_time() -> None:
    with pytest.raises(InvalidInput) as caught:
        Scan("a", "TN1", "in_transit", datetime(2024, 5, 1, 8, 0))
    assert caught.value.field == "occurred_at"


def test_scan_rejects_an_unknown_status() -> None:
    with pytest.raises(InvalidInput) as caught:
        Scan("a", "TN1", "lost_in_space", T0)
    assert caught.value.field == "status"


@pytest.mark.parametrize("field", ["event_id", "tracking_number"])
def test_scan_rejects_empty_ids(field: str) -> None:
    values = {"event_id": "a", "tracking_number": "TN1", field: " "}
    with pytest.raises(InvalidInput) as caught:
        Scan(values["event_id"], values["tracking_number"], "in_transit", T0)
    assert caught.value.field == field


def test_scan_rejects_a_datetime_as_estimate() -> None:
    with pytest.raises(InvalidInput) as caught:
        Scan("a", "TN1", "in_transit", T0, estimated_delivery=T0)
    assert caught.value.field == "estimated_delivery"


@pytest.mark.parametrize("other_id", ["a", "b"])
def test_fold_rejects_scans_of_several_parcels(other_id: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        fold([scan("a", "in_transit", 1), Scan(other_id, "TN2", "in_transit", T0)])
    assert caught.value.field == "tracking_number"


def test_state_round_trips_through_json() -> None:
    scans = [
        *HAPPY_PATH,
        Scan(
            "e",
            "TN1",
            "exception",
            at(30).astimezone(SHANGHAI),
            location="深圳",
            description="海关查验",
            estimated_delivery=date(2024, 5, 3),
            raw_status="13",
        ),
    ]
    state = fold(scans)
    stored = json.loads(json.dumps(state.to_dict(), ensure_ascii=False))
    assert stored["status"] == "delivered"
    assert stored["status_since"] == "2024-05-02T08:00:00+00:00"
    assert ParcelState.from_dict(stored) == state


def test_scan_from_dict_names_the_bad_field() -> None:
    data = scan("a", "in_transit", 1).to_dict() | {"occurred_at": "yesterday"}
    with pytest.raises(InvalidInput) as caught:
        Scan.from_dict(data)
    assert caught.value.field == "occurred_at"
    data = scan("a", "in_transit", 1).to_dict() | {"estimated_delivery": "soon"}
    with pytest.raises(InvalidInput) as caught:
        Scan.from_dict(data)
    assert caught.value.field == "estimated_delivery"


# Publication -------------------------------------------------------------------------------


def test_first_publication_lists_milestones_then_the_current_problem() -> None:
    state = fold([*HAPPY_PATH[:3], scan("x", "attempt_failed", 21)])
    publication = advance(None, state)
    assert published_statuses(publication.transitions) == [
        "info_received",
        "in_transit",
        "out_for_delivery",
        "attempt_failed",
    ]
    assert [t.milestone for t in publication.transitions] == [True, True, True, False]
    assert [t.previous_status for t in publication.transitions] == [
        None,
        "info_received",
        "in_transit",
        "out_for_delivery",
    ]
    assert publication.transitions[1].occurred_at == at(2)
    assert publication.published == PublishedState("attempt_failed", at(21), "out_for_delivery")


def test_publishing_the_same_state_twice_publishes_nothing() -> None:
    first = advance(None, fold(HAPPY_PATH))
    again = advance(first.published, fold(HAPPY_PATH))
    assert again.transitions == ()
    assert again.published == first.published


def test_late_scan_after_delivered_was_published_publishes_nothing() -> None:
    published = advance(None, fold(HAPPY_PATH)).published
    late = fold([*HAPPY_PATH, scan("late", "in_transit", 30)])
    assert advance(published, late).transitions == ()


def test_delivered_arriving_first_skips_older_milestones_later() -> None:
    first = advance(None, fold([HAPPY_PATH[3]]))
    assert published_statuses(first.transitions) == ["delivered"]
    rest = advance(first.published, fold(HAPPY_PATH))
    assert rest.transitions == ()


def test_milestones_arriving_in_reverse_are_published_once_each_in_order() -> None:
    published = PublishedState()
    log: list[Transition] = []
    seen: list[Scan] = []
    for item in reversed(HAPPY_PATH[:3]):
        seen.append(item)
        publication = advance(published, fold(seen))
        log.extend(publication.transitions)
        published = publication.published
    assert published_statuses(tuple(log)) == ["out_for_delivery"]


def test_milestone_found_behind_a_published_problem_waits_for_the_parcel_to_move() -> None:
    problem = advance(None, fold([scan("x", "exception", 5)]))
    assert published_statuses(problem.transitions) == ["exception"]

    older = [scan("x", "exception", 5), scan("a", "in_transit", 2)]
    waiting = advance(problem.published, fold(older))
    assert waiting.transitions == ()

    moving = advance(waiting.published, fold([*older, scan("b", "in_transit", 6)]))
    assert published_statuses(moving.transitions) == ["in_transit"]
    assert moving.transitions[0].milestone
    assert moving.transitions[0].previous_status == "exception"
    assert mail_kind(moving.transitions[0]) == "shipped"


def test_problem_resolved_back_to_a_published_milestone_is_not_a_milestone() -> None:
    scans = [scan("a", "in_transit", 1), scan("x", "exception", 2)]
    published = advance(None, fold(scans)).published
    back = advance(published, fold([*scans, scan("b", "in_transit", 3)]))
    assert published_statuses(back.transitions) == ["in_transit"]
    assert not back.transitions[0].milestone
    assert mail_kind(back.transitions[0]) is None


def test_each_failed_attempt_is_published() -> None:
    scans = [scan("a", "out_for_delivery", 1), scan("b", "attempt_failed", 2)]
    published = advance(None, fold(scans)).published
    scans += [scan("c", "out_for_delivery", 24), scan("d", "attempt_failed", 26)]
    second = advance(published, fold(scans))
    assert published_statuses(second.transitions) == ["attempt_failed"]
    assert second.transitions[0].previous_status == "attempt_failed"
    assert second.transitions[0].occurred_at == at(26)


def test_same_problem_known_to_have_started_earlier_is_not_republished() -> None:
    published = advance(None, fold([scan("x", "exception", 5)])).published
    earlier = fold([scan("x", "exception", 5), scan("w", "exception", 3)])
    assert advance(published, earlier).transitions == ()


def test_return_after_delivery_is_published() -> None:
    published = advance(None, fold(HAPPY_PATH)).published
    publication = advance(published, fold([*HAPPY_PATH, scan("r", "returning_to_sender", 48)]))
    assert published_statuses(publication.transitions) == ["returning_to_sender"]
    assert publication.transitions[0].milestone


def test_transitions_carry_the_newest_estimate() -> None:
    scans = [scan("a", "in_transit", 1, estimated_delivery=date(2024, 5, 5))]
    publication = advance(None, fold(scans))
    assert publication.transitions[0].estimated_delivery == date(2024, 5, 5)
    assert publication.transitions[0].to_dict() == {
        "status": "in_transit",
        "previous_status": None,
        "occurred_at": "2024-05-01T09:00:00+00:00",
        "estimated_delivery": "2024-05-05",
        "milestone": True,
    }


def test_nothing_to_publish_without_scans() -> None:
    assert advance(None, fold([])).transitions == ()


def test_transition_keys_are_stable_dedup_ids() -> None:
    milestone = Transition("delivered", "out_for_delivery", at(24), None, True)
    problem = Transition("exception", "in_transit", at(3).astimezone(SHANGHAI), None, False)
    assert milestone.key == "delivered"
    assert problem.key == "exception@2024-05-01T11:00:00+00:00/after-in_transit"
    first = Transition("exception", None, at(3), None, False)
    assert first.key == "exception@2024-05-01T11:00:00+00:00"


def test_an_episode_told_again_after_a_late_scan_gets_a_new_key() -> None:
    """Exception told; a late delivery scan (earlier time) then the return it started:
    the exception now follows the return, and subscribers must hear it again."""
    scans = [scan("e1", "pending", 0), scan("e5", "exception", 1 / 60)]
    first = advance(None, fold(scans))
    scans.append(scan("e4", "delivered", 0))
    late = advance(first.published, fold(scans))
    scans.append(scan("e6", "returning_to_sender", 1 / 60))
    again = advance(late.published, fold(scans))
    log = [*first.transitions, *late.transitions, *again.transitions]
    assert [t.status for t in log] == [
        "pending",
        "exception",
        "delivered",
        "returning_to_sender",
        "exception",
    ]
    assert len({t.key for t in log}) == len(log)
    assert again.published.status == "exception"


def test_published_state_round_trips() -> None:
    state = PublishedState("exception", at(3).astimezone(SHANGHAI), "in_transit")
    stored = json.loads(json.dumps(state.to_dict()))
    assert PublishedState.from_dict(stored) == state
    assert PublishedState.from_dict(None) == PublishedState()
    assert PublishedState.from_dict({}) == PublishedState()


def test_published_state_rejects_unknown_statuses() -> None:
    with pytest.raises(InvalidInput) as caught:
        PublishedState.from_dict({"status": "in_transit", "milestone": "teleported"})
    assert caught.value.field == "milestone"


# Mail triggers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "milestone", "kind"),
    [
        ("in_transit", True, "shipped"),
        ("out_for_delivery", True, "out_for_delivery"),
        ("delivered", True, "delivered"),
        ("attempt_failed", False, "attempt_failed"),
        ("exception", False, "exception"),
        ("available_for_pickup", False, "available_for_pickup"),
        ("in_transit", False, None),
        ("out_for_delivery", False, None),
        ("info_received", True, None),
        ("pending", True, None),
        ("returning_to_sender", True, None),
        ("returned", True, None),
        ("expired", False, None),
    ],
)
def test_mail_kind(status: str, milestone: bool, kind: str | None) -> None:
    transition = Transition(status, None, T0, None, milestone)
    assert mail_kind(transition) == kind
    assert kind is None or kind in MAIL_KINDS


def test_publication_lists_its_mails() -> None:
    publication = advance(None, fold([*HAPPY_PATH[:3], scan("x", "attempt_failed", 21)]))
    assert [kind for _, kind in publication.mails()] == [
        "shipped",
        "out_for_delivery",
        "attempt_failed",
    ]
