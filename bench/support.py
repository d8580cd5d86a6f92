"""Support inbox figures: AWS calls per question end to end, and the promise with a backlog.

The calls are counted as for signups and orders (``bench.api_calls``): from
``POST /v1/support-messages`` to the automatic reply sent through SES. The promise is
timed with 10,000 open tickets in the table: it reads the open counter (one item), never
the tickets, so the time and the calls stay those of an empty inbox.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bench.api_calls import Run, count_calls

HEADERS = {"Authorization": "Bearer dev-store-key", "Content-Type": "application/json"}
OPEN_TICKETS = 10_000


def _sign_up(client: Any, n: int) -> None:
    for i in range(n):
        body = {"customer_id": f"s-{i}", "email": f"support{i}@example.com", "name": "S"}
        response = client.http.post("/v1/signups", headers=HEADERS, body=json.dumps(body))
        assert response.status_code == 201, response.body


def _ask(client: Any, i: int, customer: str) -> float:
    body = {"message_id": f"bm-{i}", "customer_id": customer, "subject": "Where is my tea?",
            "body": "When does it ship?", "channel": "web"}  # fmt: skip
    started = time.perf_counter()
    response = client.http.post("/v1/support-messages", headers=HEADERS, body=json.dumps(body))
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.body
    return elapsed


def questions(n: int = 30) -> Run:
    """``n`` questions of signed-up customers, each with its automatic reply sent."""

    def run(client: Any, pump: Callable[[], int], calls: Counter[str]) -> int:
        _sign_up(client, n)
        pump()
        calls.clear()
        for i in range(n):
            _ask(client, i, f"s-{i}")
            pump()
        return n

    return run


def _fill_backlog(count: int) -> None:
    """Write ``count`` open tickets and the counter that says so (as the API leaves them)."""
    from chalicelib import bootstrap
    from chalicelib.adapters import codec

    container = bootstrap.container()
    dynamodb, table = container.client("dynamodb"), container.config.support_table
    now = datetime.now(UTC).isoformat()
    for start in range(0, count, 25):
        items = [
            {"PutRequest": {"Item": codec.to_item({
                "ticket_id": f"t-bench-{i}", "record": "ticket", "customer_id": "s-0",
                "status": "open", "due_key": "open", "opened_at": now, "due_at": now,
                "subject": "Backlog", "channel": "web", "time_zone": "UTC",
            })}}
            for i in range(start, min(start + 25, count))
        ]  # fmt: skip
        dynamodb.batch_write_item(RequestItems={table: items})
    dynamodb.put_item(
        TableName=table,
        Item=codec.to_item({"ticket_id": "metrics", "record": "open-count", "open_tickets": count}),
    )


def backlog(samples: int, timings: list[float]) -> Run:
    """``samples`` questions with ``OPEN_TICKETS`` open tickets ahead (API only)."""

    def run(client: Any, pump: Callable[[], int], calls: Counter[str]) -> int:
        _sign_up(client, 1)
        _fill_backlog(OPEN_TICKETS)
        calls.clear()
        timings.extend(_ask(client, i, "s-0") for i in range(samples))
        return samples

    return run


def promise_compute_ms(open_ahead: int = OPEN_TICKETS, rounds: int = 200) -> float:
    """The rule alone: ``expected_answer_by`` for ``open_ahead`` tickets ahead (ms)."""
    from chalicelib.domain.business_hours import expected_answer_by
    from chalicelib.domain.settings import StoreSettings

    settings = StoreSettings()
    hours = settings.business_hours()
    received = datetime(2026, 12, 4, 11, 30, tzinfo=UTC)
    started = time.perf_counter()
    for _ in range(rounds):
        expected_answer_by(hours, received, open_ahead, settings.support_answers_per_hour, 60)
    return (time.perf_counter() - started) / rounds * 1000


def figures() -> list[tuple[str, str, str]]:
    """(name, value, target) rows for the bench table."""
    rows: list[tuple[str, str, str]] = []
    calls, n = count_calls(questions(30))
    total = sum(calls.values()) / n
    rows.append(("AWS API calls per support message, end to end", f"{total:.2f}", "<= 8"))
    rows.extend((f"  {op}", f"{count / n:.2f}", "") for op, count in sorted(calls.items()))
    timings: list[float] = []
    calls, n = count_calls(backlog(20, timings))
    reads = sum(c for op, c in calls.items() if op.split(".")[1] in ("Query", "Scan")) / n
    rows.append((f"POST support message, {OPEN_TICKETS} open: p50 (ms)",
                 f"{statistics.median(timings) * 1000:.1f}", ""))  # fmt: skip
    rows.append((f"  DynamoDB calls per question, {OPEN_TICKETS} open",
                 f"{sum(calls.values()) / n:.2f}", ""))  # fmt: skip
    rows.append(("  queries or scans of the open tickets", f"{reads:.0f}", "0"))
    rows.append((f"expected_answer_by, {OPEN_TICKETS} ahead (ms)",
                 f"{promise_compute_ms():.2f}", ""))  # fmt: skip
    return rows


if __name__ == "__main__":
    for row in figures():
        print(row)
