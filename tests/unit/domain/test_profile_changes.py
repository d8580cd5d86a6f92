"""Counter deltas and outbound events derived from one profile change."""

from __future__ import annotations

from chalicelib.domain.profile import Profile
from chalicelib.domain.profile_changes import count_deltas, counts_view, profile_events


def profile(**changes: object) -> Profile:
    base = Profile(
        customer_id="c-1",
        email="ana@example.com",
        created_at="2026-05-01T00:00:00.000Z",
        updated_at="2026-05-01T00:00:00.000Z",
    )
    return base.with_changes(**changes)


def test_a_signup_adds_one_to_its_classes_and_announces_nothing() -> None:
    assert count_deltas(None, profile()) == {
        "total": 1,
        "segment#none": 1,
        "tier#1": 1,
        "loyalty#occasional": 1,
    }
    assert profile_events(None, profile()) == []


def test_a_move_subtracts_from_the_old_class_and_adds_to_the_new() -> None:
    old = profile(rfm={"segment": "at_risk"}, tier=2)
    new = profile(rfm={"segment": "champions"}, tier=2, loyalty="loyal")
    assert count_deltas(old, new) == {
        "segment#at_risk": -1,
        "segment#champions": 1,
        "loyalty#occasional": -1,
        "loyalty#loyal": 1,
    }
    kinds = [(e.detail_type, e.detail) for e in profile_events(old, new)]
    assert kinds == [
        (
            "Rapport.SegmentChanged",
            {"customer_id": "c-1", "segment": {"from": "at_risk", "to": "champions"}},
        ),
        (
            "Rapport.LoyaltyChanged",
            {"customer_id": "c-1", "loyalty": {"from": "occasional", "to": "loyal"}},
        ),
    ]


def test_a_change_of_nothing_counted_moves_nothing() -> None:
    assert count_deltas(profile(), profile(name="Ana Li", points=40)) == {}
    assert profile_events(profile(), profile(name="Ana Li")) == []


def test_the_first_segment_is_announced_from_null_and_a_tier_as_numbers() -> None:
    (segment,) = profile_events(profile(), profile(rfm={"segment": "new_customers"}))
    assert segment.detail["segment"] == {"from": None, "to": "new_customers"}
    (tier,) = profile_events(profile(), profile(tier=3))
    assert (tier.detail_type, tier.detail["tier"]) == ("Rapport.TierChanged", {"from": 1, "to": 3})


def test_an_erasure_subtracts_the_profile_and_is_announced_by_id_only() -> None:
    old = profile(tier=2, rfm={"segment": "lost"})
    assert count_deltas(old, None) == {
        "total": -1,
        "segment#lost": -1,
        "tier#2": -1,
        "loyalty#occasional": -1,
    }
    (erased,) = profile_events(old, None)
    assert (erased.detail_type, erased.detail) == ("Rapport.CustomerErased", {"customer_id": "c-1"})


def test_becoming_unreachable_is_announced_once_and_recovering_is_not() -> None:
    bounced = profile(email_status="bounced")
    (event,) = profile_events(profile(), bounced)
    assert event.detail == {"customer_id": "c-1", "email_status": "bounced"}
    assert profile_events(bounced, profile()) == []
    assert profile_events(bounced, bounced.with_changes(name="x")) == []


def test_the_view_lists_every_known_class_even_when_empty() -> None:
    view = counts_view(
        {"total": 3, "tier#1": 2, "tier#3": 1, "loyalty#loyal": 1},
        ("a", "b"),
        ("loyal", "occasional"),
    )
    assert view["segment_customers"] == {"a": 0, "b": 0}
    assert view["tiers"] == [{"tier": 1, "customers": 2}, {"tier": 3, "customers": 1}]
    assert view["loyalty"] == [
        {"loyalty": "loyal", "customers": 1},
        {"loyalty": "occasional", "customers": 0},
    ]
