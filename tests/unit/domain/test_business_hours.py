"""The promise of a first answer: business hours, weekends, holidays, time zones, DST, backlog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.business_hours import (
    DEFAULT_WEEK,
    add_business_minutes,
    business_hours,
    business_minutes_between,
    expected_answer_by,
    minutes_needed,
    parse_holidays,
    parse_week,
)
from chalicelib.domain.exceptions import InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_9_TO_18 = business_hours("Asia/Shanghai", DEFAULT_WEEK, [])


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)  # type: ignore[misc]


def test_a_question_inside_hours_is_answered_within_the_floor() -> None:
    # Tuesday 1 December 2026, 10:00 in Shanghai.
    promised = expected_answer_by(WEEKDAYS_9_TO_18, at(SHANGHAI, 2026, 12, 1, 10, 0), 0, 4, 60)
    assert promised == at(SHANGHAI, 2026, 12, 1, 11, 0)


def test_friday_evening_is_promised_for_monday_morning_not_saturday() -> None:
    friday_evening = at(SHANGHAI, 2026, 12, 4, 19, 30)
    promised = expected_answer_by(WEEKDAYS_9_TO_18, friday_evening, 0, 4, 60)
    assert promised == at(SHANGHAI, 2026, 12, 7, 10, 0)
    assert promised.astimezone(SHANGHAI).strftime("%A") == "Monday"


def test_working_time_carries_over_the_end_of_the_day() -> None:
    late = at(SHANGHAI, 2026, 12, 1, 17, 30)  # 30 minutes left on Tuesday
    assert expected_answer_by(WEEKDAYS_9_TO_18, late, 0, 4, 60) == at(SHANGHAI, 2026, 12, 2, 9, 30)


def test_holidays_are_not_working_days() -> None:
    hours = business_hours("Asia/Shanghai", DEFAULT_WEEK, ["2026-12-07", "2026-12-08"])
    friday_evening = at(SHANGHAI, 2026, 12, 4, 19, 30)
    assert expected_answer_by(hours, friday_evening, 0, 4, 60) == at(SHANGHAI, 2026, 12, 9, 10, 0)


def test_the_backlog_moves_the_promise_past_the_floor() -> None:
    # 20 open tickets ahead at 4 answers per working hour: 5 working hours.
    monday = at(SHANGHAI, 2026, 12, 7, 9, 0)
    assert expected_answer_by(WEEKDAYS_9_TO_18, monday, 20, 4, 60) == at(
        SHANGHAI, 2026, 12, 7, 14, 0
    )
    # 40 ahead: 10 working hours, so the next morning.
    assert expected_answer_by(WEEKDAYS_9_TO_18, monday, 40, 4, 60) == at(
        SHANGHAI, 2026, 12, 8, 10, 0
    )


@pytest.mark.parametrize(
    ("ahead", "per_hour", "floor", "minutes"),
    [(0, 4, 60, 60), (3, 4, 60, 60), (5, 4, 60, 75), (1, 0, 45, 45), (10_000, 4, 60, 150_000)],
)
def test_minutes_needed_is_the_backlog_share_with_a_floor(
    ahead: int, per_hour: int, floor: int, minutes: int
) -> None:
    assert minutes_needed(ahead, per_hour, floor) == minutes


def test_the_support_time_zone_decides_not_the_customers() -> None:
    # 08:30 in Berlin on a Monday is 15:30 in Shanghai: inside Shanghai's hours.
    question = at(BERLIN, 2026, 12, 7, 8, 30)
    promised = expected_answer_by(WEEKDAYS_9_TO_18, question, 0, 4, 60)
    assert promised == at(SHANGHAI, 2026, 12, 7, 16, 30)
    # A Berlin-hours store would wait until 09:00 Berlin first.
    berlin_hours = business_hours("Europe/Berlin", DEFAULT_WEEK, [])
    assert expected_answer_by(berlin_hours, question, 0, 4, 60) == at(BERLIN, 2026, 12, 7, 10, 0)


def test_hours_follow_the_wall_clock_across_the_daylight_saving_change() -> None:
    hours = business_hours("Europe/Berlin", {"sat": ["09:00-18:00"], "mon": ["09:00-18:00"]}, [])
    # Saturday 28 March 2026, 17:30 CET; clocks go forward on Sunday 29 March.
    promised = expected_answer_by(hours, at(BERLIN, 2026, 3, 28, 17, 30), 0, 4, 60)
    assert promised == at(BERLIN, 2026, 3, 30, 9, 30)
    assert promised == datetime(2026, 3, 30, 7, 30, tzinfo=UTC)  # summer time: UTC+2
    # The night of the change is not working time: Saturday 17:00 to Monday 10:00 is 2 hours.
    start, end = at(BERLIN, 2026, 3, 28, 17, 0), at(BERLIN, 2026, 3, 30, 10, 0)
    assert business_minutes_between(hours, start, end) == 120


def test_a_working_day_that_loses_an_hour_counts_only_the_hours_it_has() -> None:
    hours = business_hours("Europe/Berlin", {"sun": ["00:00-24:00"]}, [])
    sunday = at(BERLIN, 2026, 3, 29, 0, 0)
    assert business_minutes_between(hours, sunday, sunday + timedelta(days=2)) == 23 * 60


def test_business_minutes_between_skip_nights_and_weekends() -> None:
    friday = at(SHANGHAI, 2026, 12, 4, 17, 0)
    monday = at(SHANGHAI, 2026, 12, 7, 9, 45)
    assert business_minutes_between(WEEKDAYS_9_TO_18, friday, monday) == 105
    assert business_minutes_between(WEEKDAYS_9_TO_18, monday, friday) == 0


def test_adding_and_measuring_business_minutes_agree() -> None:
    start = at(SHANGHAI, 2026, 12, 4, 16, 12)
    for minutes in (1, 59, 600, 2_000):
        end = add_business_minutes(WEEKDAYS_9_TO_18, start, minutes)
        assert business_minutes_between(WEEKDAYS_9_TO_18, start, end) == minutes


def test_a_split_day_and_an_interval_ending_at_midnight() -> None:
    hours = business_hours("UTC", {"mon": ["09:00-12:00", "13:00-24:00"]}, [])
    monday_noon = datetime(2026, 12, 7, 11, 30, tzinfo=UTC)
    assert add_business_minutes(hours, monday_noon, 60) == datetime(2026, 12, 7, 13, 30, tzinfo=UTC)
    assert add_business_minutes(hours, monday_noon, 30 + 660) == datetime(
        2026, 12, 8, 0, 0, tzinfo=UTC
    )


def test_hours_without_any_working_time_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_week({"mon": []})
    assert caught.value.field == "support_week"


@pytest.mark.parametrize(
    ("week", "field"),
    [
        ({"mon": ["9-18"]}, "support_week.mon[0]"),
        ({"mon": ["18:00-09:00"]}, "support_week.mon[0]"),
        ({"mon": ["09:00-13:00", "12:00-18:00"]}, "support_week.mon"),
        ({"monday": ["09:00-18:00"]}, "support_week.monday"),
        ({"mon": "09:00-18:00"}, "support_week.mon"),
    ],
)
def test_bad_weekly_hours_name_the_field(week: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_week(week)
    assert caught.value.field == field


def test_holidays_are_dates() -> None:
    assert parse_holidays(["2026-12-25", "2026-01-01", "2026-12-25"]) == [
        "2026-01-01",
        "2026-12-25",
    ]
    with pytest.raises(InvalidInput) as caught:
        parse_holidays(["2026-13-01"])
    assert caught.value.field == "support_holidays[0]"
