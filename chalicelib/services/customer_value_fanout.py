"""The ``customer-value`` job as a fan-out (:mod:`chalicelib.services.fanout`), two phases.

1. ``summarize``: each segment's mergeable summary; the reduce step merges them, fits and
   stores the models (RFM boundaries, CLV) and puts what it found in the state;
2. ``rescore``: each segment rescored with the stored models; the reduce step gives the
   run's result, the merged counts and every segment's timings.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from chalicelib.domain.job_runs import JobRun
from chalicelib.domain.value_summary import ValueSummary, merged
from chalicelib.observability import logger
from chalicelib.services.customer_value_job import job_result, rescore_segment, summarize_segment
from chalicelib.services.fanout_steps import Closing, FanoutJob, Phase, Segment, State
from chalicelib.services.jobs import retry_policy
from chalicelib.services.value_models import fit_models, stored_models

if TYPE_CHECKING:
    from chalicelib.services.jobs import JobDeps

SUMMARIZE, RESCORE = "summarize", "rescore"


def _items(jobs: JobDeps) -> int:
    return jobs.customer_value_store.item_count()


def _begin(run: JobRun, now: datetime) -> State:
    return {"as_of": (run.as_of or now).date().isoformat()}  # the job computes for a day


def _summarize(segment: Segment, state: State, jobs: JobDeps) -> dict[str, Any]:
    as_of = date.fromisoformat(state["as_of"])
    summary = summarize_segment(jobs.customer_value_store, segment, as_of, retry_policy(jobs))
    return {"summary": summary.to_dict()}


def _fit(closing: Closing) -> State:
    """Merge the summaries, fit and store the models (the rescoring reads them)."""
    summary = merged(ValueSummary.from_dict(part["summary"]) for part in closing.parts(SUMMARIZE))
    jobs, state = closing.jobs, closing.state
    as_of, now = date.fromisoformat(state["as_of"]), datetime.fromisoformat(state["now"])
    models = fit_models(jobs.customer_value_store, summary, as_of, now, retry_policy(jobs))
    return {
        "rfm": models.rfm,
        "clv": models.clv,
        "customers": summary.customers,
        "scored": summary.scored,
    }


def _rescore(segment: Segment, state: State, jobs: JobDeps) -> dict[str, Any]:
    retry = retry_policy(jobs)
    store = jobs.customer_value_store
    settings = retry(jobs.settings.customer_value)
    models = stored_models(store, state["rfm"], state["clv"], retry)
    as_of = date.fromisoformat(state["as_of"])
    return rescore_segment(store, segment, settings, as_of, models, retry)


def _result(closing: Closing) -> dict[str, Any]:
    """The merged counts and every segment's timings."""
    state = closing.state
    outcomes = []
    summaries, rescored = closing.parts(SUMMARIZE), closing.parts(RESCORE)
    for summary, outcome in zip(summaries, rescored, strict=True):
        outcomes.append(
            {
                **outcome,
                "customers": int(summary["summary"]["customers"]),
                "summarize_seconds": summary["seconds"],
                "rescore_seconds": outcome["seconds"],
            }
        )
    counts = (int(state["customers"]), int(state["scored"]))
    as_of = date.fromisoformat(state["as_of"])
    logger.info(
        "customer-value job done", extra={"customers": counts[0], "scan_segments": len(outcomes)}
    )
    return job_result(as_of, counts, state["rfm"], state["clv"], outcomes)


FANOUT = FanoutJob(
    items=_items,
    begin=_begin,
    phases=(Phase(SUMMARIZE, _summarize, _fit), Phase(RESCORE, _rescore, _result)),
)
