"""A store's history imported through the local stack, as a store imports it.

Starts the local stack (``python -m local.stack``) and, for its customers and then its
orders (JSON Lines, :mod:`bench.imports`' files), does what the store does:
``POST /v1/admin/imports``, ``PUT`` of the file to the presigned ``upload_url``, and
``GET /v1/admin/imports/{id}`` until ``done``; the stack's S3 poller delivers the upload's
event to the import function, in the stack's process. Each file's time runs from the
``PUT`` to the status ``done``; then the bench waits until the stream handlers the
imported items trigger have written their last (no DynamoDB write for
:data:`QUIET_SECONDS`).

Every request moto received is counted in moto's process (:mod:`local.moto_requests`):
the write requests per 1,000 orders are those of the orders file's phase, the import's
own and its stream handlers' alike. Peak memory: the stack's process (where the import
function runs, beside the API, the pumps and the handlers; ``VmHWM``) and moto's
process (the tables), each read from its own process.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.imports import customers_file, orders_file
from bench.local_e2e import start_stack_process, stop_stack_process
from local.moto_requests import DYNAMODB_WRITES, read_counts

CUSTOMERS, ORDERS = 10_000, 50_000
ADMIN = "dev-admin-key"
QUIET_SECONDS = 3.0
POLL_SECONDS = 0.25
TIMEOUT_SECONDS = 900.0
DRAIN_SECONDS = 300.0
"""How long the bench waits for the stream handlers after ``done`` (a bench part's bound)."""


@dataclass
class Phase:
    """One file's import: its view at the end, its times and the requests it caused."""

    kind: str
    rows: int
    view: dict[str, Any] = field(default_factory=dict)
    import_s: float = 0.0  # PUT to status done
    settle_s: float = 0.0  # status done to the last write of the stream handlers
    drained: bool = True  # False: the handlers still wrote when the bench stopped waiting
    requests: Counter[str] = field(default_factory=Counter)
    writes_by_table: Counter[str] = field(default_factory=Counter)

    def writes(self) -> int:
        """The DynamoDB write requests of the phase (every client's)."""
        return sum(n for op, n in self.requests.items() if _write(op))


def _write(name: str) -> bool:
    service, _, op = name.partition(":")
    return service == "dynamodb" and op in DYNAMODB_WRITES


def _admin(base: str, key: str, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _upload(url: str, data: bytes) -> None:
    request = urllib.request.Request(url, data=data, method="PUT")
    request.add_header("Content-Type", "application/octet-stream")
    with urllib.request.urlopen(request, timeout=120):
        pass


def _dynamodb_writes(aws: str) -> int:
    return sum(n for op, n in read_counts(aws)["requests"].items() if _write(op))


def _settle(aws: str, timeout: float) -> float:
    """Seconds until no DynamoDB write reached moto for :data:`QUIET_SECONDS`."""
    started = time.perf_counter()
    last, quiet_since = _dynamodb_writes(aws), time.perf_counter()
    while time.perf_counter() - quiet_since < QUIET_SECONDS:
        if time.perf_counter() - started > timeout:
            break
        time.sleep(POLL_SECONDS)
        now = _dynamodb_writes(aws)
        if now != last:
            last, quiet_since = now, time.perf_counter()
    return quiet_since - started


def import_file(
    base: str, aws: str, import_id: str, kind: str, data: bytes, admin: str = ADMIN
) -> Phase:
    """Import one file as a store does, then wait for its stream effects; the phase."""
    phase = Phase(kind, data.count(b"\n"))
    before = read_counts(aws)
    body = {"import_id": import_id, "kind": kind, "format": "jsonl"}
    created = _admin(base, admin, "POST", "/v1/admin/imports", body)
    started = time.perf_counter()
    _upload(created["upload_url"], data)
    while time.perf_counter() - started < TIMEOUT_SECONDS:
        phase.view = _admin(base, admin, "GET", created["url"])
        if phase.view["status"] in ("done", "failed"):
            break
        time.sleep(POLL_SECONDS)
    phase.import_s = time.perf_counter() - started
    phase.settle_s = _settle(aws, DRAIN_SECONDS)
    phase.drained = phase.settle_s < DRAIN_SECONDS
    after = read_counts(aws)
    phase.requests = Counter(after["requests"]) - Counter(before["requests"])
    phase.writes_by_table = Counter(after["writes_by_table"]) - Counter(before["writes_by_table"])
    return phase


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory so far (``VmHWM``), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(customers: int = CUSTOMERS, orders: int = ORDERS) -> dict[str, Any]:
    """Start the stack, import ``customers`` then ``orders``; every figure of the run."""
    started = time.perf_counter()
    port = _port()
    aws = f"http://127.0.0.1:{port}"
    extra = {"RAPPORT_ADMIN_KEY": ADMIN, "RAPPORT_AWS_PORT": str(port)}
    process, base, _ = start_stack_process({**extra, "POWERTOOLS_LOG_LEVEL": "ERROR"})
    try:
        at_rest = peak_rss_mb(process.pid)
        people = import_file(base, aws, "bench-customers", "customers", customers_file(customers))
        history = import_file(base, aws, "bench-orders", "orders", orders_file(customers, orders))
        return {
            "customers": people,
            "orders": history,
            "stack_rest_mb": at_rest,
            "stack_peak_mb": peak_rss_mb(process.pid),
            "moto_peak_mb": read_counts(aws)["peak_rss_mb"],
            "wall_s": time.perf_counter() - started,
        }
    finally:
        stop_stack_process(process)


def _settled(phase: Phase) -> str:
    return f"{phase.settle_s:.0f}" if phase.drained else f">{DRAIN_SECONDS:.0f} (not drained)"


def _per_thousand(phase: Phase, count: float) -> float:
    """Per 1,000 imported rows (per 1,000 rows of the file if none was imported)."""
    return 1000 * count / max(1, phase.view.get("imported") or phase.rows)


def figures(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The bench rows: rows per second, write requests per 1,000 orders, memory."""
    people: Phase = result["customers"]
    history: Phase = result["orders"]
    both = people.import_s + history.import_s
    rows = [
        (f"import {people.rows:,} customers (stack): rows/s",
         f"{people.rows / people.import_s:.0f}", ""),
        (f"import {history.rows:,} orders (stack): rows/s",
         f"{history.rows / history.import_s:.0f}", ""),
        ("import, both files (stack): rows/s", f"{(people.rows + history.rows) / both:.0f}", ""),
        ("  status of the customers / orders import",
         f"{people.view.get('status')}/{history.view.get('status')}", "done/done"),
        ("  imported customers / orders",
         f"{people.view.get('imported')}/{history.view.get('imported')}", "all"),
        ("  PUT to done, customers / orders (s)", f"{people.import_s:.0f}/{history.import_s:.0f}",
         ""),
        ("  then to the streams' last write (s)", f"{_settled(people)}/{_settled(history)}", ""),
        ("  wall time, stack start to last write (s)", f"{result['wall_s']:.0f}", ""),
        ("import: DynamoDB writes per 1,000 orders" + ("" if history.drained else " (at least)"),
         f"{_per_thousand(history, history.writes()):.1f}", "<= 100"),
    ]  # fmt: skip
    for op, n in sorted(history.requests.items()):
        if _write(op):
            rows.append((f"  {op.split(':', 1)[1]}", f"{_per_thousand(history, n):.1f}", ""))
    for table, n in sorted(history.writes_by_table.items()):
        rows.append((f"  writing {table}", f"{_per_thousand(history, n):.1f}", ""))
    rows += [
        ("import: DynamoDB writes per 1,000 customers",
         f"{_per_thousand(people, people.writes()):.1f}", ""),
        ("import: peak RSS, the stack's process (MB)", f"{result['stack_peak_mb']:.0f}", ""),
        ("  the stack's process before, at rest (MB)", f"{result['stack_rest_mb']:.0f}", ""),
        ("import: peak RSS, the moto process (MB)", f"{result['moto_peak_mb']:.0f}", ""),
    ]  # fmt: skip
    return rows
