"""Bulk import of a shop's history (JSON Lines) through the import service on moto.

Runs the import service on in-process moto (with the local stack's faster transaction
and update paths): the file is put in the imports bucket and the upload's import run as
the S3 event would run it, then the app's stream handlers on the records it wrote (the
local stack's pump). Counts the DynamoDB requests the app's client makes for the import,
its stream handlers' included (by operation), the write requests per 1,000 imported
orders, rows per second, and the process's peak resident memory (moto's copy of the
tables included).

moto takes about 10 ms per item written here (about 70 order rows per second), so the
moto part runs at 600 customers and 3,000 orders (about 90 s); the full 10k and 50k run
without AWS in :mod:`bench.import_memory`. The requests per 1,000 orders depend on the
batch sizes and the orders per customer (5 in both), not on the size.
"""

from __future__ import annotations

import json
import os
import random
import resource
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

MOTO_CUSTOMERS, MOTO_ORDERS = 600, 3_000
WRITES = ("BatchWriteItem", "TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem")
START = datetime(2023, 12, 1, tzinfo=UTC)


def customers_file(customers: int) -> bytes:
    rows = (
        {"customer_id": f"c-{n:06d}", "email": f"c{n}@example.com", "name": f"Customer {n}"}
        for n in range(customers)
    )
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def orders_file(customers: int, orders: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = []
    for n in range(orders):
        items = [
            {"sku": f"SKU-{rng.randint(1, 300)}", "name": "Tea", "category": "tea",
             "quantity": rng.randint(1, 3), "unit_price": rng.randint(10, 400) * 100}
            for _ in range(rng.randint(1, 3))
        ]  # fmt: skip
        placed = START + timedelta(minutes=rng.randint(0, 1_050_000))
        row = {
            "order_id": f"o-{n:07d}",
            "customer_id": f"c-{rng.randrange(customers):06d}",
            "placed_at": placed.isoformat(),
            "currency": "CNY",
            "lines": items,
            "total": sum(i["quantity"] * i["unit_price"] for i in items),
            "payment_method": "card",
            "status": rng.choice(("paid", "paid", "fulfilled", "placed", "refunded")),
        }
        lines.append(json.dumps(row))
    return ("\n".join(lines) + "\n").encode()


def _environment() -> None:
    os.environ.update(
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",
        RAPPORT_LOCAL="1",
        POWERTOOLS_LOG_LEVEL="ERROR",
        POWERTOOLS_METRICS_DISABLED="true",
    )
    os.environ.pop("RAPPORT_FAULTS", None)
    os.environ.pop("AWS_ENDPOINT_URL", None)


def _timed_import(container: Any, import_id: str, kind: str, data: bytes) -> dict[str, Any]:
    from chalicelib.domain.imports import ImportRun, object_key
    from chalicelib.services.imports import run_import

    deps = container.imports
    deps.runs.create(ImportRun(import_id, kind, "jsonl", "uploading", "2026-12-01T00:00:00Z", ""))
    bucket = container.config.imports_bucket
    container.client("s3").put_object(Bucket=bucket, Key=object_key(import_id), Body=data)
    started = time.perf_counter()
    run_import(object_key(import_id), deps)
    seconds = time.perf_counter() - started
    run = deps.runs.get(import_id)
    return {"seconds": seconds, "counts": run.counts, "status": run.status}


def stream_pump(session: Any, env: dict[str, str]) -> Callable[[], int]:
    """Drain the app's streams through its handlers, as Lambda would run them for the
    import's records (the pump's own stream reads are not the app's calls): what the
    import causes there is counted with the import's own requests."""
    import app as app_module
    from local.pump import drain, pumps_for_app

    pumps = pumps_for_app(app_module.app, session, env)
    return lambda: drain(pumps)


def run(customers: int = 10_000, orders: int = 50_000) -> dict[str, Any]:
    """Import ``customers`` then ``orders``; the figures of each."""
    import boto3
    from moto import mock_aws

    _environment()
    from chalicelib import bootstrap
    from infra.provision import create_all
    from local import moto_transactions, moto_updates

    moto_transactions.install()
    moto_updates.install()
    calls: Counter[str] = Counter()
    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        os.environ.update(create_all(session))
        container = bootstrap.Container(session=session)
        bootstrap.reset(container)

        def counter(event_name: str, **_: Any) -> None:
            calls[event_name.rsplit(".", 1)[-1]] += 1

        container.client("dynamodb").meta.events.register("before-call.dynamodb.*", counter)
        pump = stream_pump(session, dict(os.environ))
        people = _timed_import(container, "bench-c", "customers", customers_file(customers))
        pump()
        people["calls"] = Counter(calls)
        calls.clear()
        history = _timed_import(container, "bench-o", "orders", orders_file(customers, orders))
        own = Counter(calls)
        history["stream_records"] = pump()
        history["calls"] = Counter(calls)
        history["stream_calls"] = Counter(calls) - own
        bootstrap.reset(None)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"customers": people, "orders": history, "peak_rss_mb": peak_mb}


def figures(
    customers: int = MOTO_CUSTOMERS, orders: int = MOTO_ORDERS
) -> list[tuple[str, str, str]]:
    """The bench's rows: rows per second, write requests per 1,000 orders, memory."""
    result = run(customers, orders)
    people, history = result["customers"], result["orders"]
    writes = sum(history["calls"][op] for op in WRITES)
    imported = max(1, history["counts"].imported)
    people_rate = customers / people["seconds"]
    out = [
        (f"import {customers} customers, moto: rows per s", f"{people_rate:.0f}", ""),
        (f"import {orders} orders, moto: rows per s", f"{orders / history['seconds']:.0f}", ""),
        ("import: DynamoDB write requests per 1,000 orders", f"{writes * 1000 / imported:.1f}",
         "<= 100"),
    ]  # fmt: skip
    for op in WRITES:
        if history["calls"][op]:
            out.append(
                (f"  {op} per 1,000 orders", f"{history['calls'][op] * 1000 / imported:.1f}", "")
            )
    stream = sum(history["stream_calls"][op] for op in WRITES)
    out.append(("  of which the stream handlers'", f"{stream * 1000 / imported:.1f}", ""))
    out.append(("import: peak RSS, moto in-process (MB)", f"{result['peak_rss_mb']:.0f}", ""))
    return out
