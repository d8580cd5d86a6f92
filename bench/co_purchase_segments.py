"""The fanned-out co-purchases job: time, peak memory and part size per scan segment.

100k synthetic orders (300 skus in 12 categories, popularity skewed, 1 to 6 lines,
a tenth cancelled or refunded) in 4 segments of 25k, each counted in a fresh process as
each task runs in its own Lambda invocation, then merged into the document (the
completion step); and one segment of 250k orders, the default bound. Each order comes as
the Scan returns it (DynamoDB's typed attribute values) and is decoded by the adapter's
own ``basket_from_item``, so the figures include decoding; making the items is timed on
its own and taken out of the count's time (it is the Scan's work, not the job's). Peak
memory is the process's resident peak (``ru_maxrss``). The part's size is its
zlib-compressed JSON, as the fan-out stores it.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import resource
import sys
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

SKUS, CATEGORIES = 300, 12
STATUSES = ("paid", "paid", "fulfilled", "fulfilled", "placed", "fulfilled", "paid", "paid")


def _item(n: int, rng: random.Random) -> dict[str, Any]:
    """Order ``n`` as a Scan page holds it."""
    count = min(6, 1 + int(rng.expovariate(0.7)))
    skus = {int(SKUS * rng.random() ** 2) for _ in range(count)}  # popular skus first
    lines = [
        {
            "M": {
                "sku": {"S": f"SKU-{s:04d}"},
                "name": {"S": f"Product {s}"},
                "category": {"S": f"category-{s % CATEGORIES}"},
                "quantity": {"N": str(rng.randint(1, 3))},
                "unit_price": {"N": str(500 + (s * 37) % 20_000 + rng.choice((0, 0, 100)))},
            }
        }
        for s in sorted(skus)
    ]
    status = rng.choice(STATUSES) if rng.random() > 0.1 else rng.choice(("cancelled", "refunded"))
    return {
        "order_id": {"S": f"o-{n:09d}"},
        "placed_at": {"S": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00.000Z"},
        "status": {"S": status},
        "lines": {"L": lines},
    }


def _items(orders: int, segment: tuple[int, int]) -> Iterator[dict[str, Any]]:
    index, total = segment
    rng = random.Random(index)  # one generator per segment: making an item is cheap
    return (_item(n, rng) for n in range(index, orders, total))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count(orders: int, segment: tuple[int, int]) -> dict[str, Any]:
    """One segment's map step, in this (fresh) process."""
    from chalicelib.adapters.order_scan import basket_from_item
    from chalicelib.domain.co_purchase_summary import summarized

    started = time.perf_counter()
    summary = summarized(basket_from_item(item) for item in _items(orders, segment))
    seconds = time.perf_counter() - started
    part = summary.to_dict()
    stored = len(zlib.compress(json.dumps(part, sort_keys=True).encode()))
    begun = time.perf_counter()
    sum(1 for _ in _items(orders, segment))
    making = time.perf_counter() - begun
    return {
        "summary": part,
        "seconds": seconds - making,
        "making": making,
        "peak_mib": _peak_mib(),
        "stored_kib": stored / 1024,
        "pairs": len(summary.pairs),
    }


