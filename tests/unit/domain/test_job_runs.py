"""A job run's life: queued, running, succeeded or failed, and its stored form."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.job_runs import FAILED, QUEUED, RUNNING, START_WITHIN, SUCCEEDED, JobRun

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
