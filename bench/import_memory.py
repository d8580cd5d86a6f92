"""The order import's own work at full size (50k orders), in memory: parse, validate, fold.

The import service runs over an in-memory :class:`~chalicelib.services.ports.HistoryWriter`
(no AWS, no moto), so the figures are the import's throughput and peak memory (the
peak resident size of a fresh interpreter doing only that), not DynamoDB's or moto's.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.import_rows import jsonl_rows
from chalicelib.domain.order_effects import ValueState
from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.import_orders import HistoryDeps, import_orders
from chalicelib.services.ports import CustomerValue, HistoryFold, Marker

NOW = datetime(2026, 12, 1, tzinfo=UTC)


class MemoryWriter:
    """Every customer exists with an empty history; writes are kept as counts."""

    def __init__(self) -> None:
        self.orders = 0
        self.markers = 0
        self.folds = 0

    def values(self, customer_ids: list[str]) -> dict[str, CustomerValue]:
        stamp = "2026-01-01T00:00:00.000Z"
        return {
            c: CustomerValue(Profile(c, f"{c}@example.com", stamp, stamp), ValueState())
            for c in customer_ids
        }

    def owners(self, emails: list[str]) -> dict[str, str]:
        return {}

    def stored_orders(self, order_ids: list[str]) -> dict[str, dict[str, Any]]:
        return {}

    def marked(self, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
        return set()

    def put_orders(self, orders: list[tuple[Any, str]], import_id: str, now: str) -> None:
        self.orders += len(orders)

    def put_markers(self, markers: list[Marker]) -> None:
        self.markers += len(markers)

    def commit_folds(self, folds: list[HistoryFold]) -> set[str]:
        self.folds += len(folds)
        return set()


@dataclass
class _Settings:
    def store(self) -> StoreSettings:
        return StoreSettings()

    def customer_value(self) -> CustomerValueSettings:
        return CustomerValueSettings()

    def document(self, setting_id: str) -> dict[str, Any] | None:
        return None


@dataclass
class _Clock:
    def now(self) -> datetime:
        return NOW


def _import(data: bytes) -> tuple[float, MemoryWriter, int]:
    writer = MemoryWriter()
    deps = HistoryDeps(writer=writer, settings=_Settings(), clock=_Clock())  # type: ignore[arg-type]
    started = time.perf_counter()
    counts, _ = import_orders(jsonl_rows(data.decode()), "bench", deps)
    return time.perf_counter() - started, writer, counts.imported


def figures(customers: int, orders: int) -> list[tuple[str, str, str]]:
    """Rows per second and peak memory of importing ``orders`` orders of ``customers``."""
    code = f"from bench.import_memory import main; main({customers}, {orders})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        (f"import {orders:,} orders, in memory: rows/s", f"{orders / result['seconds']:.0f}", ""),
        (f"import {orders:,} orders, in memory: RSS (MB)", f"{result['peak_mb']:.0f}", ""),
        ("  orders imported / profiles folded", f"{result['imported']}/{result['folds']}", ""),
    ]


def main(customers: int, orders: int) -> None:
    """Import once and write the figures as one JSON line (run in a fresh interpreter)."""
    from bench.imports import orders_file

    seconds, writer, imported = _import(orders_file(customers, orders))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"seconds": seconds, "imported": imported, "folds": writer.folds, "peak_mb": peak}
    sys.stdout.write(json.dumps(figures) + "\n")
