"""The fanned-out customer-value job: time and peak memory per scan segment.

100k synthetic customers in 4 segments (every summary measured, the rescoring of two),
and 1M customers in 8 segments of 125k (what 1M customers give with the default bound of
250k items: each customer has a profile and an email guard), of which segment 0 is
measured (the segments are alike: the same generator, the same share of the table). Each
phase of each measured segment runs in a fresh process, as each task runs in its own
Lambda invocation, and reports its time and peak resident memory (``ru_maxrss``,
interpreter and numpy included). The store is the in-process generator of
:mod:`bench.customer_value` (no DynamoDB).
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from typing import Any

from bench.customer_value import AS_OF, GeneratedStore
from chalicelib.domain.customer_value import ProfileValues


class SegmentStore(GeneratedStore):
    """The generated profiles of one scan segment (customer ``n`` is in ``n % total``),
    each from its own seeded generator, so a segment generates only its own."""

    def profiles(
        self, retry: Any = None, segment: tuple[int, int] = (0, 1)
    ) -> Iterator[ProfileValues]:
        index, total = segment
        for n in range(index, self.customers, total):
            yield ProfileValues.from_item(_profile(n))


def _profile(n: int) -> dict[str, Any]:
    rng = random.Random(n)
    days: dict[str, int] = {}
    if rng.random() < 0.9:
        day = AS_OF - timedelta(days=rng.randint(1, 720))
        for _ in range(1 + int(rng.expovariate(0.5))):
            if day > AS_OF:
                break
            days[day.isoformat()] = rng.randint(5, 500) * 100
            day += timedelta(days=rng.randint(1, 150))
    stats: dict[str, Any] = {"orders": len(days), "spent": sum(days.values())}
    if days:
        stats["last_order_at"] = f"{max(days)}T12:00:00.000Z"
    return {"customer_id": f"c-{n:07d}", "stats": stats, "purchase_days": days}


RESCORED = 2
"""Segments of the 100k run whose rescoring is measured."""


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summarize(customers: int, segment: tuple[int, int]) -> dict[str, Any]:
    """Phase 1 of one segment, in this (fresh) process."""
    from chalicelib.services.customer_value_job import summarize_segment

    started = time.perf_counter()
    summary = summarize_segment(SegmentStore(customers), segment, AS_OF)
    seconds = time.perf_counter() - started
    return {"summary": summary.to_dict(), "seconds": seconds, "peak_mib": _peak_mib()}


def rescore(customers: int, segment: tuple[int, int], documents: dict[str, Any]) -> dict[str, Any]:
    """Phase 3 of one segment with the fitted models, in this (fresh) process."""
    from chalicelib.domain.value_settings import CustomerValueSettings
    from chalicelib.services.customer_value_job import rescore_segment
    from chalicelib.services.value_models import stored_models

    store = SegmentStore(customers)
    store.documents = documents
    started = time.perf_counter()
    models = stored_models(store, "stored", {}, lambda call: call())
    outcome = rescore_segment(store, segment, CustomerValueSettings(), AS_OF, models)
    seconds = time.perf_counter() - started
    return {"updated": outcome["updated"], "seconds": seconds, "peak_mib": _peak_mib()}


def _fresh(function: Any, *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:  # one task: a fresh process
        result: dict[str, Any] = pool.submit(function, *args).result()
        return result


def _idle() -> dict[str, Any]:
    import numpy  # noqa: F401

    import chalicelib.services.customer_value_job  # noqa: F401 - what a segment imports

    return {"peak_mib": _peak_mib()}


def fit(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """Merge the parts and fit (the completion step, in a fresh process too: the bench
    itself never loads numpy, whose threads a forked process must not inherit)."""
    from chalicelib.domain.value_summary import ValueSummary, merged
    from chalicelib.services.value_models import fit_models

    started = time.perf_counter()
    summary = merged(ValueSummary.from_dict(part["summary"]) for part in parts)
    store = SegmentStore(0)
    fit_models(store, summary, AS_OF, None)
    return {"documents": store.documents, "seconds": time.perf_counter() - started}


def figures() -> list[tuple[str, str, str]]:
    """Rows ``(name, value, target)`` for ``make bench``."""
    rows = [("segment process at rest, peak RSS (MiB)", f"{_fresh(_idle)['peak_mib']:.0f}", "")]
    started = time.perf_counter()
    total = 4
    parts = [_fresh(summarize, 100_000, (n, total)) for n in range(total)]
    fitted = _fresh(fit, parts)
    documents, fit_seconds = fitted["documents"], fitted["seconds"]
    # rescoring is measured on two of the four (they are alike), to keep the bench short
    rescored = [_fresh(rescore, 100_000, (n, total), documents) for n in range(RESCORED)]
    for n, (part, done) in enumerate(zip(parts, rescored, strict=False)):
        name = f"100k in {total}: segment {n} (25k)"
        rows.append(
            (
                f"{name} summarize / rescore (s)",
                f"{part['seconds']:.1f} / {done['seconds']:.1f}",
                "",
            )
        )
        rows.append(
            (f"{name} peak RSS (MiB)", f"{max(part['peak_mib'], done['peak_mib']):.0f}", "")
        )
    rows.append(("100k: merge 4 summaries + fit (s)", f"{fit_seconds:.2f}", ""))
    part = _fresh(summarize, 1_000_000, (0, 8))
    done = _fresh(rescore, 1_000_000, (0, 8), documents)
    name = "1M in 8: segment 0 (125k)"
    rows.append(
        (f"{name} summarize / rescore (s)", f"{part['seconds']:.1f} / {done['seconds']:.1f}", "")
    )
    rows.append(
        (f"{name} peak RSS (MiB)", f"{max(part['peak_mib'], done['peak_mib']):.0f}", "< 1769")
    )
    customers = 125_000 / (part["seconds"] + done["seconds"])
    rows.append(("segment throughput, both phases (customers/s)", f"{customers:.0f}", ""))
    rows.append(("fan-out bench part (s)", f"{time.perf_counter() - started:.0f}", "< 180"))
    return rows


if __name__ == "__main__":
    for row in figures():
        print(" | ".join(row))
