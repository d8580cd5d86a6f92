"""A small real shop through the local stack: signups, orders, the streams, the nightly job.

:func:`replay` posts a :class:`bench.store.Store` with 8 concurrent clients, waits until
every order is counted in its customer's profile (the orders stream drained), then runs
the ``customer-value`` job for the day after the last order. The bench prints its
figures; an end-to-end test asserts them at a smaller size.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from bench.store import Store, generate, http_post, post_all

CLIENTS = 8


@dataclass
class Replay:
    """What happened to the store's history in the local stack."""

    signups: Counter[int] = field(default_factory=Counter)
    orders: Counter[int] = field(default_factory=Counter)
    signups_per_s: float = 0.0
    orders_per_s: float = 0.0
    drain_s: float | None = None  # last order accepted -> every order counted
    uncounted: list[str] = field(default_factory=list)  # customers still short of orders
    job: dict[str, Any] = field(default_factory=dict)
    job_s: float | None = None


def get_json(url: str, key: str, timeout: float = 30.0) -> tuple[int, Any]:
    """GET ``url`` with a bearer key: the status and the parsed body."""
    request = urllib.request.Request(url)
    request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), json.load(response)
    except urllib.error.HTTPError as error:
        return int(error.code), json.loads(error.read() or b"null")


def _short(base: str, key: str, expected: dict[str, int]) -> list[str]:
    """The customers whose profile counts fewer orders than ``expected``."""

    def behind(customer_id: str) -> bool:
        status, body = get_json(f"{base}/v1/customers/{customer_id}", key)
        return status != 200 or (body.get("stats") or {}).get("orders", 0) < expected[customer_id]

    with ThreadPoolExecutor(CLIENTS) as pool:
        flags = list(pool.map(behind, expected))
    return [cid for cid, late in zip(expected, flags, strict=True) if late]


def wait_until_counted(
    base: str, key: str, expected: Counter[str], timeout: float
) -> tuple[float | None, list[str]]:
    """Seconds until every customer's profile counts its orders (``None``: not in time)."""
    started = time.perf_counter()
    outstanding = dict(expected)
    while True:
        late = _short(base, key, outstanding)
        if not late:
            return time.perf_counter() - started, []
        if time.perf_counter() - started > timeout:
            return None, late
        outstanding = {cid: expected[cid] for cid in late}
        time.sleep(0.5)


def run_job(base: str, admin_key: str, as_of: str, timeout: float) -> tuple[dict[str, Any], float]:
    """Request the customer-value job and follow the run to its end: the run and seconds."""
    started = time.perf_counter()
    request = urllib.request.Request(
        f"{base}/v1/admin/jobs/customer-value",
        data=json.dumps({"as_of": as_of}).encode(),
        method="POST",
    )
    request.add_header("Authorization", f"Bearer {admin_key}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        url = json.load(response)["url"]
    run: dict[str, Any] = {}
    while time.perf_counter() - started < timeout:
        status, run = get_json(f"{base}{url}", admin_key)
        if status == 200 and run.get("status") in ("succeeded", "failed"):
            break
        time.sleep(0.25)
    return run, time.perf_counter() - started


def _timed(post: Callable[[], Counter[int]]) -> tuple[Counter[int], float]:
    started = time.perf_counter()
    statuses = post()
    return statuses, time.perf_counter() - started


def replay(
    base: str, store_key: str, admin_key: str, store: Store, drain_timeout: float = 300.0
) -> Replay:
    """Post ``store`` through the API at ``base`` and run the nightly job after it."""
    post = http_post(base, store_key)
    out = Replay()
    out.signups, took = _timed(lambda: post_all(post, "/v1/signups", store.signups, CLIENTS))
    out.signups_per_s = len(store.signups) / took
    out.orders, took = _timed(lambda: post_all(post, "/v1/orders", store.orders, CLIENTS))
    out.orders_per_s = len(store.orders) / took
    out.drain_s, out.uncounted = wait_until_counted(
        base, store_key, store.orders_per_customer(), drain_timeout
    )
    out.job, out.job_s = run_job(base, admin_key, store.day_after_last_order(), drain_timeout)
    return out


def run(customers: int = 2_500, orders: int = 5_000) -> Replay:
    """Start the stack in a child process and replay the store through it."""
    from bench.local_e2e import start_stack_process, stop_stack_process

    process, base, _ = start_stack_process({"RAPPORT_STORE_KEY": "bench-store-key"})
    try:
        return replay(base, "bench-store-key", "dev-admin-key", generate(customers, orders))
    finally:
        stop_stack_process(process)


def figures(result: Replay, customers: int, orders: int) -> list[tuple[str, str, str]]:
    """The bench table's rows for a replayed store."""
    drain = "not drained" if result.drain_s is None else f"{result.drain_s:.1f}"
    job = result.job.get("status", "?")
    return [
        (
            f"shop of {customers} customers: signups accepted per s",
            f"{result.signups_per_s:.1f}",
            "",
        ),
        ("shop: signups accepted", f"{result.signups.get(201, 0)}/{customers}", "all"),
        (f"shop of {orders} orders: orders accepted per s", f"{result.orders_per_s:.1f}", ""),
        ("shop: orders accepted", f"{result.orders.get(201, 0)}/{orders}", "all"),
        ("shop: last order to every order counted (s)", drain, "<= 60"),
        ("shop: customer-value job, request to end (s)", f"{result.job_s or 0:.1f}", ""),
        ("shop: customer-value job status", str(job), "succeeded"),
    ]
