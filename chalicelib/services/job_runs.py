"""Admin-requested job runs: queue one (the API), run it once (the job's function)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib.domain.exceptions import InvalidInput, NotFound
from chalicelib.domain.job_runs import QUEUED, JobRun
from chalicelib.services.jobs import AS_OF_JOBS, JOBS, JobDeps, run_job
from chalicelib.services.ports import Clock, JobLauncher, JobRunStore
from chalicelib.services.retry import retry_throttled

if TYPE_CHECKING:  # the fan-out imports the jobs, which this module's callers import
    from chalicelib.services.fanout import FanoutDeps

DEFAULT_TIME_LIMIT = timedelta(minutes=15)
"""How long a run may take when its function does not say (Lambda's longest timeout)."""
FANOUT_TIME_LIMIT = timedelta(hours=1)
"""How long a fanned-out run may take, whatever its launching function has left: its
segments' waves and its merge run in other invocations, after the launcher has ended
(``docs/scale.md``: about 11 minutes at 100M orders in 300 segments)."""


@dataclass(frozen=True)
class JobRunDeps:
    """What queuing and running a requested job needs (``jobs`` runs the job itself)."""

    runs: JobRunStore
    launcher: JobLauncher
    clock: Clock
    jobs: JobDeps
    fanout: FanoutDeps | None = None
    """How the fanned-out jobs (``FANOUT_JOBS``) run their segments; without it they
    run in the job's function alone."""


def _known(name: str) -> None:
    if name not in JOBS:
        raise NotFound(f"no job called {name!r}; jobs: {', '.join(sorted(JOBS))}", "name")


def request_run(name: str, as_of: datetime | None, deps: JobRunDeps) -> JobRun:
    """Queue a run of ``name`` and ask its function to run it; returns the queued run.

    Raises
    ------
    NotFound
        No job is called ``name`` (404).
    InvalidInput
        ``as_of`` for a job that does not compute for a given day (400).
    Throttled, SendFailed
        The run could not be stored or announced (503). A stored run that could not be
        announced is recorded as failed, unless its function started it meanwhile (the
        announcement went out after all).
    """
    _known(name)
    if as_of is not None and name not in AS_OF_JOBS:
        message = f"{name} always works on the present; as_of is for {', '.join(AS_OF_JOBS)}"
        raise InvalidInput(message, "as_of")
    run = JobRun(uuid.uuid4().hex, name, as_of, QUEUED, deps.clock.now())
    deps.runs.create(run)
    try:
        deps.launcher.launch(run)
    except Exception as error:
        failed = run.finished(deps.clock.now(), error=type(error).__name__)
        deps.runs.finish(failed, only_if=QUEUED)
        raise
    return run


def get_run(name: str, run_id: str, runs: JobRunStore) -> JobRun:
    """The run ``run_id`` of job ``name`` as stored; raises ``NotFound`` (404) otherwise.

    Show it with :meth:`JobRun.as_seen`: a run stopped before it recorded its end is
    still stored as running.
    """
    _known(name)
    run = runs.get(run_id)
    if run is None or run.job != name:
        raise NotFound(f"no run {run_id!r} of {name}", "run_id")
    return run


def recent_runs(
    name: str, limit: int, cursor: str | None, runs: JobRunStore
) -> tuple[list[JobRun], str | None]:
    """A page of job ``name``'s requested runs, latest first; raises ``NotFound`` for an
    unknown job and ``ValueError`` for a cursor the list did not give out."""
    _known(name)
    return runs.recent(name, limit, cursor)


def execute_run(
    job: str, run_id: str, deps: JobRunDeps, time_limit: timedelta = DEFAULT_TIME_LIMIT
) -> dict[str, Any]:
    """Run a requested run (deliveries of the request may repeat).

    ``time_limit`` is what the function has left (its timeout): past it, the run is
    shown as failed with ``Timeout`` if the function could not record the end. A
    fanned-out run's deadline is :data:`FANOUT_TIME_LIMIT` from its start instead.

    A delivery starts the run's next attempt when the run is queued, or when its last
    attempt failed (recorded, or its function stopped past the deadline) and attempts
    are left (:meth:`JobRun.not_startable`); a conditional write lets only one delivery
    start each attempt. Returns what the job reports, or ``{"skipped": ...}`` when the
    run is unknown, is another job's, is running, succeeded, came too late or has no
    attempts left. A failing job is recorded as failed (with the error's type) and its
    error raised again, so that Lambda retries the invocation.
    """
    run = deps.runs.get(run_id)
    if run is None or run.job != job:
        return {"job": job, "run_id": run_id, "skipped": "unknown run"}
    now = deps.clock.now()
    reason = run.not_startable(now)
    if reason is not None:
        return {"job": job, "run_id": run_id, "skipped": reason}
    limit = FANOUT_TIME_LIMIT if _fans_out(job, deps) else time_limit
    running = run.started(now, now + limit)
    if not deps.runs.start(running, replacing=run.status):
        return {"job": job, "run_id": run_id, "skipped": "already started"}
    try:
        if _fans_out(job, deps):
            return {**_start_fanout(running, deps), "run_id": run_id, "attempt": running.attempt}
        result = run_job(job, deps.jobs, run.as_of)
    except Exception as error:
        failed = running.finished(deps.clock.now(), error=type(error).__name__)
        retry_throttled(lambda: deps.runs.finish(failed))
        raise
    succeeded = running.finished(deps.clock.now(), result=result)
    retry_throttled(lambda: deps.runs.finish(succeeded))
    return {**result, "run_id": run_id, "attempt": running.attempt}


def _fans_out(job: str, deps: JobRunDeps) -> bool:
    from chalicelib.services.fanout import FANOUT_JOBS

    return deps.fanout is not None and job in FANOUT_JOBS


def _start_fanout(running: JobRun, deps: JobRunDeps) -> dict[str, Any]:
    """Queue the run's segments: the segment that completes it records its end."""
    from chalicelib.services.fanout import start_fanout

    assert deps.fanout is not None
    return start_fanout(running, deps.fanout)
