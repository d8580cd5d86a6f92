"""The local scheduler: AWS cron and rate expressions, and running each job once per slot."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice import Chalice, Cron, Rate

from local.scheduler import Scheduler, cron_matches, schedule_of, scheduled_event

UTC = UTC
MONDAY = datetime(2024, 6, 3, tzinfo=UTC)  # 2024-06-03 is a Monday


def at(
    day: int = 3, hour: int = 0, minute: int = 0, second: int = 0, month: int = 6, year: int = 2024
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def firing(expression: str, start: datetime, minutes: int, step: int = 1) -> list[datetime]:
    """The moments in ``[start, start + minutes)``, ``step`` minutes apart, when it fires."""
    moments = (start + timedelta(minutes=n) for n in range(0, minutes, step))
    return [moment for moment in moments if cron_matches(expression, moment)]


# --- cron -------------------------------------------------------------------------------


def test_nightly_cron_fires_at_two_utc_only() -> None:
    fired = firing("0 2 * * ? *", at(3), 3 * 24 * 60)
    assert fired == [at(3, 2), at(4, 2), at(5, 2)]


def test_nightly_cron_through_the_schedule_predicate() -> None:
    due = schedule_of("cron(0 2 * * ? *)")
    assert due(at(3, 2, 0, 30), None)
    assert not due(at(3, 2, 1), None)
    assert not due(at(3, 1, 59, 59), None)
    assert not due(at(3, 14, 0), None)  # 2 PM is not 2 AM


def test_cron_ignores_seconds() -> None:
    assert cron_matches("0 2 * * ? *", at(3, 2, 0, 59))
    assert cron_matches("0 2 * * ? *", at(3, 2, 0, 0))


@pytest.mark.parametrize(
    ("day_of_week", "weekdays"),
    [
        ("MON-FRI", [0, 1, 2, 3, 4]),
        ("2-6", [0, 1, 2, 3, 4]),
        ("SUN", [6]),
        ("1", [6]),
        ("SAT", [5]),
        ("7", [5]),
        ("SAT,SUN", [5, 6]),
        ("1,7", [5, 6]),
        ("MON,WED,FRI", [0, 2, 4]),
        ("2,4,6", [0, 2, 4]),
        ("TUE-THU", [1, 2, 3]),
        ("*", [0, 1, 2, 3, 4, 5, 6]),
        ("?", [0, 1, 2, 3, 4, 5, 6]),
    ],
)
def test_day_of_week_names_and_numbers_with_sunday_one(
    day_of_week: str, weekdays: list[int]
) -> None:
    fired = firing(f"0 9 ? * {day_of_week} *", MONDAY, 7 * 24 * 60, step=30)
    assert [moment.weekday() for moment in fired] == weekdays  # Python: Monday is 0
    assert all((moment.hour, moment.minute) == (9, 0) for moment in fired)


def test_sunday_is_one_in_a_different_week() -> None:
    assert cron_matches("30 8 ? * 1 *", datetime(2024, 12, 29, 8, 30, tzinfo=UTC))  # a Sunday
    assert not cron_matches("30 8 ? * 1 *", datetime(2024, 12, 30, 8, 30, tzinfo=UTC))  # a Monday


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        ("0/15", [0, 15, 30, 45]),
        ("*/15", [0, 15, 30, 45]),
        ("5/15", [5, 20, 35, 50]),
        ("0/20", [0, 20, 40]),
        ("10-30/10", [10, 20, 30]),
        ("10-20", list(range(10, 21))),
        ("0,30", [0, 30]),
        ("5,10-12,50", [5, 10, 11, 12, 50]),
        ("59", [59]),
        ("*", list(range(60))),
    ],
)
def test_minute_steps_ranges_and_lists(minutes: str, expected: list[int]) -> None:
    fired = firing(f"{minutes} 6 * * ? *", at(3, 6), 60)
    assert [moment.minute for moment in fired] == expected


def test_hour_ranges_and_steps() -> None:
    fired = firing("0 8-10,22 * * ? *", at(3), 24 * 60)
    assert [moment.hour for moment in fired] == [8, 9, 10, 22]
    fired = firing("0 0/6 * * ? *", at(3), 24 * 60)
    assert [moment.hour for moment in fired] == [0, 6, 12, 18]


def test_day_of_month_month_and_year() -> None:
    assert cron_matches("0 10 1 * ? *", at(1, 10))
    assert not cron_matches("0 10 1 * ? *", at(2, 10))
    assert cron_matches("0 10 15 6 ? 2024", at(15, 10))
    assert not cron_matches("0 10 15 6 ? 2025", at(15, 10))
    assert not cron_matches("0 10 15 7 ? *", at(15, 10))
    assert cron_matches("0 10 1 1,7 ? 2024-2026", at(1, 10, month=7))
    assert not cron_matches("0 10 1 1,7 ? 2024-2026", at(1, 10, month=7, year=2027))


def test_unsupported_expressions_are_refused() -> None:
    with pytest.raises(ValueError):
        schedule_of("every 5 minutes")
    with pytest.raises(ValueError):
        schedule_of("0 2 * * ? *")


# --- rate -------------------------------------------------------------------------------


def test_rate_is_due_at_once_then_every_period() -> None:
    due = schedule_of("rate(5 minutes)")
    start = at(3, 12, 0, 7)
    assert due(start, None)
    assert not due(start + timedelta(minutes=4, seconds=59), start)
    assert due(start + timedelta(minutes=5), start)
    assert due(start + timedelta(hours=3), start)


@pytest.mark.parametrize(
    ("expression", "period"),
    [
        ("rate(1 minute)", timedelta(minutes=1)),
        ("rate(2 hours)", timedelta(hours=2)),
        ("rate(1 hour)", timedelta(hours=1)),
        ("rate(1 day)", timedelta(days=1)),
        ("rate(3 days)", timedelta(days=3)),
        ("  rate(10 minutes) ", timedelta(minutes=10)),
    ],
)
def test_rate_units(expression: str, period: timedelta) -> None:
    due = schedule_of(expression)
    last = at(3, 12)
    assert not due(last + period - timedelta(seconds=1), last)
    assert due(last + period, last)


# --- the scheduler ----------------------------------------------------------------------


class Calls:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    def names(self) -> list[str]:
        return [name for name, _ in self.events]


def app_with_jobs(calls: Calls) -> Chalice:
    app = Chalice(app_name="scheduler-test")

    @app.schedule(Cron(0, 2, "*", "*", "?", "*"))
    def nightly(event: Any) -> None:
        calls.events.append(("nightly", event))

    @app.schedule(Rate(5, unit=Rate.MINUTES))
    def every_five(event: Any) -> None:
        calls.events.append(("every_five", event))

    @app.schedule("cron(0/15 * ? * MON-FRI *)")
    def quarter_hourly_weekdays(event: Any) -> None:
        calls.events.append(("quarter_hourly_weekdays", event))

    @app.route("/")
    def index() -> dict[str, str]:
        return {}

    return app


def test_scheduler_finds_every_schedule_and_nothing_else() -> None:
    scheduler = Scheduler(app_with_jobs(Calls()), threading.Event())
    assert sorted(scheduler.job_names) == ["every_five", "nightly", "quarter_hourly_weekdays"]


def test_cron_job_does_not_run_twice_in_the_same_minute() -> None:
    calls = Calls()
    scheduler = Scheduler(app_with_jobs(calls), threading.Event())
    scheduler.run_due(at(3, 1, 59, 58))  # every_five runs (first time), nothing else
    calls.events.clear()
    for second in (0, 5, 10, 30, 55, 59):
        scheduler.run_due(at(3, 2, 0, second))
    assert calls.names().count("nightly") == 1
    assert calls.names().count("quarter_hourly_weekdays") == 1
    scheduler.run_due(at(3, 2, 1, 0))
    assert calls.names().count("nightly") == 1
    scheduler.run_due(at(4, 2, 0, 3))
    assert calls.names().count("nightly") == 2


def test_rate_job_runs_once_per_period() -> None:
    calls = Calls()
    scheduler = Scheduler(app_with_jobs(calls), threading.Event())
    start = at(8, 10, 1)  # a Saturday: the weekday job stays quiet
    for tick in range(0, 15 * 60 + 1, 5):  # every 5 seconds for 15 minutes
        scheduler.run_due(start + timedelta(seconds=tick))
    assert calls.names() == ["every_five"] * 4  # at 0, 5, 10 and 15 minutes


def test_weekday_job_skips_the_weekend() -> None:
    calls = Calls()
    scheduler = Scheduler(app_with_jobs(calls), threading.Event())
    saturday = at(8, 9, 15)
    monday = at(10, 9, 15)
    scheduler.run_due(saturday)
    scheduler.run_due(monday)
    weekday_runs = [event for name, event in calls.events if name == "quarter_hourly_weekdays"]
    assert len(weekday_runs) == 1
    assert weekday_runs[0].time == "2024-06-10T09:15:00Z"


def test_handlers_receive_an_eventbridge_scheduled_event() -> None:
    calls = Calls()
    scheduler = Scheduler(app_with_jobs(calls), threading.Event())
    ran = scheduler.run_due(at(3, 2, 0, 9))
    assert sorted(ran) == ["every_five", "nightly", "quarter_hourly_weekdays"]
    nightly = dict(calls.events)["nightly"]
    assert nightly.to_dict()["detail-type"] == "Scheduled Event"
    assert nightly.to_dict()["source"] == "aws.events"
    assert nightly.time == "2024-06-03T02:00:09Z"
    assert nightly.resources == ["arn:aws:events:us-east-1:123456789012:rule/rapport-nightly"]


def test_a_failing_job_does_not_stop_the_others_and_is_not_retried_that_minute() -> None:
    app = Chalice(app_name="failing")
    ran: list[str] = []

    @app.schedule("cron(* * * * ? *)")
    def broken(event: Any) -> None:
        ran.append("broken")
        raise RuntimeError("boom")

    @app.schedule("cron(* * * * ? *)")
    def fine(event: Any) -> None:
        ran.append("fine")

    scheduler = Scheduler(app, threading.Event())
    assert scheduler.run_due(at(3, 12, 0, 1)) == ["fine"]
    assert scheduler.run_due(at(3, 12, 0, 31)) == []
    assert ran == ["broken", "fine"]


def test_scheduled_event_shape() -> None:
    event = scheduled_event("daily_occasions", at(3, 2, 0, 0))
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["time"] == "2024-06-03T02:00:00Z"
    assert event["detail"] == {}
    assert event["resources"] == [
        "arn:aws:events:us-east-1:123456789012:rule/rapport-daily_occasions"
    ]
    assert event["id"] != scheduled_event("daily_occasions", at(3, 2, 0, 0))["id"]
