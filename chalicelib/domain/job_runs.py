"""A job run an admin asked for: queued, then running, then succeeded or failed.

``POST /v1/admin/jobs/{name}`` answers at once (202) with a queued run; the job's own
function runs it (the nightly customer-value job can take minutes, well past the API's
29 seconds) and records how it ended, which ``GET /v1/admin/jobs/{name}/runs/{run_id}``
shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
FINISHED = (SUCCEEDED, FAILED)
TIMEOUT = "Timeout"
NOT_STARTED = "NotStarted"
START_WITHIN = timedelta(hours=7)
"""A run not started this long after it was asked for never will be: EventBridge gives up
after an hour and Lambda's queue for asynchronous invocations after six."""
ATTEMPTS = 3
"""How many times one run may be started: Lambda's asynchronous invocation and the two
retries Lambda makes after the function failed (or was stopped)."""


@dataclass(frozen=True)
class JobRun:
    """One requested run of a job.

    Attributes
    ----------
    run_id, job
        The run's id and the job's name (``customer-value``, ...).
    as_of
        The moment the job computes for (``None``: the time it runs); stored and shown
        as ISO 8601 with its offset.
    status
        ``queued``, ``running``, ``succeeded`` or ``failed``.
    requested_at, started_at, finished_at
        When it was asked for, started and ended (UTC).
    result
        What the job reports (counts, the fit's figures), once it succeeded.
    error
        The error's type when it failed (never a message that could hold data);
        ``Timeout`` when its function was stopped before recording the end,
        ``NotStarted`` when no function took it up.
    deadline
        When the function running it will have been stopped (its timeout).
    attempt
        Which start this is (0 while queued): a redelivery of the request after an attempt
        failed starts the same run again, up to :data:`ATTEMPTS`.
    """

    run_id: str
    job: str
    as_of: datetime | None
    status: str
    requested_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    deadline: datetime | None = None
    attempt: int = 0

    def started(self, at: datetime, deadline: datetime) -> JobRun:
        """This run's next attempt, running from ``at`` in a function stopped at ``deadline``."""
        return replace(
            self,
            status=RUNNING,
            started_at=at,
            deadline=deadline,
            finished_at=None,
            result={},
            error=None,
            attempt=self.attempt + 1,
        )

    def not_startable(self, now: datetime) -> str | None:
        """Why a delivery of the request at ``now`` must not start this run, or ``None``.

        A queued run starts; so does one whose last attempt failed (recorded, or stopped
        past its deadline) while attempts are left. A run running, succeeded, never
        launched or taken up too late is left alone.
        """
        seen = self.as_seen(now)
        if seen.status == QUEUED:
            return None
        if seen.status == RUNNING:
            return "already started"
        if seen.status == SUCCEEDED:
            return "already succeeded"
        if seen.error == NOT_STARTED or seen.attempt == 0:
            return "too late"
        return "no attempts left" if seen.attempt >= ATTEMPTS else None

    def as_seen(self, now: datetime) -> JobRun:
        """This run as it stands at ``now``: a run whose function was stopped (timeout,
        memory) before it could record the end, or that no function took up in time,
        has failed, though nothing recorded it."""
        if self.status == RUNNING and self.deadline is not None and now > self.deadline:
            return replace(self, status=FAILED, finished_at=self.deadline, error=TIMEOUT)
        if self.status == QUEUED and now - self.requested_at > START_WITHIN:
            return replace(self, status=FAILED, error=NOT_STARTED)
        return self

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
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "attempt": self.attempt,
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
            as_of=_as_of(data.get("as_of")),
            status=str(data["status"]),
            requested_at=requested,
            started_at=moment("started_at"),
            finished_at=moment("finished_at"),
            result=dict(data.get("result") or {}),
            error=data.get("error"),
            deadline=moment("deadline"),
            attempt=int(data.get("attempt", 0 if data["status"] == QUEUED else 1)),
        )


def _as_of(value: str | None) -> datetime | None:
    """A stored ``as_of``: ISO 8601 with an offset (a run stored before it had a time
    holds a date, the start of that day in UTC)."""
    if not value:
        return None
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), time.min, tzinfo=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


REQUEST_SOURCE = "rapport"
REQUEST_DETAIL_TYPE = "JobRequested"
"""The EventBridge event that asks a job's function to run a queued run (the launcher
puts it on the bus; the template's rule per job delivers it)."""
