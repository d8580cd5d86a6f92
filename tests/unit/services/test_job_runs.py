"""Queuing and running requested jobs, with an in-memory store and launcher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from chalicelib.domain import job_runs as job_runs_domain
from chalicelib.domain.exceptions import InvalidInput, NotFound
from chalicelib.domain.job_runs import JobRun
from chalicelib.services import job_runs, jobs
from chalicelib.services.exceptions import Unavailable
from chalicelib.services.job_runs import JobRunDeps, execute_run, get_run, request_run

AS_OF = datetime(2026, 11, 1, 7, 30, tzinfo=timezone(timedelta(hours=8)))


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 23, 10, tzinfo=UTC)

    def now(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


class MemoryRuns:
    def __init__(self) -> None:
        self.runs: dict[str, JobRun] = {}

    def create(self, run: JobRun) -> None:
        assert run.run_id not in self.runs
        self.runs[run.run_id] = run

    def get(self, run_id: str) -> JobRun | None:
        return self.runs.get(run_id)

    def recent(self, job: str, limit: int, cursor: str | None) -> tuple[list[JobRun], str | None]:
        mine = sorted((r for r in self.runs.values() if r.job == job), key=lambda r: r.requested_at)
        return mine[::-1][:limit], None

    def start(self, run: JobRun, replacing: str) -> bool:
        stored = self.runs[run.run_id]
        if stored.status != replacing or stored.attempt != run.attempt - 1:
            return False
        self.runs[run.run_id] = run
        return True

    def finish(self, run: JobRun, only_if: str | None = None) -> None:
        if only_if is None or self.runs[run.run_id].status == only_if:
            self.runs[run.run_id] = run


class Launcher:
    def __init__(self, fail: bool = False, before_failing: Any = None) -> None:
        self.launched: list[JobRun] = []
        self.fail = fail
        self.before_failing = before_failing

    def launch(self, run: JobRun) -> None:
        if self.fail:
            if self.before_failing:
                self.before_failing(run)
            raise RuntimeError("bus refused")
        self.launched.append(run)


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> list[datetime | None]:
    seen: list[datetime | None] = []

    def counting(deps: Any, as_of: datetime | None) -> dict[str, Any]:
        seen.append(as_of)
        if deps == "broken":
            raise ValueError("the job broke")
        return {"counted": len(seen)}

    monkeypatch.setitem(jobs.JOBS, "counting", counting)
    monkeypatch.setattr(job_runs, "AS_OF_JOBS", ("counting",))
    return seen


def deps(launcher: Launcher | None = None, job_deps: Any = None) -> JobRunDeps:
    return JobRunDeps(MemoryRuns(), launcher or Launcher(), Clock(), job_deps)


def test_a_request_queues_a_run_and_launches_it_without_running_it(calls: list[Any]) -> None:
    d = deps()
    run = request_run("counting", AS_OF, d)
    assert run.status == "queued" and run.as_of == AS_OF
    assert d.launcher.launched == [run]  # type: ignore[attr-defined]
    assert calls == []
    assert get_run("counting", run.run_id, d.runs) == run


def test_the_run_executes_once_however_often_the_request_is_delivered(calls: list[Any]) -> None:
    d = deps()
    run = request_run("counting", AS_OF, d)
    first = execute_run("counting", run.run_id, d)
    again = execute_run("counting", run.run_id, d)
    assert first == {"job": "counting", "counted": 1, "run_id": run.run_id, "attempt": 1}
    assert again["skipped"] == "already succeeded"
    assert calls == [AS_OF]
    stored = get_run("counting", run.run_id, d.runs)
    assert (stored.status, stored.result) == ("succeeded", {"job": "counting", "counted": 1})
    assert stored.requested_at < stored.started_at < stored.finished_at  # type: ignore[operator]


def test_a_failing_job_is_recorded_failed_with_its_error_type(calls: list[Any]) -> None:
    d = deps(job_deps="broken")
    run = request_run("counting", None, d)
    with pytest.raises(ValueError):
        execute_run("counting", run.run_id, d)
    stored = get_run("counting", run.run_id, d.runs)
    assert (stored.status, stored.error) == ("failed", "ValueError")


def test_a_launch_that_fails_leaves_a_failed_run_not_a_queued_one(calls: list[Any]) -> None:
    d = deps(Launcher(fail=True))
    with pytest.raises(RuntimeError):
        request_run("counting", None, d)
    [stored] = d.runs.runs.values()  # type: ignore[attr-defined]
    assert (stored.status, stored.error) == ("failed", "RuntimeError")


def test_unknown_jobs_and_runs_are_not_found(calls: list[Any]) -> None:
    d = deps()
    with pytest.raises(NotFound) as unknown_job:
        request_run("nope", None, d)
    assert unknown_job.value.field == "name"
    run = request_run("counting", None, d)
    with pytest.raises(NotFound) as unknown_run:
        get_run("counting", "missing", d.runs)
    assert unknown_run.value.field == "run_id"
    with pytest.raises(NotFound):
        get_run("deferred-mail", run.run_id, d.runs)  # another job's run
    assert execute_run("deferred-mail", run.run_id, d)["skipped"] == "unknown run"
    assert calls == []


def test_a_launch_that_failed_after_the_function_started_the_run_leaves_it_running(
    calls: list[Any],
) -> None:
    """The bus took the event though the call failed: the run is not marked failed."""

    def started_meanwhile(run: JobRun) -> None:
        started = run.started(run.requested_at, run.requested_at + timedelta(hours=1))
        assert d.runs.start(started, replacing="queued")

    d = deps(Launcher(fail=True, before_failing=started_meanwhile))
    with pytest.raises(RuntimeError):
        request_run("counting", None, d)
    [stored] = d.runs.runs.values()  # type: ignore[attr-defined]
    assert stored.status == "running"


def test_as_of_is_refused_for_jobs_that_work_on_the_present(
    calls: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job_runs, "AS_OF_JOBS", ("customer-value",))
    with pytest.raises(InvalidInput) as refused:
        request_run("counting", AS_OF, deps())
    assert refused.value.field == "as_of"


def test_a_run_taken_up_too_late_is_not_started(calls: list[Any]) -> None:
    d = deps()
    run = request_run("counting", None, d)
    d.clock.at += job_runs_domain.START_WITHIN  # type: ignore[attr-defined]
    assert execute_run("counting", run.run_id, d)["skipped"] == "too late"
    assert calls == []
    assert get_run("counting", run.run_id, d.runs).as_seen(d.clock.now()).error == "NotStarted"


def test_a_run_gets_the_time_its_function_has_left_as_deadline(calls: list[Any]) -> None:
    d = deps()
    run = request_run("counting", None, d)
    execute_run("counting", run.run_id, d, time_limit=timedelta(seconds=30))
    stored = get_run("counting", run.run_id, d.runs)
    assert stored.started_at is not None and stored.deadline is not None
    assert stored.deadline - stored.started_at == timedelta(seconds=30)


@pytest.fixture()
def flaky(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A job whose first ``deps`` calls fail transiently; returns the calls made."""
    made: list[int] = []

    def job(deps: Any, as_of: datetime | None) -> dict[str, Any]:
        made.append(len(made) + 1)
        if len(made) <= deps:
            raise Unavailable("ReadTimeoutError")
        return {"done": True}

    monkeypatch.setitem(jobs.JOBS, "flaky", job)
    return made


