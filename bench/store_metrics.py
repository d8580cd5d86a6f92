"""Store metrics figures: ``GET /v1/admin/metrics`` over a year of daily counters.

A year of day items (every day with orders, revenue in two currencies, mail of five
templates by outcome and reason, feedback and unsubscribes) is written straight into the
metrics table; the route is then asked for the year per day, per week and per month.
The figures are the DynamoDB calls and items each answer reads (one BatchGetItem per
100 days, one item per day, never a scan) and its time on in-process moto, with the
local stack's direct serializer of attribute values (``local/moto_serializer.py``).
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bench.api_calls import Run, count_calls

HEADERS = {"Authorization": "Bearer dev-admin-key"}
YEAR = (date(2025, 12, 1), date(2026, 11, 30))
TEMPLATES = ("welcome", "order_confirmation", "greeting", "recommendations", "cart_reminder")


def _day_counts(n: int) -> dict[str, int]:
    counts = {"signups": 3 + n % 5, "orders": 20 + n % 7, "orders:CNY": 18, "orders:USD": 2 + n % 7,
              "revenue:CNY": 360_000 + n, "revenue:USD": 9_000, "repeat_orders": 8, "returns": 1,
              "reversed:CNY": 2_000, "cancellations": 1, "bounces": 1, "complaints": n % 2,
              "deliveries": 40, "unsubscribes:marketing": 1}  # fmt: skip
    for template in TEMPLATES:
        counts[f"mail:{template}:sent"] = 10
        counts[f"mail:{template}:suppressed"] = 2
        counts[f"mail:{template}:suppressed:address_bounced"] = 1
        counts[f"mail:{template}:suppressed:frequency_cap"] = 1
        counts[f"mail:{template}:deferred"] = 1
    return counts


def _fill_year() -> None:
    """One day item per day of :data:`YEAR`, as the counters leave them."""
    from chalicelib import bootstrap
    from chalicelib.adapters import codec
    from chalicelib.adapters.metrics_store import DAY_KEY

    container = bootstrap.container()
    dynamodb, table = container.client("dynamodb"), container.config.metrics_table
    days = [YEAR[0] + timedelta(days=n) for n in range((YEAR[1] - YEAR[0]).days + 1)]
    for start in range(0, len(days), 25):
        items = [
            {"PutRequest": {"Item": codec.to_item({DAY_KEY: day.isoformat(), **_day_counts(n)})}}
            for n, day in enumerate(days[start : start + 25], start)
        ]
        dynamodb.batch_write_item(RequestItems={table: items})


def year_query(granularity: str, rounds: int, timings: list[float], items: list[int]) -> Run:
    """``rounds`` answers for :data:`YEAR` at ``granularity``; items read are recorded."""

    def run(client: Any, pump: Callable[[], int], calls: Counter[str]) -> int:
        from chalicelib import bootstrap
        from local import moto_serializer

        moto_serializer.install()  # moto's attribute values as the local stack serves them
        _fill_year()

        def read(parsed: dict[str, Any], **_: Any) -> None:
            items.append(sum(len(found) for found in parsed.get("Responses", {}).values()))

        dynamodb = bootstrap.container().client("dynamodb")
        dynamodb.meta.events.register("after-call.dynamodb.BatchGetItem", read)
        items.clear()
        calls.clear()
        query = f"/v1/admin/metrics?from={YEAR[0]}&to={YEAR[1]}&granularity={granularity}"
        for _ in range(rounds):
            started = time.perf_counter()
            response = client.http.get(query, headers=HEADERS)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.body
        dynamodb.meta.events.unregister("after-call.dynamodb.BatchGetItem", read)
        return rounds

    return run


def figures(rounds: int = 10) -> list[tuple[str, str, str]]:
    """(name, value, target) rows for the bench table."""
    rows: list[tuple[str, str, str]] = []
    days = (YEAR[1] - YEAR[0]).days + 1
    for granularity in ("day", "week", "month"):
        timings: list[float] = []
        items: list[int] = []
        calls, n = count_calls(year_query(granularity, rounds, timings, items))
        label = f"metrics, a year ({days} days) per {granularity}"
        rows.append((f"{label}: p50 (ms)", f"{statistics.median(timings) * 1000:.1f}", ""))
        rows.append(("  DynamoDB items read per answer", f"{sum(items) / n:.0f}", f"<= {days}"))
        batches = calls["dynamodb.BatchGetItem"] / n
        rows.append(("  BatchGetItem calls per answer", f"{batches:.0f}", "<= 4"))
        others = (sum(calls.values()) - calls["dynamodb.BatchGetItem"]) / n
        rows.append(("  other calls per answer (settings, cached)", f"{others:.2f}", ""))
        scans = sum(c for op, c in calls.items() if op.endswith(("Scan", "Query")))
        rows.append(("  scans or queries", f"{scans}", "0"))
    return rows


if __name__ == "__main__":
    for row in figures():
        print(row)
