"""DynamoDB items read per admin list page, at 1,000 and at 50,000 customers.

Synthetic profiles (flat, with the index keys the API writes) are put into in-process
moto, first 1,000, then topped up to 50,000; at each size one page of
every ``GET /v1/admin/customers`` list (and a customer's own lists) is read through the
app, and the items DynamoDB read for it are counted from the answers the app's client got
(``ScannedCount`` of a Query or Scan, one per item of a GetItem or BatchGetItem). Each list
is one index Query, so the figure is the page size plus the profile read of a lookup,
the same at both sizes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from bench.api_calls import count_calls

ADMIN = {"Authorization": "Bearer dev-admin-key"}
SIZES = (1_000, 50_000)
PAGE = 50
LISTS = (
    "tier=3", "loyalty=loyal", "segment=champions", "reachable=false", "top=clv",
    "top=spend", "signed_up_from=2026-03-01&signed_up_to=2026-06-30", "q=wang",
    "email=p7@example.com",
)  # fmt: skip
LOOKED_UP = 7
SEGMENTS = ("champions", "loyal", "at_risk", "hibernating")


def _item(n: int) -> dict[str, Any]:
    """A synthetic profile: the attributes the lists key on and the summary needs.

    Flat and small (moto sizes an item attribute by attribute on every write), with the
    index keys the API writes: ``tier_key``/``spent_12m``, ``record_type``,
    ``created_at``, ``name_search``, ``email``, ``loyalty``, ``segment_key``/``clv_value``,
    ``unreachable_key`` (one in 40).
    """
    from chalicelib.adapters import codec
    from chalicelib.adapters.profile_items import PROFILE, UNREACHABLE
    from chalicelib.domain.search import name_search_key

    name = ("Wang " if n % 3 else "王") + str(n)
    tier = 1 + n % 5
    item = {
        "customer_id": f"p-{n:06d}", "record_type": PROFILE, "email": f"p{n}@example.com",
        "created_at": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00.000Z",
        "updated_at": "2026-11-30T10:00:00.000Z", "name": name,
        "name_search": name_search_key(name), "tier": tier, "tier_key": f"tier#{tier}",
        "spent_12m": (n * 7919) % 500_000, "loyalty": ("very_loyal", "loyal", "occasional")[n % 3],
        "segment_key": SEGMENTS[n % 4], "clv_value": (n * 104729) % 90_000,
        "email_status": "bounced" if n % 40 == 0 else "ok",
        "unreachable_key": UNREACHABLE if n % 40 == 0 else None,
    }  # fmt: skip
    return codec.to_item(item)


def _fill(start: int, stop: int) -> None:
    """Put profiles ``start`` to ``stop`` straight into moto's in-process table (what a
    batch write stores, without the request round trip: 50,000 in well under a minute),
    and the email guard of the one customer looked up by address."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from chalicelib import bootstrap
    from chalicelib.adapters import codec
    from chalicelib.adapters.profile_items import EMAIL_GUARD, email_guard_key

    table = bootstrap.container().config.customers_table
    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    for n in range(start, stop):
        backend.put_item(table, _item(n))
    if start <= LOOKED_UP < stop:
        guard = {"customer_id": email_guard_key(f"p{LOOKED_UP}@example.com"),
                 "record_type": EMAIL_GUARD, "owner": f"p-{LOOKED_UP:06d}"}  # fmt: skip
        backend.put_item(table, codec.to_item(guard))


def _read_items(event_name: str, parsed: dict[str, Any], items: Counter[str]) -> None:
    operation = event_name.rsplit(".", 1)[-1]
    if operation in ("Query", "Scan"):
        items["read"] += int(parsed.get("ScannedCount", 0))
    elif operation == "GetItem":
        items["read"] += 1 if parsed.get("Item") else 0
    elif operation == "BatchGetItem":
        items["read"] += sum(len(found) for found in parsed.get("Responses", {}).values())


def pages(reads: dict[tuple[int, str], int]) -> Callable[..., int]:
    """The bench run: items read per page of each list, at each size, into ``reads``."""

    def run(client: Any, pump: Callable[[], int], calls: Counter[str]) -> int:
        from chalicelib import bootstrap

        items: Counter[str] = Counter()
        dynamodb = bootstrap.container().client("dynamodb")
        dynamodb.meta.events.register(
            "after-call.dynamodb.*",
            lambda event_name, parsed, **_: _read_items(event_name, parsed, items),
        )
        filled = 0
        for size in SIZES:
            _fill(filled, size)
            filled = size
            for query in (*LISTS, "360", "orders"):
                items.clear()
                url = _url(query)
                answer = client.http.get(url, headers=ADMIN)
                assert answer.status_code == 200, (url, answer.body)
                reads[(size, query)] = items["read"]
        return len(SIZES)

    return run


def _url(query: str) -> str:
    if query == "360":
        return "/v1/admin/customers/p-000007"
    if query == "orders":
        return f"/v1/admin/customers/p-000007/orders?limit={PAGE}"
    return f"/v1/admin/customers?{query}&limit={PAGE}"


def figures() -> list[tuple[str, str, str]]:
    """(name, value, target) rows: items read per page at each size."""
    from local import moto_serializer

    moto_serializer.install()  # the answers' items serialized as the local stack does
    reads: dict[tuple[int, str], int] = {}
    count_calls(pages(reads))
    bound = f"<= {PAGE + 2}"  # a page, and a lookup's guard and profile
    rows = [(f"admin list page of {PAGE}: items read at 1k / 50k", "", "")]
    for query in (*LISTS, "360", "orders"):
        small, large = reads[(SIZES[0], query)], reads[(SIZES[1], query)]
        name = {"360": "customer 360", "orders": "a customer's orders"}.get(query, f"?{query}")
        rows.append((f"  {name[:44]}", f"{small} / {large}", bound))
    return rows


if __name__ == "__main__":
    import time

    started = time.perf_counter()
    for row in figures():
        print(row)
    print(f"{time.perf_counter() - started:.1f} s")
