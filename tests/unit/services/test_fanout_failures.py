"""A fanned-out run whose segment fails: for good (the run fails at once, with the
error's type) or transiently (raised for the queue to deliver the task again)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.adapters.segment_queue import InProcessSegmentQueue
from chalicelib.domain.co_purchase_summary import Basket
from chalicelib.domain.job_runs import QUEUED, JobRun
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.exceptions import Throttled
from chalicelib.services.fanout import FanoutDeps, handle_task, start_fanout
from tests.fakes import FakeClock, FakeValueSettings
from tests.unit.domain.test_co_purchase_summary import generated
from tests.unit.services.test_co_purchases_job import NOW, FakeOrderScan, MemoryFanout, jobs
from tests.unit.services.test_job_runs import MemoryRuns


class BrokenOrderScan(FakeOrderScan):
    """Segment 1 of its orders raises ``error`` (a malformed line, or throttling)."""

    def __init__(self, baskets: list[Basket], error: Exception) -> None:
        super().__init__(baskets)
        self.error = error

    def baskets(self, retry: Any = None, segment: tuple[int, int] = (0, 1)) -> Iterator[Basket]:
        if segment[0] == 1:
            raise self.error
        return super().baskets(retry, segment)


def started_fanout(scan: FakeOrderScan) -> tuple[FanoutDeps, list[dict[str, Any]], MemoryRuns]:
    """A running fanned-out run of 3 segments whose tasks are queued, not delivered."""
    settings, queued, runs = FakeValueSettings(), [], MemoryRuns()
    settings.settings = StoreSettings(job_segments=3)
    deps = FanoutDeps(
        InProcessSegmentQueue(queued.append),
        MemoryFanout(),
        runs,
        jobs(scan, settings),
        FakeClock(NOW),
    )
    run = JobRun("run-3", "co-purchases", None, QUEUED, NOW)
    runs.create(run)
    running = run.started(NOW, NOW + timedelta(minutes=15))
    runs.start(running, replacing=QUEUED)
    start_fanout(running, deps)
    return deps, queued, runs


def test_a_segment_that_can_never_succeed_fails_the_run_with_its_error_at_once() -> None:
    deps, queued, runs = started_fanout(BrokenOrderScan(generated(30), KeyError("sku")))
    answers = [handle_task(task, deps) for task in queued]
    assert answers[1]["failed"] == "KeyError" and "failed" not in answers[0]
    failed = runs.get("run-3")
    assert failed is not None and (failed.status, failed.error) == ("failed", "KeyError")
    assert "skipped" in handle_task(queued[2], deps)  # the run is over: later tasks stop


def test_a_throttled_segment_is_raised_for_the_queue_to_retry_and_the_run_keeps_running() -> None:
    deps, queued, runs = started_fanout(BrokenOrderScan(generated(30), Throttled("orders")))
    with pytest.raises(Throttled):
        handle_task(queued[1], deps)
    running = runs.get("run-3")
    assert running is not None and (running.status, running.error) == ("running", None)
