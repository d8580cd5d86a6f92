"""The co-purchases job over in-memory fakes: in one process and fanned out, any number
of segments (dividing the orders evenly or not) writes one and the same document."""

from __future__ import annotations

import gc
import json
import weakref
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from chalicelib.adapters.segment_queue import InProcessSegmentQueue
from chalicelib.domain.co_purchase_summary import Basket
from chalicelib.domain.job_runs import QUEUED, JobRun
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.co_purchases_job import run_co_purchases
from chalicelib.services.fanout import FanoutDeps, handle_task, start_fanout
from chalicelib.services.jobs import JobDeps
from chalicelib.services.recommending import CO_PURCHASES_ID
from tests.fakes import FakeClock, FakeValueSettings
from tests.unit.domain.test_co_purchase_summary import generated
from tests.unit.services.test_job_runs import MemoryRuns

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)


class FakeOrderScan:
    """The orders in scan segments as DynamoDB splits them: by a hash of the key."""

    def __init__(self, baskets: list[Basket]) -> None:
        self.baskets_ = baskets
        self.reads: list[tuple[int, int]] = []

    def baskets(self, retry: Any = None, segment: tuple[int, int] = (0, 1)) -> Iterator[Basket]:
        self.reads.append(segment)
        index, total = segment
        return (b for b in self.baskets_ if zlib.crc32(b.order_id.encode()) % total == index)

    def item_count(self) -> int:
        return len(self.baskets_) * 3  # with returns and purchase items


class MemoryFanout:
    """:class:`~chalicelib.services.fanout_ports.FanoutStore` in dicts, JSON round trips."""

    def __init__(self) -> None:
        self.states: dict[str, dict[str, Any]] = {}
        self.stored: dict[tuple[str, str, int], str] = {}
        self.done: dict[tuple[str, str], set[int]] = {}

    def create(self, key: str, state: dict[str, Any]) -> None:
        self.states.setdefault(key, json.loads(json.dumps(state)))

    def state(self, key: str) -> dict[str, Any] | None:
        found = self.states.get(key)
        return None if found is None else dict(found)

    def update(self, key: str, values: dict[str, Any]) -> None:
        self.states[key].update(json.loads(json.dumps(values)))

    def save_part(self, key: str, phase: str, segment: int, part: dict[str, Any]) -> None:
        self.stored.setdefault((key, phase, segment), json.dumps(part))

    def parts(self, key: str, phase: str, total: int) -> Iterator[dict[str, Any]]:
        return (json.loads(self.stored[(key, phase, n)]) for n in range(total))

    def finish_segment(self, key: str, phase: str, segment: int) -> int:
        self.done.setdefault((key, phase), set()).add(segment)
        return len(self.done[(key, phase)])

    def close_phase(self, key: str, phase: str) -> bool:
        closed = f"{phase}_closed"
        first = closed not in self.states[key]
        self.states[key][closed] = True
        return first

    def reopen_phase(self, key: str, phase: str) -> None:
        self.states[key].pop(f"{phase}_closed", None)


def jobs(scan: FakeOrderScan, settings: FakeValueSettings) -> JobDeps:
    unused = cast(Any, None)  # ports the co-purchases job never touches
    return JobDeps(
        outbox=unused,
        settings=settings,
        order_scan=scan,
        customer_value_store=unused,
        clock=FakeClock(NOW),
        replenishment=unused,
        carts=unused,
        profiles=unused,
        surveys=unused,
    )


class Part(dict[str, Any]):
    """A decoded part that can be watched (a weak reference tells if it is alive)."""


class WatchedFanout(MemoryFanout):
    """Yields parts one at a time and notes how many earlier ones are still alive."""

    def __init__(self) -> None:
        super().__init__()
        self.most_alive = 0

    def parts(self, key: str, phase: str, total: int) -> Iterator[dict[str, Any]]:
        alive: list[weakref.ref[Part]] = []
        for n in range(total):
            gc.collect()
            self.most_alive = max(self.most_alive, sum(ref() is not None for ref in alive))
            part = Part(json.loads(self.stored[(key, phase, n)]))
            alive.append(weakref.ref(part))
            yield part
            del part


