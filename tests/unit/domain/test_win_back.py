"""Win-back rules: entering a win-back segment, the 90-day rule, the letter's key."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.domain.profile import Profile, Stats
from chalicelib.domain.win_back import (
    entered_win_back_segment,
    last_win_back_day,
    win_back_allowed,
    win_back_message,
)

BASE = Profile(
    customer_id="c-1",
    email="c-1@example.com",
    created_at="2025-01-01T00:00:00Z",
    updated_at="2025-01-01T00:00:00Z",
    time_zone="Asia/Shanghai",
)


def in_segment(segment: str | None) -> Profile:
    return replace(BASE, rfm={"r": 1, "f": 4, "m": 4, "segment": segment} if segment else None)


@pytest.mark.parametrize(
    ("before", "after", "entered"),
    [
        ("loyal", "at_risk", True),
        ("about_to_sleep", "cannot_lose_them", True),
        ("at_risk", "cannot_lose_them", True),
        (None, "at_risk", True),  # first scored straight into at risk
        ("at_risk", "at_risk", False),  # staying in it is not becoming it
        ("at_risk", "hibernating", False),
        ("loyal", "champions", False),
    ],
)
def test_only_a_change_into_a_win_back_segment_counts(
    before: str | None, after: str, entered: bool
) -> None:
    assert entered_win_back_segment(in_segment(before), in_segment(after)) is entered


def test_a_new_or_erased_profile_never_enters() -> None:
    assert not entered_win_back_segment(None, in_segment("at_risk"))
    assert not entered_win_back_segment(in_segment("loyal"), None)


def test_ninety_days_must_pass_since_the_last_win_back() -> None:
    last = date(2026, 3, 1)
    assert win_back_allowed(None, date(2026, 3, 1), 90)
    assert not win_back_allowed(last, date(2026, 3, 1), 90)
    assert not win_back_allowed(last, date(2026, 5, 29), 90)  # day 89
    assert win_back_allowed(last, date(2026, 5, 30), 90)  # day 90
    assert win_back_allowed(last, date(2026, 3, 31), 30)


def test_the_key_carries_its_day_and_reads_back() -> None:
    person = replace(
        in_segment("at_risk"), stats=Stats(orders=5, last_order_at="2026-05-31T18:30:00Z")
    )
    message = win_back_message(person, date(2026, 12, 2), "2026-12-02T01:00:00.000Z", None)
    assert message.message_key == "win-back#2026-12-02"
    assert message.template == "win_back"
    assert message.purpose == "marketing"
    assert last_win_back_day(message.message_key) == date(2026, 12, 2)
    assert last_win_back_day(None) is None
    # the last order is told as a day in the customer's zone (18:30 UTC is 02:30 next day)
    assert message.context == {"segment": "at_risk", "orders": 5, "last_order_day": "2026-06-01"}
