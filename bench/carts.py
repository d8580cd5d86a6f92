"""The cart-reminders job with 10,000 idle carts among 100,000: what it reads.

In-process moto. 100,000 carts are put straight into moto's table (its backend, not the
HTTP layer: seeding through boto3 would take minutes here): 10,000 open and idle for two
hours, 10,000 open and updated in the last minutes, 80,000 reminded or closed days ago
(as most of a shop's carts are), with a profile for each idle cart's customer.
Every item a DynamoDB read of the app's client returns is counted (``Items`` of a query,
``Item`` of a get).

- The job's read of the open-carts index, over the 100,000 carts: the items it returns
  (the figure that must be about 10,000, not 100,000).
- The whole job (index, profile, orders after the cart, outbox, cart marked) on a sample
  of the same world shape, 100 idle carts among 1,000: items read per idle cart. Moto
  answers a call in tens of milliseconds on this machine, so 10,000 reminders would take
  longer than a bench part may; the reads per cart do not depend on the number of carts.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

CARTS, IDLE = 100_000, 10_000
SAMPLE_CARTS, SAMPLE_IDLE = 1_000, 100


def _carts(now: datetime, carts: int, idle: int) -> Iterator[dict[str, Any]]:
    from chalicelib.adapters.activity_repository import cart_item
    from chalicelib.domain.carts import CLOSED, OPEN, REMINDED, Cart
    from chalicelib.domain.orders import OrderLine

    line = (OrderLine("TEA-1", "Oolong tea", "tea", 1, 4500),)
    for n in range(carts):
        if n < idle:  # idle for two hours: due
            status, updated = OPEN, now - timedelta(hours=2)
        elif n < 2 * idle:  # still being filled: in the index, not due
            status, updated = OPEN, now - timedelta(minutes=n % 50)
        else:  # reminded or closed (ordered, emptied) days ago: not in the index
            status, updated = (REMINDED, CLOSED)[n % 2], now - timedelta(days=n % 30 + 1)
        yield cart_item(Cart(f"k-{n}", f"e-{n}", status, line, updated))


def _profiles(now: datetime, idle: int) -> Iterator[dict[str, Any]]:
    from chalicelib.adapters.profile_items import profile_to_item
    from chalicelib.domain.profile import Profile
    from chalicelib.domain.times import iso

    stamp = iso(now)
    for n in range(idle):
        profile = Profile(f"k-{n}", f"k{n}@example.com", stamp, stamp)
        yield {k: v for k, v in profile_to_item(profile).items() if v is not None}


def _write(table: str, items: Iterator[dict[str, Any]]) -> None:
    """Put items into moto's table directly (its backend: no HTTP, no serialization)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from chalicelib.adapters import codec

    stored = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].get_table(table)
    for item in items:
        stored.put_item(codec.to_item(item))


def _world(carts: int, idle: int) -> Iterator[tuple[Any, dict[str, str], Counter[str]]]:
    """A fresh moto world with ``carts`` carts (``idle`` idle), the container, and the
    counter of items the app's reads return."""
    import boto3
    from moto import mock_aws

    os.environ.update(AWS_DEFAULT_REGION="us-east-1", AWS_ACCESS_KEY_ID="bench",
                      AWS_SECRET_ACCESS_KEY="bench", AWS_ACCOUNT_ID_ENDPOINT_MODE="disabled",
                      RAPPORT_LOCAL="1", RAPPORT_PUBLIC_BASE_URL="http://bench")  # fmt: skip
    os.environ.pop("AWS_ENDPOINT_URL", None)
    os.environ.pop("RAPPORT_FAULTS", None)
    from chalicelib import bootstrap
    from infra.provision import create_all
    from local import moto_transactions, moto_updates

    moto_transactions.install()
    moto_updates.install()  # items sized once, as in the local stack
    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        env = create_all(session)
        os.environ.update(env)
        container = bootstrap.Container(session=session)
        bootstrap.reset(container)
        now = datetime.now(UTC)
        _write(env["RAPPORT_ACTIVITY_TABLE"], _carts(now, carts, idle))
        _write(env["RAPPORT_CUSTOMERS_TABLE"], _profiles(now, idle))
        read: Counter[str] = Counter()

        def count(parsed: dict[str, Any], model: Any, **_: Any) -> None:
            read[model.name] += len(parsed.get("Items", [])) + (1 if parsed.get("Item") else 0)

        container.client("dynamodb").meta.events.register("after-call.dynamodb.*", count)
        yield container, env, read
        bootstrap.reset(None)


def run() -> dict[str, float]:
    """The index read over 100,000 carts, and the whole job on a sample: items read."""
    from chalicelib.domain.carts import idle_since_limit
    from chalicelib.services.jobs import run_job

    for container, _, read in _world(CARTS, IDLE):
        started, cpu = time.perf_counter(), time.process_time()
        limit = idle_since_limit(datetime.now(UTC), container.settings.store().cart_idle_minutes)
        due = sum(1 for _ in container.activity.due_carts(limit))
        index_s, index_cpu_s = time.perf_counter() - started, time.process_time() - cpu
        index_items = read["Query"]
    for container, _, read in _world(SAMPLE_CARTS, SAMPLE_IDLE):
        started = time.perf_counter()
        result = run_job("cart-reminders", container.job_deps)
        job_s = time.perf_counter() - started
        per_cart = sum(read.values()) / SAMPLE_IDLE
    return {"due": due, "index_items": index_items, "index_s": index_s, "job_s": job_s,
            "index_cpu_s": index_cpu_s,
            "queued": result["queued"], "per_cart": per_cart}  # fmt: skip


def figures() -> list[tuple[str, str, str]]:
    """The bench table's rows (names fit the table's 46 columns)."""
    found = run()
    projected = found["per_cart"] * IDLE
    return [
        ("cart job: index items, 10k idle of 100k carts", f"{found['index_items']:,.0f}",
         f"~{IDLE:,}"),
        ("cart job: idle carts found", f"{found['due']:,.0f}", f"{IDLE:,}"),
        ("cart job: index read, in-process moto (s)", f"{found['index_s']:.1f}", ""),
        ("  the same, CPU seconds of this process", f"{found['index_cpu_s']:.1f}", ""),
        ("cart job: items read per idle cart (sample)", f"{found['per_cart']:.2f}", "~2"),
        ("cart job: items read, 10k idle (projected)", f"{projected:,.0f}", f"<< {CARTS:,}"),
        ("cart job: sample run, reminders queued", f"{found['queued']:,.0f}",
         f"{SAMPLE_IDLE}"),
        ("cart job: sample run (100 of 1,000 carts) (s)", f"{found['job_s']:.1f}", ""),
    ]  # fmt: skip