def learn(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The completion step: merge the parts, build the document (fresh process)."""
    from chalicelib.domain.co_purchase_summary import (
        CoPurchaseSummary,
        co_purchases_document,
        merged,
    )

    started = time.perf_counter()
    summary = merged(CoPurchaseSummary.from_dict(part["summary"]) for part in parts)
    document = co_purchases_document(summary)
    return {"seconds": time.perf_counter() - started, "pairs": len(document["pairs"])}


def _full_part(pairs: int) -> bytes:
    """A stored part of a large segment: ``pairs`` of the 300 skus' pairs, every sku priced
    and seen, as the fan-out stores it (zlib-compressed JSON)."""
    from itertools import combinations, islice

    rng = random.Random(7)
    skus = [f"SKU-{s:04d}" for s in range(SKUS)]
    summary = {
        "orders": 80_000,
        "pairs": [[a, b, rng.randint(1, 400)] for a, b in islice(combinations(skus, 2), pairs)],
        "prices": {sku: [[500 + n * 100, rng.randint(1, 50)] for n in range(8)] for sku in skus},
        "seen": {
            sku: ["2026-11-01T08:00:00.000Z", f"o-{n:09d}", f"category-{n % CATEGORIES}", sku]
            for n, sku in enumerate(skus)
        },
    }
    part = {"summary": summary, "segment": 0, "orders": 80_000, "seconds": 5.0}
    return zlib.compress(json.dumps(part, sort_keys=True).encode())


def merge_many(count: int, traced: bool, pairs: int = 40_000) -> dict[str, Any]:
    """The completion step of ``count`` segments: parts decoded one at a time as the store
    reads them, merged, the document built; its time and peak RSS, or (``traced``) its
    peak traced memory (tracing slows it several times)."""
    import tracemalloc

    from chalicelib.domain.co_purchase_summary import co_purchases_document
    from chalicelib.services.co_purchases_job import merge_parts

    stored = _full_part(pairs)
    parts = (json.loads(zlib.decompress(stored)) for _ in range(count))
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    summary, timings = merge_parts(parts)
    co_purchases_document(summary)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else _peak_mib()
    tracemalloc.stop()
    return {"seconds": seconds, "peak_mib": peak, "parts": len(timings)}


def _fresh(function: Any, *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:  # one task: a fresh process
        result: dict[str, Any] = pool.submit(function, *args).result()
        return result


def figures() -> list[tuple[str, str, str]]:
    """Rows ``(name, value, target)`` for ``make bench``."""
    started = time.perf_counter()
    total = 4
    parts = [_fresh(count, 100_000, (n, total)) for n in range(total)]
    rows = []
    for n, part in enumerate(parts):
        name = f"co-purchases 100k in {total}: segment {n} (25k)"
        rows.append((f"{name} count (s)", f"{part['seconds']:.1f}", ""))
    worst = max(parts, key=lambda part: part["peak_mib"])
    rows.append(("co-purchases 100k: peak RSS per segment (MiB)", f"{worst['peak_mib']:.0f}", ""))
    rows.append(
        (
            "co-purchases 100k: part stored, pairs",
            f"{worst['stored_kib']:.0f} KiB, {worst['pairs']}",
            "",
        )
    )
    merged = _fresh(learn, parts)
    rows.append(("co-purchases 100k: merge 4 parts + document (s)", f"{merged['seconds']:.2f}", ""))
    bound = _fresh(count, 1_000_000, (0, 4))
    name = "co-purchases 250k segment (1M in 4)"
    rows.append((f"{name} count (s)", f"{bound['seconds']:.1f}", ""))
    rows.append((f"{name} making items, not in count (s)", f"{bound['making']:.1f}", ""))
    rows.append((f"{name} peak RSS (MiB)", f"{bound['peak_mib']:.0f}", "< 1769"))
    rows.append(
        (f"{name} part stored, pairs", f"{bound['stored_kib']:.0f} KiB, {bound['pairs']}", "")
    )
    throughput = 250_000 / bound["seconds"]
    rows.append(("co-purchases segment throughput (orders/s)", f"{throughput:.0f}", ""))
    name = "co-purchases merge of parts of 40k pairs + document"
    for many_parts, traced in ((10, True), (100, False)):
        many = _fresh(merge_many, many_parts, traced)
        peak = "peak traced memory" if traced else "peak RSS"
        rows.append((f"{name}: {many_parts} parts (s)", f"{many['seconds']:.0f}", ""))
        rows.append(
            (f"{name}: {many_parts} parts, {peak} (MiB)", f"{many['peak_mib']:.0f}", "< 1769")
        )
    rows.append(("co-purchases bench part (s)", f"{time.perf_counter() - started:.0f}", "< 120"))
    return rows


if __name__ == "__main__":
    sys.stdout.writelines(" | ".join(row) + "\n" for row in figures())
