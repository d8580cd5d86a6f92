"""The bodies of the app's stream and schedule entry points (one place for both)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from chalicelib.observability import flush_metrics


def stream(event: Any, record_handler: str) -> dict[str, Any]:
    """Run ``module:function`` over a stream batch with partial batch failures.

    The handler module is imported here, on the first event, to keep the API's cold start
    free of the stream code's imports.
    """
    from chalicelib.handlers import streams

    module, _, name = record_handler.partition(":")
    handler = getattr(import_module(module), name)
    try:
        return streams.process(event.to_dict(), event.context, handler)
    finally:
        flush_metrics()


def job(name: str) -> dict[str, Any]:
    """Run the job ``name`` (a schedule) and publish its metrics."""
    from chalicelib import bootstrap
    from chalicelib.services.jobs import run_job

    try:
        return run_job(name, bootstrap.container())
    finally:
        flush_metrics()