def fanned_out(
    segments: int, repeat: bool = False, store: MemoryFanout | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the job fanned out; with ``repeat`` every task is delivered twice."""
    settings = FakeValueSettings()
    settings.settings = StoreSettings(job_segments=segments)
    runs, store = MemoryRuns(), store or MemoryFanout()
    deps: list[FanoutDeps] = []

    def deliver(task: dict[str, Any]) -> None:
        for _ in range(2 if repeat else 1):
            handle_task(task, deps[0])

    deps.append(
        FanoutDeps(
            InProcessSegmentQueue(deliver),
            store,
            runs,
            jobs(FakeOrderScan(generated(900)), settings),
            FakeClock(NOW),
        )
    )
    run = JobRun("run-1", "co-purchases", None, QUEUED, NOW)
    runs.create(run)
    running = run.started(NOW, NOW)
    runs.start(running, replacing=QUEUED)
    assert start_fanout(running, deps[0]) == {"job": "co-purchases", "scan_segments": segments}
    finished = runs.get("run-1")
    assert finished is not None and finished.status == "succeeded"
    return finished.result or {}, settings.documents[CO_PURCHASES_ID]


@pytest.mark.parametrize("segments", [3, 8])
def test_segments_in_one_process_write_what_one_segment_writes(segments: int) -> None:
    orders = generated(900)
    one, many = FakeValueSettings(), FakeValueSettings()
    first = run_co_purchases(FakeOrderScan(orders), one)
    scan = FakeOrderScan(orders)
    split = run_co_purchases(scan, many, segments=segments)
    assert scan.reads == [(n, segments) for n in range(segments)]
    assert many.documents[CO_PURCHASES_ID] == one.documents[CO_PURCHASES_ID]
    figures = ("orders", "pairs", "skus")
    assert {k: split[k] for k in figures} == {k: first[k] for k in figures}
    counted = [t["orders"] for t in split["segment_timings"]]
    assert sum(counted) == first["orders"] and len(set(counted)) > 1  # uneven segments


def test_the_fanned_out_job_writes_the_single_runs_document_and_times_each_segment() -> None:
    single = FakeValueSettings()
    reference = run_co_purchases(FakeOrderScan(generated(900)), single)
    for segments in (1, 3, 8):
        result, document = fanned_out(segments)
        assert document == single.documents[CO_PURCHASES_ID]
        assert (result["job"], result["scan_segments"]) == ("co-purchases", segments)
        assert {k: result[k] for k in ("orders", "pairs", "skus")} == {
            k: reference[k] for k in ("orders", "pairs", "skus")
        }
        timings = result["segment_timings"]
        assert [t["segment"] for t in timings] == list(range(segments))
        assert sum(t["orders"] for t in timings) == reference["orders"]
        assert all(t["seconds"] >= 0 for t in timings) and result["seconds"] >= 0


def test_a_segment_delivered_twice_is_counted_once() -> None:
    once_result, once_document = fanned_out(8)
    twice_result, twice_document = fanned_out(8, repeat=True)
    assert twice_document == once_document
    assert twice_result["orders"] == once_result["orders"]
    assert [t["orders"] for t in twice_result["segment_timings"]] == [
        t["orders"] for t in once_result["segment_timings"]
    ]


@pytest.mark.parametrize(("phase", "segment"), [("rescore", 0), ("count", 3), ("count", -1)])
def test_a_task_naming_no_phase_or_segment_of_its_run_is_skipped_not_retried(
    phase: str, segment: int
) -> None:
    runs, store = MemoryRuns(), MemoryFanout()
    run = JobRun("run-2", "co-purchases", None, QUEUED, NOW)
    runs.create(run)
    running = run.started(NOW, NOW)
    runs.start(running, replacing=QUEUED)
    store.create("run-2#1", {"job": "co-purchases", "total": 3, "now": NOW.isoformat()})
    settings, queued = FakeValueSettings(), []
    scan = FakeOrderScan(generated(30))
    deps = FanoutDeps(
        InProcessSegmentQueue(queued.append), store, runs, jobs(scan, settings), FakeClock(NOW)
    )
    task = {"job": "co-purchases", "run_id": "run-2", "fanout": "run-2#1", "phase": phase}
    done = handle_task({**task, "segment": segment, "total": 3}, deps)
    assert done["skipped"] == "no such phase or segment in the run"
    assert scan.reads == [] and store.stored == {} and store.done == {} and queued == []


def test_the_merge_reads_the_parts_one_at_a_time_and_keeps_only_their_timings() -> None:
    single = FakeValueSettings()
    run_co_purchases(FakeOrderScan(generated(900)), single)
    store = WatchedFanout()
    result, document = fanned_out(40, store=store)
    assert document == single.documents[CO_PURCHASES_ID]
    assert store.most_alive <= 1  # the part being merged; none of the earlier ones
    assert [t["segment"] for t in result["segment_timings"]] == list(range(40))
    assert all(set(t) == {"segment", "orders", "seconds"} for t in result["segment_timings"])
