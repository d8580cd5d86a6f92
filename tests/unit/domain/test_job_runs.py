"""A job run's life: queued, running, succeeded or failed, and its stored form."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.job_runs import (
    ATTEMPTS,
    FAILED,
    QUEUED,
    RUNNING,
    START_WITHIN,
    SUCCEEDED,
    JobRun,
)

AT = datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_a_run_goes_from_queued_to_running_to_succeeded_with_its_result() -> None:
    run = JobRun("r1", "customer-value", date(2026, 11, 1), QUEUED, AT)
    running = run.started(AT + timedelta(seconds=1), AT + timedelta(minutes=15))
    done = running.finished(AT + timedelta(seconds=9), result={"customers": 3})
    assert (run.status, running.status, done.status) == (QUEUED, RUNNING, SUCCEEDED)
    assert done.to_dict() == {
        "run_id": "r1",
        "job": "customer-value",
        "as_of": "2026-11-01",
        "status": "succeeded",
        "requested_at": "2026-11-23T10:00:00+00:00",
        "started_at": "2026-11-23T10:00:01+00:00",
        "finished_at": "2026-11-23T10:00:09+00:00",
        "result": {"customers": 3},
        "error": None,
        "deadline": "2026-11-23T10:15:00+00:00",
        "attempt": 1,
    }


def test_a_failed_run_keeps_the_error_type_only() -> None:
    run = JobRun("r2", "co-purchases", None, QUEUED, AT).started(AT, AT)
    failed = run.finished(AT, error="Throttled")
    assert (failed.status, failed.error, failed.result) == (FAILED, "Throttled", {})


def test_runs_round_trip_through_their_stored_form() -> None:
    run = JobRun("r3", "deferred-mail", None, QUEUED, AT)
    running = run.started(AT, AT + timedelta(minutes=5))
    for each in (run, running, running.finished(AT, result={"requeued": 2})):
        assert JobRun.from_dict(each.to_dict()) == each


def test_a_run_stopped_before_it_recorded_its_end_is_seen_as_timed_out() -> None:
    deadline = AT + timedelta(minutes=15)
    running = JobRun("r4", "customer-value", None, QUEUED, AT).started(AT, deadline)
    assert running.as_seen(deadline) == running
    seen = running.as_seen(deadline + timedelta(seconds=1))
    assert (seen.status, seen.error, seen.finished_at) == (FAILED, "Timeout", deadline)
    done = running.finished(AT + timedelta(minutes=1), result={})
    assert done.as_seen(deadline + timedelta(days=1)) == done


def test_a_run_no_function_took_up_is_seen_as_not_started() -> None:
    queued = JobRun("r5", "customer-value", None, QUEUED, AT)
    assert queued.as_seen(AT + START_WITHIN) == queued
    seen = queued.as_seen(AT + START_WITHIN + timedelta(seconds=1))
    assert (seen.status, seen.error, seen.started_at) == (FAILED, "NotStarted", None)


def test_which_deliveries_may_start_a_run_and_each_start_is_the_next_attempt() -> None:
    queued = JobRun("r6", "customer-value", None, QUEUED, AT)
    first = queued.started(AT, AT + timedelta(minutes=15))
    failed = first.finished(AT + timedelta(minutes=1), error="Unavailable")
    second = failed.started(AT + timedelta(minutes=2), AT + timedelta(minutes=17))
    assert (queued.attempt, first.attempt, second.attempt) == (0, 1, 2)
    assert (second.status, second.error, second.finished_at) == (RUNNING, None, None)
    later = AT + timedelta(minutes=3)
    assert queued.not_startable(later) is None
    assert first.not_startable(later) == "already started"
    assert failed.not_startable(later) is None  # a retry of the failed invocation
    assert first.not_startable(AT + timedelta(minutes=16)) is None  # stopped at its deadline
    assert second.finished(later, result={}).not_startable(later) == "already succeeded"
    spent = JobRun("r7", "customer-value", None, FAILED, AT, error="Unavailable", attempt=ATTEMPTS)
    assert spent.not_startable(later) == "no attempts left"
    never_launched = queued.finished(AT, error="SendFailed")
    assert never_launched.not_startable(later) == "too late"


def test_runs_stored_before_attempts_were_counted_read_as_their_first() -> None:
    started = JobRun("r8", "customer-value", None, QUEUED, AT).started(AT, AT)
    old = {key: value for key, value in started.to_dict().items() if key != "attempt"}
    assert JobRun.from_dict(old).attempt == 1
    queued = JobRun("r9", "customer-value", None, QUEUED, AT).to_dict()
    assert JobRun.from_dict({k: v for k, v in queued.items() if k != "attempt"}).attempt == 0
