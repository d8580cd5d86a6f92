"""A product-update campaign's fan-out rate through the local stack.

Posts ``buyers`` signups and one order each of the campaign's sku (8 clients), waits
until the orders stream indexed every purchase (a dry run sees them all), then creates
the campaign and follows it: the seconds until its fan-out queued every message (pages
of 250 from the campaign's own function, here a thread beside the API), and until every
message had its outcome from the mailer. 50,000 recipients through moto would take
longer than a bench part may (about two minutes), so the figure for 50,000 is the
measured rate carried over, printed as such.
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from bench.local_e2e import start_stack_process, stop_stack_process
from bench.local_store import get_json
from bench.store import http_post, post_all

ADMIN, STORE = "dev-admin-key", "dev-store-key"
SKU = "BENCH-KETTLE"
TARGET = 50_000


def _admin(base: str, method: str, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(f"{base}{path}", data=json.dumps(body).encode(), method=method)
    request.add_header("Authorization", f"Bearer {ADMIN}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _campaign(dry_run: bool = False) -> dict[str, Any]:
    return {
        "campaign_id": "bench-kettle",
        "kind": "product_update",
        "sku": SKU,
        "subject": {"en": "Your kettle has a new lid", "zh-CN": "您的紫砂壶有了新壶盖"},
        "body": {"en": "The new lid keeps tea hot.", "zh-CN": "新壶盖保温更久。"},
        "dry_run": dry_run,
    }


def _buyers(base: str, buyers: int) -> None:
    post = http_post(base, STORE)
    signups = [
        {
            "customer_id": f"b-{n}",
            "email": f"b-{n}@example.com",
            "locale": "zh-CN" if n % 2 else "en",
            "consents": {"marketing": True},
        }
        for n in range(buyers)
    ]
    line = {"sku": SKU, "name": "Clay kettle", "category": "tea", "quantity": 1, "unit_price": 99}
    orders = [
        {
            "order_id": f"bo-{n}",
            "customer_id": f"b-{n}",
            "placed_at": "2026-10-01T09:30:00+08:00",
            "currency": "CNY",
            "payment_method": "card",
            "total": 99,
            "lines": [line],
        }
        for n in range(buyers)
    ]
    post_all(post, "/v1/signups", signups)
    post_all(post, "/v1/orders", orders)


def _wait(check: Any, timeout: float) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter() - started
        time.sleep(0.2)
    return None


def _mails(viewer: str) -> int:
    with urllib.request.urlopen(f"{viewer}/api/messages", timeout=60) as response:
        return len(json.load(response)["messages"])


def run(buyers: int = 150, timeout: float = 120.0) -> dict[str, Any]:
    """Seconds to fan out and to deliver a campaign to ``buyers`` past buyers.

    The campaign starts once the welcome letters and order confirmations are delivered,
    so the mailer works on the campaign alone.
    """
    process, base, viewer = start_stack_process({"RAPPORT_ADMIN_KEY": ADMIN})
    try:
        _admin(
            base, "PUT", "/v1/admin/settings/store", {"quiet_hours_start": 0, "quiet_hours_end": 0}
        )
        _buyers(base, buyers)

        def indexed() -> bool:
            dry = _admin(base, "POST", "/v1/admin/campaigns", _campaign(dry_run=True))
            return bool(dry["recipients"] + sum(dry["excluded"].values()) >= buyers)

        _wait(indexed, timeout)
        _wait(lambda: _mails(viewer) >= 2 * buyers, timeout)
        started = time.perf_counter()
        _admin(base, "POST", "/v1/admin/campaigns", _campaign())
        url = f"{base}/v1/admin/campaigns/bench-kettle"

        def view() -> dict[str, Any]:
            return dict(get_json(url, ADMIN)[1])

        fanned = _wait(lambda: view()["fan_out"]["finished"], timeout)
        done = _wait(lambda: view()["status"] == "done", timeout)
        final = view()
        delivered = None if done is None else time.perf_counter() - started
        return {"buyers": buyers, "fan_out_s": fanned, "done_s": delivered, "view": final}
    finally:
        stop_stack_process(process)


def figures(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The bench rows: rates measured at ``buyers``, and what they mean for 50,000."""
    buyers, view = result["buyers"], result["view"]
    rows = []
    fanned, done = result["fan_out_s"], result["done_s"]
    if fanned:
        rate = view["fan_out"]["queued"] / fanned
        rows.append((f"campaign fan-out, {buyers} buyers: queued per s", f"{rate:.0f}", ""))
        rows.append(
            (f"  at that rate, {TARGET:,} recipients (min)", f"{TARGET / rate / 60:.1f}", "")
        )
        rows.append(
            ("  pages (250 buyers, one invocation each)", f"{view['fan_out']['pages']}", "")
        )
    if done:
        rate = view["recipients"] / done
        rows.append((f"campaign POST to every outcome, {buyers}: per s", f"{rate:.0f}", ""))
    rows.append(("  sent / suppressed", f"{view['sent']}/{view['suppressed']['total']}", ""))
    return rows
