"""Only one task merges a phase: the close is claimed with a conditional write before
the merge, so a repeated delivery arriving during the merge does not merge again; a
close that fails transiently gives its claim back for the retry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.adapters.segment_queue import InProcessSegmentQueue
from chalicelib.domain.job_runs import QUEUED, JobRun
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.exceptions import Throttled
from chalicelib.services.fanout import FanoutDeps, handle_task, start_fanout
from chalicelib.services.recommending import CO_PURCHASES_ID
from tests.fakes import FakeClock, FakeValueSettings
from tests.unit.domain.test_co_purchase_summary import generated
from tests.unit.services.test_co_purchases_job import NOW, FakeOrderScan, MemoryFanout, jobs
from tests.unit.services.test_job_runs import MemoryRuns


class CountingSettings(FakeValueSettings):
    """Counts the document's writes; the first ``failures`` are throttled."""

    def __init__(self, failures: int = 0) -> None:
        super().__init__()
        self.writes, self.failures = 0, failures

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        self.writes += 1
        if self.writes <= self.failures:
            raise Throttled("settings")
        super().save_document(setting_id, value)


class RepeatingFanout(MemoryFanout):
    """While the merge reads the parts, the last segment's task is delivered again."""

    def __init__(self) -> None:
        super().__init__()
        self.repeat: Any = None
        self.reads = 0

    def parts(self, key: str, phase: str, total: int) -> Iterator[dict[str, Any]]:
        self.reads += 1
        if self.repeat is not None:
            repeat, self.repeat = self.repeat, None
            repeat()  # the duplicate runs to its end while this merge is under way
        return super().parts(key, phase, total)


def running(
    store: MemoryFanout, settings: FakeValueSettings, retries: int = 3
) -> tuple[FanoutDeps, list[Any]]:
    settings.settings = StoreSettings(job_segments=3, job_retries=retries)
    runs, queued = MemoryRuns(), []
    deps = FanoutDeps(
        InProcessSegmentQueue(queued.append),
        store,
        runs,
        jobs(FakeOrderScan(generated(90)), settings),
        FakeClock(NOW),
    )
    run = JobRun("run-6", "co-purchases", None, QUEUED, NOW)
    runs.create(run)
    started = run.started(NOW, NOW)
    runs.start(started, replacing=QUEUED)
    start_fanout(started, deps)
    return deps, queued


def test_a_duplicate_of_the_last_segment_during_the_merge_does_not_merge_again() -> None:
    store, settings = RepeatingFanout(), CountingSettings()
    deps, queued = running(store, settings)
    handle_task(queued[0], deps)
    handle_task(queued[1], deps)
    duplicates: list[dict[str, Any]] = []
    store.repeat = lambda: duplicates.append(handle_task(queued[2], deps))
    handle_task(queued[2], deps)
    assert duplicates == [{**queued[2], "done": 3}]  # counted, not merged
    assert store.reads == 1 and settings.writes == 1
    finished = deps.runs.get("run-6")
    assert finished is not None and finished.status == "succeeded"


def test_a_close_that_fails_transiently_is_closed_by_the_retry() -> None:
    store, settings = MemoryFanout(), CountingSettings(failures=1)
    deps, queued = running(store, settings, retries=0)  # the job's own retries are spent
    handle_task(queued[0], deps)
    handle_task(queued[1], deps)
    with pytest.raises(Throttled):
        handle_task(queued[2], deps)
    assert "count_closed" not in store.states["run-6#1"]
    assert handle_task(queued[2], deps)["done"] == 3  # SQS delivers it again
    finished = deps.runs.get("run-6")
    assert finished is not None and finished.status == "succeeded"
    assert CO_PURCHASES_ID in settings.documents and settings.writes == 2
