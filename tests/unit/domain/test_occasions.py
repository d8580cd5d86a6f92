"""Whose birthday or anniversary it is at an instant, in their own time zone, and what
their loyalty earns them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chalicelib.domain import occasions
from chalicelib.domain.occasions import (
    Occasion,
    anniversary,
    is_their_day,
    letter_for,
    local_date,
    month_days_at,
    signup_month_day,
)


def test_an_instant_holds_two_or_three_dates_on_earth() -> None:
    assert month_days_at(datetime(2026, 5, 1, 2, tzinfo=UTC)) == ["04-30", "05-01"]
    assert month_days_at(datetime(2026, 5, 1, 11, tzinfo=UTC)) == ["04-30", "05-01", "05-02"]
    assert month_days_at(datetime(2026, 5, 1, 12, tzinfo=UTC)) == ["05-01", "05-02"]


def test_the_leap_day_is_asked_for_beside_28_february_in_a_common_year() -> None:
    assert "02-29" in month_days_at(datetime(2027, 2, 28, 12, tzinfo=UTC))
    assert "02-29" not in month_days_at(datetime(2027, 2, 27, 6, tzinfo=UTC))
    leap = month_days_at(datetime(2028, 2, 28, 12, tzinfo=UTC))
    assert leap == ["02-28", "02-29"]  # a real 29 February is coming, not a stand-in


@pytest.mark.parametrize(
    ("today", "theirs"),
    [(date(2027, 2, 28), True), (date(2028, 2, 28), False), (date(2028, 2, 29), True)],
)
def test_a_leap_day_birthday_is_greeted_on_28_february_in_other_years(
    today: date, theirs: bool
) -> None:
    assert is_their_day("02-29", today) is theirs
    assert is_their_day("02-28", date(2028, 2, 28))
    assert not is_their_day(None, today)


def test_the_same_instant_is_a_birthday_in_shanghai_and_not_yet_in_new_york() -> None:
    instant = datetime(2026, 5, 1, 2, tzinfo=UTC)
    assert is_their_day("05-01", local_date(instant, "Asia/Shanghai"))
    assert not is_their_day("05-01", local_date(instant, "America/New_York"))
    assert is_their_day("05-01", local_date(instant, "UTC"))
    assert is_their_day("04-30", local_date(instant, "Pacific/Honolulu"))


def test_a_daylight_saving_change_moves_the_local_midnight() -> None:
    # London moves to BST (UTC+1) at 01:00 UTC on 30 March 2025
    before = datetime(2025, 3, 29, 23, 30, tzinfo=UTC)  # 23:30 GMT, still the 29th
    after = datetime(2025, 3, 30, 23, 30, tzinfo=UTC)  # 00:30 BST, already the 31st
    assert local_date(before, "Europe/London") == date(2025, 3, 29)
    assert local_date(after, "Europe/London") == date(2025, 3, 31)
    assert not is_their_day("03-30", local_date(after, "Europe/London"))
    # New York's autumn change: 04:30 UTC is 00:30 EDT on 2 Nov, 23:30 EST on 2 Nov a day on
    assert local_date(datetime(2025, 11, 2, 4, 30, tzinfo=UTC), "America/New_York") == date(
        2025, 11, 2
    )
    assert local_date(datetime(2025, 11, 3, 4, 30, tzinfo=UTC), "America/New_York") == date(
        2025, 11, 2
    )


def test_the_signup_anniversary_is_the_signup_day_in_their_zone_and_not_the_day_itself() -> None:
    late = datetime(2025, 6, 30, 20, tzinfo=UTC)  # already 1 July in Shanghai
    assert signup_month_day(late, "Asia/Shanghai") == "07-01"
    assert signup_month_day(late, "UTC") == "06-30"
    assert anniversary(date(2025, 7, 1), date(2025, 7, 1)) is None
    assert anniversary(date(2025, 7, 1), date(2027, 7, 1)) == Occasion("anniversary", 2027, 2)


def test_loyalty_decides_the_letter_and_its_key() -> None:
    birthday = Occasion(occasions.BIRTHDAY, 2026)
    assert letter_for("very_loyal", birthday) == occasions.Letter(
        "greeting", "greeting#birthday#2026"
    )
    anniversary_2 = Occasion(occasions.ANNIVERSARY, 2026, 2)
    assert letter_for("loyal", anniversary_2) == occasions.Letter(
        "recommendations", "recommendations#anniversary#2026"
    )
    assert letter_for("occasional", birthday) is None
