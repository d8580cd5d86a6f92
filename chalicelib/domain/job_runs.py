"""A job run an admin asked for: queued, then running, then succeeded or failed.

``POST /v1/admin/jobs/{name}`` answers at once (202) with a queued run; the job's own
function runs it (the nightly customer-value job can take minutes, well past the API's
29 seconds) and records how it ended, which ``GET /v1/admin/jobs/{name}/runs/{run_id}``
shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
FINISHED = (SUCCEEDED, FAILED)


@dataclass(frozen=True)
class JobRun:
    """One requested run of a job.

    Attributes
    ----------
    run_id, job
        The run's id and the job's name (``customer-value``, ...).
    as_of
        The day the job computes for (``None``: the day it runs).
    status
        ``queued``, ``running``, ``succeeded`` or ``failed``.
    requested_at, started_at, finished_at
        When it was asked for, started and ended (UTC).
    result
        What the job reports (counts, the fit's figures), once it succeeded.
    error
        The error's type when it failed (never a message that could hold data).
    """

    run_id: str
    job: str
    as_of: date | None
    status: str
    requested_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None

    def started(self, at: datetime) -> JobRun:
        """This run, running from ``at``."""
        return replace(self, status=RUNNING, started_at=at)

    def finished(
        self, at: datetime, result: dict[str, Any] | None = None, error: str | None = None
    ) -> JobRun:
        """This run, ended at ``at`` with ``result`` or ``error``."""
        status = FAILED if error else SUCCEEDED
        return replace(self, status=status, finished_at=at, result=result or {}, error=error)

    def to_dict(self) -> dict[str, Any]:
        """The admin API's view of the run."""
        return {
            "run_id": self.run_id,
            "job": self.job,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "status": self.status,
            "requested_at": self.requested_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "result": self.result,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobRun:
        """The run :meth:`to_dict` described."""

        def moment(name: str) -> datetime | None:
            value = data.get(name)
            return datetime.fromisoformat(value) if value else None

        requested = moment("requested_at")
        assert requested is not None, "a stored run always has requested_at"
        return cls(
            run_id=str(data["run_id"]),
            job=str(data["job"]),
            as_of=date.fromisoformat(data["as_of"]) if data.get("as_of") else None,
            status=str(data["status"]),
            requested_at=requested,
            started_at=moment("started_at"),
            finished_at=moment("finished_at"),
            result=dict(data.get("result") or {}),
            error=data.get("error"),
        )
