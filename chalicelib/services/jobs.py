"""Jobs that run on a schedule and on demand (``POST /v1/admin/jobs/{name}``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from chalicelib.domain.exceptions import NotFound

Job = Callable[[Any, date | None], dict[str, Any]]


def _deferred_mail(deps: Any, as_of: date | None) -> dict[str, Any]:
    from chalicelib.services.deferred_mail import requeue_due

    return {"requeued": requeue_due(deps.outbox, deps.clock)}


JOBS: dict[str, Job] = {
    "deferred-mail": _deferred_mail,
}


def run_job(name: str, deps: Any, as_of: date | None = None) -> dict[str, Any]:
    """Run the job called ``name``; raises ``NotFound`` for an unknown job."""
    job = JOBS.get(name)
    if job is None:
        raise NotFound(f"no job called {name!r}; jobs: {', '.join(sorted(JOBS))}", "name")
    return {"job": name, **job(deps, as_of)}
