"""The nightly customer-value job fanned out over scan segments, one invocation each.

A requested run (:func:`chalicelib.services.job_runs.execute_run`) plans ``total``
segments (:func:`plan_segments`) and queues one ``summarize`` task per segment
(:class:`~chalicelib.services.fanout_ports.SegmentQueue`: SQS and the segment function on
AWS, this process locally). Each task runs one segment's phase and stores its part; the
completion counter (:meth:`FanoutStore.finish_segment`) tells the task that finished the
phase's last segment, which completes the phase: after ``summarize`` it merges the
summaries, fits and stores the models and queues one ``rescore`` task per segment; after
``rescore`` it records the run's result. Deliveries repeat: a segment is counted once,
its first stored part stays, and its writes are conditional, so a repeat changes nothing.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain.job_runs import RUNNING, JobRun
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.times import iso
from chalicelib.domain.value_summary import ValueSummary, merged
from chalicelib.observability import logger
from chalicelib.services.customer_value_job import (
    job_result,
    rescore_segment,
    summarize_segment,
)
from chalicelib.services.fanout_ports import FanoutStore, SegmentQueue
from chalicelib.services.jobs import JobDeps, retry_policy
from chalicelib.services.ports import Clock, JobRunStore
from chalicelib.services.value_models import fit_models, stored_models

FANOUT_JOBS = frozenset({"customer-value"})
"""Jobs that run fanned out over scan segments when a run is requested."""
SUMMARIZE, RESCORE = "summarize", "rescore"


@dataclass(frozen=True)
class FanoutDeps:
    """What the fan-out needs: the queue, its state, the runs and the jobs' ports."""

    queue: SegmentQueue
    store: FanoutStore
    runs: JobRunStore
    jobs: JobDeps
    clock: Clock


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
    """Plan the segments of ``run`` (running) and queue its ``summarize`` tasks."""
    jobs = deps.jobs
    settings = retry_policy(jobs)(jobs.settings.store)
    total = plan_segments(jobs.customer_value_store.item_count(), settings)
    now = deps.clock.now()
    as_of = (run.as_of or now).date()  # the customer-value job computes for a day
    key = fanout_key(run)
    state = {"job": run.job, "total": total, "as_of": as_of.isoformat(), "now": iso(now)}
    deps.store.create(key, state)
    logger.info("job fanned out", extra={"job": run.job, "scan_segments": total})
    deps.queue.send([_task(run, key, SUMMARIZE, n, total) for n in range(total)])
    return {"job": run.job, "scan_segments": total}


def _task(run: JobRun, key: str, phase: str, segment: int, total: int) -> dict[str, Any]:
    return {
        "job": run.job,
        "run_id": run.run_id,
        "fanout": key,
        "phase": phase,
        "segment": segment,
        "total": total,
    }


def handle_task(task: dict[str, Any], deps: FanoutDeps) -> dict[str, Any]:
    """Run one delivered segment task; what it did (``skipped`` for a stale task)."""
    key, phase, segment = str(task["fanout"]), str(task["phase"]), int(task["segment"])
    state = deps.store.state(key)
    run = deps.runs.get(str(task["run_id"]))
    if state is None or run is None or run.status != RUNNING or fanout_key(run) != key:
        return {**task, "skipped": "not the run's current attempt"}
    begun = time.perf_counter()
    if phase == SUMMARIZE:
        part = _summarize(segment, state, deps)
    else:
        part = _rescore(segment, state, deps)
    part.update(segment=segment, seconds=round(time.perf_counter() - begun, 3))
    deps.store.save_part(key, phase, segment, part)
    done = deps.store.finish_segment(key, phase, segment)
    if done >= int(state["total"]) and not state.get(f"{phase}_closed"):
        _close_summaries(run, key, state, deps) if phase == SUMMARIZE else _close_run(
            run, key, state, deps
        )
    return {**task, "done": done}


def _summarize(segment: int, state: dict[str, Any], deps: FanoutDeps) -> dict[str, Any]:
    jobs, as_of = deps.jobs, date.fromisoformat(state["as_of"])
    summary = summarize_segment(
        jobs.customer_value_store, (segment, int(state["total"])), as_of, retry_policy(jobs)
    )
    return {"summary": summary.to_dict()}


def _close_summaries(run: JobRun, key: str, state: dict[str, Any], deps: FanoutDeps) -> None:
    """Merge the summaries, fit and store the models, queue the rescoring."""
    total = int(state["total"])
    parts = deps.store.parts(key, SUMMARIZE, total)
    summary = merged(ValueSummary.from_dict(part["summary"]) for part in parts)
    jobs = deps.jobs
    as_of, now = date.fromisoformat(state["as_of"]), datetime.fromisoformat(state["now"])
    models = fit_models(jobs.customer_value_store, summary, as_of, now, retry_policy(jobs))
    deps.store.update(
        key,
        {
            "rfm": models.rfm,
            "clv": models.clv,
            "customers": summary.customers,
            "scored": summary.scored,
        },
    )
    deps.queue.send([_task(run, key, RESCORE, n, total) for n in range(total)])
    deps.store.close_phase(key, SUMMARIZE)


def _rescore(segment: int, state: dict[str, Any], deps: FanoutDeps) -> dict[str, Any]:
    jobs, retry = deps.jobs, retry_policy(deps.jobs)
    store = jobs.customer_value_store
    settings = retry(jobs.settings.customer_value)
    models = stored_models(store, state["rfm"], state["clv"], retry)
    as_of = date.fromisoformat(state["as_of"])
    return rescore_segment(store, (segment, int(state["total"])), settings, as_of, models, retry)


def _close_run(run: JobRun, key: str, state: dict[str, Any], deps: FanoutDeps) -> None:
    """Record the run's result: the merged counts and every segment's timings."""
    total = int(state["total"])
    summaries = deps.store.parts(key, SUMMARIZE, total)
    outcomes = []
    for summary, outcome in zip(summaries, deps.store.parts(key, RESCORE, total), strict=True):
        customers = int(summary["summary"]["customers"])
        outcomes.append(
            {
                **outcome,
                "customers": customers,
                "summarize_seconds": summary["seconds"],
                "rescore_seconds": outcome["seconds"],
            }
        )
    as_of, started = date.fromisoformat(state["as_of"]), datetime.fromisoformat(state["now"])
    counts = (int(state["customers"]), int(state["scored"]))
    now = deps.clock.now()
    result = {
        "job": run.job,
        **job_result(as_of, counts, state["rfm"], state["clv"], outcomes),
        "seconds": round((now - started).total_seconds(), 3),
    }
    deps.runs.finish(run.finished(now, result=result), only_if=RUNNING)
    deps.store.close_phase(key, RESCORE)
    logger.info("customer-value job done", extra={"customers": counts[0], "scan_segments": total})
