"""Job runs and how they are launched."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.job_runs import JobRun


class JobRunStore(Protocol):
    """Requested job runs and how they ended."""

    def create(self, run: JobRun) -> None: ...

    def get(self, run_id: str) -> JobRun | None: ...

    def recent(self, job: str, limit: int, cursor: str | None) -> tuple[list[JobRun], str | None]:
        """One page of ``job``'s runs, the latest requested first (``ValueError`` for a
        cursor it did not give out)."""
        ...

    def start(self, run: JobRun, replacing: str) -> bool:
        """Store ``run`` (attempt *n*, now running) if the stored run is still attempt
        *n - 1* with status ``replacing``; else ``False`` (another delivery got there)."""
        ...

    def finish(self, run: JobRun, only_if: str | None = None) -> None:
        """Store how ``run`` ended (only if the stored run's status is ``only_if``, if given)."""
        ...


class JobLauncher(Protocol):
    """Asks the job's own function to run a queued run (returns before it runs)."""

    def launch(self, run: JobRun) -> None: ...
