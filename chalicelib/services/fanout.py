"""The nightly jobs fanned out over scan segments, one invocation per segment and phase.

A requested run (:func:`chalicelib.services.job_runs.execute_run`) of a job in
:data:`FANOUT_JOBS` plans ``total`` segments (:func:`plan_segments`) and queues one task
per segment for the job's first phase (:class:`~chalicelib.services.fanout_ports.SegmentQueue`:
SQS and the segment function on AWS, this process locally). A job is a
:class:`~chalicelib.services.fanout_steps.FanoutJob`: each task runs its phase's map
step on one segment and stores its part; the completion counter
(:meth:`FanoutStore.finish_segment`) tells the task that finished the phase's last
segment, which claims the phase's close with a conditional write (a repeated delivery
of that segment arriving meanwhile finds it claimed) and runs the phase's reduce step
over every part: its outcome goes into the
state and the next phase's tasks are queued, or, after the last phase, it is the run's
result. Deliveries repeat: a segment is counted once, its first stored part stays, and
its writes are conditional, so a repeat changes nothing.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from typing import Any

from chalicelib.domain.job_runs import RUNNING, JobRun
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso
from chalicelib.observability import logger
from chalicelib.services.exceptions import SendFailed
from chalicelib.services.fanout_ports import FanoutStore, SegmentQueue
from chalicelib.services.fanout_steps import Closing, FanoutJob, State
from chalicelib.services.jobs import JobDeps, retry_policy
from chalicelib.services.ports import Clock, JobRunStore
from chalicelib.services.retry import TRANSIENT, retry_throttled

RETRIED: tuple[type[Exception], ...] = (*TRANSIENT, SendFailed)
"""Errors a segment task raises for the queue to deliver it again; any other fails the run."""

FANOUT_JOBS = {
    "customer-value": "chalicelib.services.customer_value_fanout",
    "co-purchases": "chalicelib.services.co_purchases_job",
}
"""Jobs that run fanned out over scan segments when a run is requested, and the module
whose ``FANOUT`` defines each (imported when a run needs it)."""


@dataclass(frozen=True)
class FanoutDeps:
    """What the fan-out needs: the queue, its state, the runs and the jobs' ports."""

    queue: SegmentQueue
    store: FanoutStore
    runs: JobRunStore
    jobs: JobDeps
    clock: Clock


def fanout_job(name: str) -> FanoutJob:
    """The definition of the fanned-out job ``name`` (``KeyError`` for another job)."""
    job: FanoutJob = import_module(FANOUT_JOBS[name]).FANOUT
    return job


def plan_segments(item_count: int, settings: StoreSettings) -> int:
    """How many segments: the setting ``job_segments``, or (0) enough for at most
    ``job_segment_customers`` items of the table's estimate each."""
    if settings.job_segments > 0:
        return settings.job_segments
    return max(1, math.ceil(item_count / max(1, settings.job_segment_customers)))


def fanout_key(run: JobRun) -> str:
    """The fan-out of ``run``'s current attempt (a retried attempt starts afresh)."""
    return f"{run.run_id}#{run.attempt}"


def start_fanout(run: JobRun, deps: FanoutDeps) -> dict[str, Any]:
    """Plan the segments of ``run`` (running) and queue its first phase's tasks."""
    jobs, job = deps.jobs, fanout_job(run.job)
    settings = retry_policy(jobs)(jobs.settings.store)
    total = plan_segments(job.items(jobs), settings)
    now = deps.clock.now()
    key = fanout_key(run)
    state = {**job.begin(run, now), "job": run.job, "total": total, "now": iso(now)}
    deps.store.create(key, state)
    logger.info("job fanned out", extra={"job": run.job, "scan_segments": total})
    deps.queue.send(_tasks(run, key, job.phases[0].name, total))
    return {"job": run.job, "scan_segments": total}


def _tasks(run: JobRun, key: str, phase: str, total: int) -> list[dict[str, Any]]:
    return [
        {
            "job": run.job,
            "run_id": run.run_id,
            "fanout": key,
            "phase": phase,
            "segment": segment,
            "total": total,
        }
        for segment in range(total)
    ]


def handle_task(task: dict[str, Any], deps: FanoutDeps) -> dict[str, Any]:
    """Run one delivered segment task; what it did (``skipped`` for a stale task, or
    one that names no phase or segment of its run: it can never succeed).

    A transient error (:data:`~chalicelib.services.retry.TRANSIENT`, or the next phase's
    tasks not queued) is raised, so that the queue delivers the task again. Any other
    error can never succeed: the run is recorded as failed with the error's type (if it
    is still running) and the task answers ``failed`` instead of being retried.
    """
    key = str(task["fanout"])
    state = deps.store.state(key)
    run = deps.runs.get(str(task["run_id"]))
    if state is None or run is None or run.status != RUNNING or fanout_key(run) != key:
        return {**task, "skipped": "not the run's current attempt"}
    try:
        return _run_task(task, run, state, deps)
    except RETRIED:
        raise
    except Exception as error:
        failed = run.finished(deps.clock.now(), error=type(error).__name__)
        retry_throttled(lambda: deps.runs.finish(failed, only_if=RUNNING))
        reason = {"job": run.job, "phase": task["phase"], "error": type(error).__name__}
        logger.error("job segment failed for good", extra=reason)  # no message: it may hold data
        return {**task, "failed": reason["error"]}


def _run_task(task: dict[str, Any], run: JobRun, state: State, deps: FanoutDeps) -> dict[str, Any]:
    key, segment = str(task["fanout"]), int(task["segment"])
    job, total = fanout_job(run.job), int(state["total"])
    index = job.phase(str(task["phase"]))
    if index is None or not 0 <= segment < total:
        return {**task, "skipped": "no such phase or segment in the run"}
    phase = job.phases[index]
    begun = time.perf_counter()
    part = phase.map((segment, total), state, deps.jobs)
    part.update(segment=segment, seconds=round(time.perf_counter() - begun, 3))
    deps.store.save_part(key, phase.name, segment, part)
    done = deps.store.finish_segment(key, phase.name, segment)
    if done >= total and deps.store.close_phase(key, phase.name):  # one task claims it
        _claimed_close(run, key, state, job, index, deps)
    return {**task, "done": done}


def _claimed_close(
    run: JobRun, key: str, state: State, job: FanoutJob, index: int, deps: FanoutDeps
) -> None:
    """Close the phase this task claimed; on a transient error give the claim back, so
    that the task's next delivery (or a repeat's) closes it."""
    try:
        _close(run, key, state, job, index, deps)
    except RETRIED:
        retry_throttled(lambda: deps.store.reopen_phase(key, job.phases[index].name))
        raise


def _close(
    run: JobRun, key: str, state: State, job: FanoutJob, index: int, deps: FanoutDeps
) -> None:
    """Reduce the phase's parts; queue the next phase, or record the run's result."""
    total, phase = int(state["total"]), job.phases[index]
    closing = Closing(run, state, deps.jobs, lambda name: deps.store.parts(key, name, total))
    outcome = phase.reduce(closing)
    if index + 1 < len(job.phases):
        deps.store.update(key, outcome)
        deps.queue.send(_tasks(run, key, job.phases[index + 1].name, total))
    else:
        now = deps.clock.now()
        seconds = round((now - datetime.fromisoformat(state["now"])).total_seconds(), 3)
        result = {"job": run.job, **outcome, "seconds": seconds}
        deps.runs.finish(run.finished(now, result=result), only_if=RUNNING)
