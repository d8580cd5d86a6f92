"""A job run's life: queued, running, succeeded or failed, and its stored form."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.job_runs import FAILED, QUEUED, RUNNING, SUCCEEDED, JobRun

AT = datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_a_run_goes_from_queued_to_running_to_succeeded_with_its_result() -> None:
    run = JobRun("r1", "customer-value", date(2026, 11, 1), QUEUED, AT)
    running = run.started(AT + timedelta(seconds=1))
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
    }


def test_a_failed_run_keeps_the_error_type_only() -> None:
    run = JobRun("r2", "co-purchases", None, QUEUED, AT).started(AT)
    failed = run.finished(AT, error="Throttled")
    assert (failed.status, failed.error, failed.result) == (FAILED, "Throttled", {})


def test_runs_round_trip_through_their_stored_form() -> None:
    run = JobRun("r3", "deferred-mail", None, QUEUED, AT)
    for each in (run, run.started(AT), run.started(AT).finished(AT, result={"requeued": 2})):
        assert JobRun.from_dict(each.to_dict()) == each
