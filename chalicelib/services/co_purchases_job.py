"""The nightly ``co-purchases`` job: what is bought together, learned from every order.

The job reads the orders table in scan segments (DynamoDB ``Segment``/``TotalSegments``),
one phase: each segment's orders are reduced to a mergeable
:class:`~chalicelib.domain.co_purchase_summary.CoPurchaseSummary` (pair counts, price
histograms, each sku's newest category and name); the summaries are merged and the
``co-purchases`` settings document written from the merged one. Imported history is
stored as orders too, so it counts as the live orders do.

:func:`run_co_purchases` runs the segments in this process, one after the other;
:data:`FANOUT` runs each in its own invocation (:mod:`chalicelib.services.fanout`). Both
write the same document for any number of segments.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from chalicelib.domain.co_purchase_packing import packed
from chalicelib.domain.co_purchase_summary import (
    Basket,
    CoPurchaseSummary,
    co_purchases_document,
    summarized,
)
from chalicelib.domain.job_runs import JobRun
from chalicelib.observability import logger
from chalicelib.services.fanout_steps import Closing, FanoutJob, Phase, Segment, State
from chalicelib.services.jobs import retry_policy
from chalicelib.services.ports import Retrier, SettingsStore
from chalicelib.services.recommending import CO_PURCHASES_ID
from chalicelib.services.retry import NO_RETRY

if TYPE_CHECKING:
    from datetime import datetime

    from chalicelib.services.jobs import JobDeps

COUNT = "count"
"""The job's one phase: count a segment's orders."""


class OrderScan(Protocol):
    """What the job reads: the orders, a scan segment at a time."""

    def baskets(self, retry: Retrier, segment: Segment = (0, 1)) -> Iterable[Basket]:
        """Every order of scan segment ``segment`` (``(index, total)``), each once; a page
        that fails transiently is read again under ``retry``."""
        ...

    def item_count(self) -> int:
        """The orders table's item count estimate (it bounds the orders from above)."""
        ...


def count_segment(
    scan: OrderScan, segment: Segment, retry: Retrier = NO_RETRY
) -> CoPurchaseSummary:
    """The summary of one segment's orders."""
    return summarized(scan.baskets(retry, segment=segment))


def learn(summary: CoPurchaseSummary, settings: SettingsStore, retry: Retrier) -> dict[str, Any]:
    """Write the document of the merged ``summary``; its figures."""
    document = co_purchases_document(summary)
    retry(lambda: settings.save_document(CO_PURCHASES_ID, packed(document)))
    return {
        "orders": summary.orders,
        "pairs": len(document["pairs"]),
        "skus": len(document["catalog"]),
    }


def run_co_purchases(
    scan: OrderScan, settings: SettingsStore, retry: Retrier = NO_RETRY, segments: int = 1
) -> dict[str, Any]:
    """Learn the co-purchases in this process, one scan segment after the other.

    Returns
    -------
    dict
        ``orders`` (counted: not cancelled or refunded), ``pairs`` and ``skus`` (in the
        document), ``scan_segments``, ``segment_timings`` (per segment: ``segment``,
        ``orders``, ``seconds``) and ``seconds``.
    """
    started = time.perf_counter()
    total, timings = CoPurchaseSummary(), []
    for index in range(segments):
        begun = time.perf_counter()
        part = count_segment(scan, (index, segments), retry)
        seconds = round(time.perf_counter() - begun, 3)
        total.merge(part)
        timings.append({"segment": index, "orders": part.orders, "seconds": seconds})
    learned = learn(total, settings, retry)
    seconds = round(time.perf_counter() - started, 3)
    return {**learned, "scan_segments": segments, "segment_timings": timings, "seconds": seconds}


def _items(jobs: JobDeps) -> int:
    return jobs.order_scan.item_count()


def _begin(run: JobRun, now: datetime) -> State:
    return {}  # the job works on the orders as they are


def _count(segment: Segment, state: State, jobs: JobDeps) -> dict[str, Any]:
    summary = count_segment(jobs.order_scan, segment, retry_policy(jobs))
    return {"summary": summary.to_dict(), "orders": summary.orders}


TIMING = ("segment", "orders", "seconds")
"""What a part keeps of its segment once merged: the run's ``segment_timings`` entry."""


def merge_parts(parts: Iterable[dict[str, Any]]) -> tuple[CoPurchaseSummary, list[dict[str, Any]]]:
    """Merge the parts' summaries as they come (one decoded part alive at a time); the
    merged summary and each part's timing."""
    summary, timings = CoPurchaseSummary(), []
    for part in parts:
        summary.merge(CoPurchaseSummary.from_dict(part.pop("summary")))
        timings.append({key: part[key] for key in TIMING})
    return summary, timings


def _learn(closing: Closing) -> dict[str, Any]:
    """Merge the segments' summaries, write the document; the figures and timings."""
    summary, timings = merge_parts(closing.parts(COUNT))
    learned = learn(summary, closing.jobs.settings, retry_policy(closing.jobs))
    segments = len(timings)
    logger.info(
        "co-purchases job done", extra={"orders": summary.orders, "scan_segments": segments}
    )
    return {**learned, "scan_segments": segments, "segment_timings": timings}


FANOUT = FanoutJob(items=_items, begin=_begin, phases=(Phase(COUNT, _count, _learn),))
