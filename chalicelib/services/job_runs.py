"""Admin-requested job runs: queue one (the API), run it once (the job's function)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain.exceptions import NotFound
from chalicelib.domain.job_runs import QUEUED, JobRun
from chalicelib.services.jobs import JOBS, run_job
from chalicelib.services.ports import Clock, JobLauncher, JobRunStore


@dataclass(frozen=True)
class JobRunDeps:
    """What queuing and running a requested job needs (``jobs`` runs the job itself)."""

    runs: JobRunStore
    launcher: JobLauncher
    clock: Clock
    jobs: Any


def _known(name: str) -> None:
    if name not in JOBS:
        raise NotFound(f"no job called {name!r}; jobs: {', '.join(sorted(JOBS))}", "name")


def request_run(name: str, as_of: date | None, deps: JobRunDeps) -> JobRun:
    """Queue a run of ``name`` and ask its function to run it; returns the queued run.

    Raises
    ------
    NotFound
        No job is called ``name`` (404).
    Throttled, SendFailed
        The run could not be queued or announced (503; the run is recorded as failed).
    """
    _known(name)
    run = JobRun(uuid.uuid4().hex, name, as_of, QUEUED, deps.clock.now())
    deps.runs.create(run)
    try:
        deps.launcher.launch(run)
    except Exception as error:
        deps.runs.finish(run.finished(deps.clock.now(), error=type(error).__name__))
        raise
    return run


def get_run(name: str, run_id: str, runs: JobRunStore) -> JobRun:
    """The run ``run_id`` of job ``name``; raises ``NotFound`` (404) otherwise."""
    _known(name)
    run = runs.get(run_id)
    if run is None or run.job != name:
        raise NotFound(f"no run {run_id!r} of {name}", "run_id")
    return run


def execute_run(job: str, run_id: str, deps: JobRunDeps) -> dict[str, Any]:
    """Run a requested run once (deliveries of the request may repeat).

    Returns what the job reports, or ``{"skipped": ...}`` when the run is unknown, is
    another job's, or was already started by an earlier delivery. A failing job is
    recorded as failed (with the error's type) and its error raised again.
    """
    run = deps.runs.get(run_id)
    if run is None or run.job != job:
        return {"job": job, "run_id": run_id, "skipped": "unknown run"}
    running = run.started(deps.clock.now())
    if not deps.runs.start(running):
        return {"job": job, "run_id": run_id, "skipped": "already started"}
    try:
        result = run_job(job, deps.jobs, run.as_of)
    except Exception as error:
        deps.runs.finish(running.finished(deps.clock.now(), error=type(error).__name__))
        raise
    deps.runs.finish(running.finished(deps.clock.now(), result=result))
    return {**result, "run_id": run_id}
