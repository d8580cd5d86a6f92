"""The bodies of the app's stream and schedule entry points (one place for both)."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module
from typing import Any

from chalicelib.observability import flush_metrics


def stream(event: Any, record_handler: str, in_order: bool = False) -> dict[str, Any]:
    """Run ``module:function`` over a stream batch with partial batch failures (with
    ``in_order``, nothing after the first failed record: see ``handlers.in_order``).

    The handler module is imported here, on the first event, to keep the API's cold start
    free of the stream code's imports.
    """
    from chalicelib.handlers import streams

    module, _, name = record_handler.partition(":")
    handler = getattr(import_module(module), name)
    try:
        return streams.process(event.to_dict(), event.context, handler, in_order)
    finally:
        flush_metrics()


def sns(event: Any, handler: str) -> dict[str, Any]:
    """Run ``module:function`` on an SNS event's raw Lambda dict (imported on first use)."""
    module, _, name = handler.partition(":")
    try:
        result: dict[str, Any] = getattr(import_module(module), name)(event.to_dict())
        return result
    finally:
        flush_metrics()


def s3(event: dict[str, Any], handler: str) -> dict[str, Any]:
    """Run ``module:function`` on an S3 notification (a plain Lambda dict)."""
    module, _, name = handler.partition(":")
    try:
        result: dict[str, Any] = getattr(import_module(module), name)(event)
        return result
    finally:
        flush_metrics()


def job(name: str, event: Any = None) -> dict[str, Any]:
    """Run the job ``name`` for its schedule, or the run an admin requested.

    ``event`` is the EventBridge event that invoked the function: the schedule's, or a
    ``JobRequested`` event naming a queued run (``POST /v1/admin/jobs/{name}``).
    """
    from chalicelib import bootstrap
    from chalicelib.domain.job_runs import REQUEST_DETAIL_TYPE, REQUEST_SOURCE
    from chalicelib.services.fanout import FANOUT_JOBS
    from chalicelib.services.jobs import run_job

    raw = event.to_dict() if event is not None else {}
    try:
        if raw.get("source") == REQUEST_SOURCE and raw.get("detail-type") == REQUEST_DETAIL_TYPE:
            context = getattr(event, "context", None)
            left = getattr(context, "get_remaining_time_in_millis", None)
            limit = timedelta(milliseconds=left()) if callable(left) else None
            return _requested(name, raw.get("detail") or {}, limit)
        if name in FANOUT_JOBS:  # the schedule requests a run: it fans out and is shown
            return _scheduled_run(name)
        return run_job(name, bootstrap.container().job_deps)
    finally:
        flush_metrics()


def _scheduled_run(name: str) -> dict[str, Any]:
    from chalicelib import bootstrap
    from chalicelib.services.job_runs import request_run

    run = request_run(name, None, bootstrap.container().job_runs)
    return {"job": name, "run_id": run.run_id, "requested": True}


def _requested(name: str, detail: dict[str, Any], limit: timedelta | None) -> dict[str, Any]:
    from chalicelib import bootstrap
    from chalicelib.services.job_runs import DEFAULT_TIME_LIMIT, execute_run

    deps = bootstrap.container().job_runs
    return execute_run(name, str(detail.get("run_id")), deps, limit or DEFAULT_TIME_LIMIT)


def campaign_page(event: dict[str, Any] | None) -> dict[str, Any]:
    """Run the page of a campaign's fan-out that a ``CampaignPage`` event asks for."""
    from chalicelib import bootstrap

    detail = (event or {}).get("detail") or {}
    try:
        wiring = bootstrap.container().campaigns
        outcome = wiring.run_page(str(detail.get("campaign_id")), int(detail.get("page", 0)))
        return {"campaign_id": detail.get("campaign_id"), "outcome": outcome}
    finally:
        flush_metrics()


def segment(event: Any) -> dict[str, Any]:
    """Run the segment task in each SQS message (the batch holds one); an error fails
    the invocation, so SQS delivers the message again, up to the queue's bound."""
    import json

    from chalicelib import bootstrap

    try:
        done = [bootstrap.container().run_segment(json.loads(record.body)) for record in event]
        return {"tasks": done}
    finally:
        flush_metrics()
