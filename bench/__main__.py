"""Print Rapport's benchmark figures as a table (``make bench``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

# Before the app's logger is built (importing the bench modules builds it): the table only.
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")

from bench import (  # noqa: E402
    admin_lists,
    api_calls,
    campaigns,
    carts,
    co_purchase_segments,
    customer_value,
    engagement,
    import_memory,
    import_stack,
    import_time,
    local_e2e,
    local_store,
    privacy,
    shipments,
    store_metrics,
    support,
    value_segments,
)

SHOP_CUSTOMERS, SHOP_ORDERS = 2_500, 5_000  # a small real shop, nine months (bench.store)


def row(name: str, value: str, target: str = "") -> str:
    return f"| {name:<46} | {value:>14} | {target:<12} |"


def show(figures: Iterable[tuple[str, str, str]]) -> None:
    """Print one part's figures, ``(name, value, target)`` each, a row a figure."""
    for name, value, target in figures:
        print(row(name, value, target))


def main() -> int:
    print(row("figure", "value", "target"))
    print(row("-" * 46, "-" * 14, "-" * 12))
    show(api_calls.figures("AWS API calls per signup, end to end", "<= 5", api_calls.signups(50)))
    show(api_calls.figures("AWS API calls per order, end to end", "<= 6", api_calls.orders(30)))
    show(shipments.figures())
    show(support.figures())
    show(customer_value.figures())
    show(value_segments.figures())
    show(co_purchase_segments.figures())
    show(privacy.figures())
    show(store_metrics.figures())
    show(engagement.figures())
    show(carts.figures())
    show(admin_lists.figures())
    show(import_stack.figures(import_stack.run()))
    show(import_memory.figures(10_000, 50_000))
    ratio = import_time.import_ratio()
    print(row("import boto3 (s)", f"{ratio['boto3_s']:.3f}"))
    print(row("import app (s)", f"{ratio['app_s']:.3f}"))
    print(row("app import / boto3 import", f"{ratio['ratio']:.2f}x", "<= 1.5x"))
    e2e = local_e2e.run()
    print(row("local stack start-up (s)", f"{e2e['startup_s']:.1f}"))
    print(
        row(
            f"burst of {e2e['signups']:.0f} signups: accepted by the API per s",
            f"{e2e['api_signups_per_s']:.1f}",
        )
    )
    print(
        row(
            "burst: signups per s, POST to mail in viewer", f"{e2e['end_to_end_signups_per_s']:.1f}"
        )
    )
    print(row("burst: POST to mail in viewer p50 (ms)", f"{e2e['p50_ms']:.0f}"))
    print(row("burst: POST to mail in viewer p99 (ms)", f"{e2e['p99_ms']:.0f}"))
    print(row("burst: mails delivered", f"{e2e['delivered']:.0f}/{e2e['signups']:.0f}"))
    print(row("one signup at a time, POST to mail p50 (ms)", f"{e2e['single_p50_ms']:.0f}"))
    print(row("one signup at a time, POST to mail max (ms)", f"{e2e['single_max_ms']:.0f}"))
    show(campaigns.figures(campaigns.run()))
    shop = local_store.run(SHOP_CUSTOMERS, SHOP_ORDERS)
    show(local_store.figures(shop, SHOP_CUSTOMERS, SHOP_ORDERS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
