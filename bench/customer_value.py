"""The nightly customer-value job at 10k and 100k customers, and the CLV fit alone.

The job runs against an in-memory store that generates profiles on the fly (a seeded
generator, so the input is not held in memory and the figures measure the job, not moto
or the data). Time is measured in one run, peak memory (tracemalloc) in another.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from chalicelib.domain.customer_value import ProfileValues
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.customer_value_job import run_customer_value
from chalicelib.services.ports import DerivedUpdate

AS_OF = date(2026, 11, 1)
#: CDNOW-like BG/NBD (days) and Gamma-Gamma (cents) parameters for the fit benchmark.
TRUE = {"r": 0.243, "alpha": 30.9, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "gamma": 1544.0}


class GeneratedStore:
    """Implements the job's port over seeded synthetic profiles."""

    def __init__(self, customers: int, seed: int = 1) -> None:
        self.customers = customers
        self.seed = seed
        self.documents: dict[str, dict[str, Any]] = {}
        self.written = 0

    def profiles(self, retry: Any = None) -> Iterator[ProfileValues]:
        rng = random.Random(self.seed)
        for n in range(self.customers):
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
            item = {"customer_id": f"c-{n:07d}", "stats": stats, "purchase_days": days}
            yield ProfileValues.from_item(item)  # as the store decodes its items

    def write(self, updates: Sequence[DerivedUpdate], retry: Any = None) -> int:
        self.written += len(updates)
        return len(updates)

    def document(self, setting_id: str) -> dict[str, Any] | None:
        return self.documents.get(setting_id)

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        self.documents[setting_id] = value


def job_figures(customers: int) -> tuple[float, float]:
    """Seconds and peak MiB of one job run over ``customers`` generated profiles."""
    settings = CustomerValueSettings()
    started = time.perf_counter()
    run_customer_value(GeneratedStore(customers), settings, AS_OF)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run_customer_value(GeneratedStore(customers), settings, AS_OF)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def simulated_summaries(customers: int, seed: int = 5) -> list[Any]:
    """CLV summaries simulated from :data:`TRUE` (BG/NBD purchases, Gamma-Gamma spend)."""
    import numpy as np

    from chalicelib.domain.clv import summarize

    rng = np.random.default_rng(seed)
    summaries = []
    for _ in range(customers):
        age = int(rng.integers(30, 546))
        rate = rng.gamma(TRUE["r"], 1 / TRUE["alpha"])
        drop = rng.beta(TRUE["a"], TRUE["b"])
        nu = rng.gamma(TRUE["q"], 1 / TRUE["gamma"])
        first = AS_OF - timedelta(days=age)
        purchases = [(first, int(rng.gamma(TRUE["p"], 1 / nu)))]
        clock = 0.0
        while True:
            clock += rng.exponential(1 / rate)
            if clock > age:
                break
            purchases.append(
                (first + timedelta(days=int(clock)), int(rng.gamma(TRUE["p"], 1 / nu)))
            )
            if rng.random() < drop:
                break
        summaries.append(summarize(purchases, AS_OF))
    return summaries


def figures() -> list[tuple[str, str, str]]:
    """Rows ``(name, value, target)`` for ``make bench``."""
    from chalicelib.domain.clv import fit_clv

    rows: list[tuple[str, str, str]] = []
    measured = {n: job_figures(n) for n in (10_000, 100_000)}
    for n, (seconds, peak) in measured.items():
        rows.append((f"customer-value job, {n // 1000}k customers (s)", f"{seconds:.2f}", ""))
        rows.append((f"customer-value job, {n // 1000}k peak memory (MiB)", f"{peak:.1f}", ""))
    (t10, m10), (t100, m100) = measured[10_000], measured[100_000]
    rows.append(("job time 100k / 10k", f"{t100 / t10:.1f}x", "~10x (linear)"))
    rows.append(("job peak memory 100k / 10k", f"{m100 / m10:.1f}x", "~10x (linear)"))
    summaries = simulated_summaries(5_000)
    started = time.perf_counter()
    params = fit_clv(summaries, AS_OF)
    rows.append(("CLV fit, 5k simulated customers (s)", f"{time.perf_counter() - started:.2f}", ""))
    for name, true in TRUE.items():
        rows.append((f"  CLV {name} (true {true:g})", f"{getattr(params, name):.4g}", ""))
    return rows


if __name__ == "__main__":
    for row in figures():
        print(" | ".join(row))