def test_a_redelivery_after_a_failed_attempt_runs_it_again_and_records_the_attempt(
    flaky: list[int],
) -> None:
    d = deps(job_deps=1)
    run = request_run("flaky", None, d)
    with pytest.raises(Unavailable):
        execute_run("flaky", run.run_id, d)
    failed = get_run("flaky", run.run_id, d.runs)
    assert (failed.status, failed.error, failed.attempt) == ("failed", "Unavailable", 1)
    assert execute_run("flaky", run.run_id, d)["attempt"] == 2
    stored = get_run("flaky", run.run_id, d.runs)
    assert (stored.status, stored.attempt, stored.error) == ("succeeded", 2, None)
    assert stored.to_dict()["attempt"] == 2
    assert execute_run("flaky", run.run_id, d)["skipped"] == "already succeeded"
    assert flaky == [1, 2]


def test_a_run_whose_attempts_are_spent_is_not_started_again(flaky: list[int]) -> None:
    d = deps(job_deps=99)
    run = request_run("flaky", None, d)
    for _ in range(job_runs_domain.ATTEMPTS):
        with pytest.raises(Unavailable):
            execute_run("flaky", run.run_id, d)
    assert execute_run("flaky", run.run_id, d)["skipped"] == "no attempts left"
    assert len(flaky) == job_runs_domain.ATTEMPTS
    stored = get_run("flaky", run.run_id, d.runs)
    assert (stored.status, stored.attempt) == ("failed", job_runs_domain.ATTEMPTS)


def test_a_delivery_while_the_run_is_running_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    d = deps()
    inner: list[dict[str, Any]] = []

    def reentrant(job_deps: Any, as_of: datetime | None) -> dict[str, Any]:
        inner.append(execute_run("reentrant", run.run_id, d))
        return {}

    monkeypatch.setitem(jobs.JOBS, "reentrant", reentrant)
    run = request_run("reentrant", None, d)
    assert execute_run("reentrant", run.run_id, d)["attempt"] == 1
    assert [result["skipped"] for result in inner] == ["already started"]


def test_a_run_whose_function_was_stopped_is_taken_over_by_the_next_delivery(
    calls: list[Any],
) -> None:
    d = deps()
    run = request_run("counting", None, d)
    stopped = run.started(d.clock.now(), d.clock.now())  # its deadline passes at once
    assert d.runs.start(stopped, replacing="queued")
    result = execute_run("counting", run.run_id, d)
    assert (result["attempt"], result["counted"]) == (2, 1)


def test_a_run_whose_launch_failed_is_not_started_by_a_late_delivery(calls: list[Any]) -> None:
    d = deps(Launcher(fail=True))
    with pytest.raises(RuntimeError):
        request_run("counting", None, d)
    [stored] = d.runs.runs.values()  # type: ignore[attr-defined]
    assert execute_run("counting", stored.run_id, d)["skipped"] == "too late"
    assert calls == []


def test_a_run_keeps_its_as_of_moment_with_its_offset_and_reads_an_old_stored_day() -> None:
    run = JobRun("r1", "engagement", AS_OF, "queued", datetime(2026, 11, 1, tzinfo=UTC))
    shown = run.to_dict()
    assert shown["as_of"] == "2026-11-01T07:30:00+08:00"
    assert JobRun.from_dict(shown).as_of == AS_OF
    legacy = {**shown, "as_of": "2026-11-01"}
    assert JobRun.from_dict(legacy).as_of == datetime(2026, 11, 1, tzinfo=UTC)
