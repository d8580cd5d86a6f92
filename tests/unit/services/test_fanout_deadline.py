"""A fanned-out run's deadline is the fan-out's own bound, not what its launching
function had left: a run still merging after the launcher ended is not timed out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.adapters.segment_queue import InProcessSegmentQueue
from chalicelib.domain.job_runs import QUEUED, JobRun
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.fanout import FanoutDeps, handle_task
from chalicelib.services.job_runs import FANOUT_TIME_LIMIT, JobRunDeps, execute_run
from tests.fakes import FakeClock, FakeValueSettings
from tests.unit.domain.test_co_purchase_summary import generated
from tests.unit.services.test_co_purchases_job import NOW, FakeOrderScan, MemoryFanout, jobs
from tests.unit.services.test_job_runs import Launcher, MemoryRuns

LAUNCHER_LEFT = timedelta(minutes=5)


def test_a_fanned_out_run_outlives_its_launcher_and_is_not_shown_timed_out() -> None:
    settings, queued, runs, clock = FakeValueSettings(), [], MemoryRuns(), FakeClock(NOW)
    settings.settings = StoreSettings(job_segments=3)
    job_deps = jobs(FakeOrderScan(generated(60)), settings)
    fanout = FanoutDeps(InProcessSegmentQueue(queued.append), MemoryFanout(), runs, job_deps, clock)
    run_deps = JobRunDeps(runs, Launcher(), clock, job_deps, fanout)
    runs.create(JobRun("run-4", "co-purchases", None, QUEUED, NOW))
    assert execute_run("co-purchases", "run-4", run_deps, LAUNCHER_LEFT)["scan_segments"] == 3
    started = runs.get("run-4")
    assert started is not None and started.deadline == NOW + FANOUT_TIME_LIMIT
    clock.advance(LAUNCHER_LEFT * 3)  # the segments run long after the launcher ended
    assert started.as_seen(clock.now()).status == "running"
    answers: list[dict[str, Any]] = [handle_task(task, fanout) for task in queued]
    assert [answer["done"] for answer in answers] == [1, 2, 3]
    finished = runs.get("run-4")
    assert finished is not None and finished.as_seen(clock.now()).status == "succeeded"
