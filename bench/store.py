"""A small real shop's history, generated the same way every time from a seed.

:func:`generate` gives the signups and orders of a store (2,500 customers and 5,000
orders over nine months by default) in the API's shapes: a few customers order often,
most once or twice, some never; baskets of one to four lines from a tea shop's
catalogue; a mix of payment methods, locales and occasional gifts. The bench and an
end-to-end test post it through the local stack (:func:`post_all`).
"""

from __future__ import annotations

import json
import random
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

START = date(2026, 1, 1)
DAYS = 273  # nine months: 2026-01-01 .. 2026-09-30
CATALOGUE = (
    ("OOLONG-100", "Tieguanyin oolong 100 g", "tea", 8_800),
    ("PUER-357", "Ripe pu-erh cake 357 g", "tea", 26_800),
    ("LONGJING-50", "West Lake Longjing 50 g", "tea", 15_800),
    ("JASMINE-100", "Jasmine pearls 100 g", "tea", 6_800),
    ("GAIWAN-WHITE", "White porcelain gaiwan", "teaware", 12_800),
    ("YIXING-POT", "Yixing clay teapot", "teaware", 48_000),
    ("CUPS-6", "Six tasting cups", "teaware", 5_800),
    ("TRAY-BAMBOO", "Bamboo tea tray", "teaware", 19_800),
    ("MOONCAKE-4", "Mooncakes, box of four", "snacks", 9_800),
    ("DATES-500", "Red dates 500 g", "snacks", 3_800),
)
MOST_ORDERS = 40  # the most loyal customer's orders in nine months
PAYMENT_METHODS: tuple[str, ...] = ("wallet", "card", "cash_on_delivery", "bank_transfer")
PAYMENT_METHODS += ("pay_later", "gift_card", "convenience_store")
PAYMENT_WEIGHTS = (50, 25, 10, 5, 5, 3, 2)  # percent of orders


@dataclass(frozen=True)
class Store:
    """Signups, then orders in the order they were placed, and the orders per customer."""

    signups: list[dict[str, Any]]
    orders: list[dict[str, Any]]

    def orders_per_customer(self) -> Counter[str]:
        """How many orders each customer placed (customers without orders are absent)."""
        return Counter(order["customer_id"] for order in self.orders)

    def day_after_last_order(self) -> str:
        """The ``as_of`` for the customer-value job once every order is in."""
        last = max(datetime.fromisoformat(o["placed_at"]) for o in self.orders)
        return (last.astimezone(UTC).date() + timedelta(days=1)).isoformat()


def _signup(rng: random.Random, n: int) -> dict[str, Any]:
    locale = "zh-CN" if rng.random() < 0.7 else "en"
    return {
        "customer_id": f"shop-c{n:05d}",
        "email": f"customer{n:05d}@example.com",
        "name": f"Customer {n}",
        "locale": locale,
        "time_zone": "Asia/Shanghai" if locale == "zh-CN" else "Europe/London",
        "consents": {"marketing": rng.random() < 0.6, "recommendations": True},
    }


def _order_counts(rng: random.Random, customers: int, orders: int) -> list[int]:
    """Orders per customer: a skewed (Pareto-like) mix that sums to ``orders`` exactly."""
    weights = [rng.paretovariate(2.0) if rng.random() < 0.8 else 0.0 for _ in range(customers)]
    total = sum(weights)
    counts = [min(MOST_ORDERS, int(w / total * orders)) for w in weights]
    buyers = [i for i, w in enumerate(weights) if w > 0]
    while sum(counts) < orders:
        n = rng.choice(buyers)
        counts[n] += counts[n] < MOST_ORDERS
    return counts


def _order(rng: random.Random, customer_id: str, number: int, placed: datetime) -> dict[str, Any]:
    lines: list[dict[str, Any]] = []
    for sku, name, category, price in rng.sample(CATALOGUE, rng.choice((1, 1, 1, 2, 2, 3, 4))):
        quantity = rng.choice((1, 1, 1, 2, 3))
        line = {"sku": sku, "name": name, "category": category, "quantity": quantity}
        lines.append({**line, "unit_price": price})
    order: dict[str, Any] = {
        "order_id": f"shop-o{number:06d}",
        "customer_id": customer_id,
        "placed_at": placed.isoformat(timespec="seconds"),
        "currency": "CNY",
        "payment_method": rng.choices(PAYMENT_METHODS, PAYMENT_WEIGHTS)[0],
        "total": sum(line["quantity"] * line["unit_price"] for line in lines),
        "lines": lines,
    }
    if rng.random() < 0.05:
        order["gift"] = {"occasion": rng.choice(("birthday", "holiday", "anniversary"))}
    return order


def generate(customers: int = 2_500, orders: int = 5_000, seed: int = 15) -> Store:
    """The store's history, the same for the same arguments."""
    rng = random.Random(seed)
    signups = [_signup(rng, n) for n in range(customers)]
    placed: list[tuple[datetime, str]] = []
    offset = timezone(timedelta(hours=8))  # the shop is in China
    for signup, count in zip(signups, _order_counts(rng, customers, orders), strict=True):
        first = rng.randrange(DAYS)
        for _ in range(count):
            day = START + timedelta(days=rng.randrange(first, DAYS))
            seconds = rng.randrange(8 * 3600, 23 * 3600)
            moment = datetime(day.year, day.month, day.day, tzinfo=offset) + timedelta(
                seconds=seconds
            )
            placed.append((moment, signup["customer_id"]))
    placed.sort()
    history = [_order(rng, cid, n, moment) for n, (moment, cid) in enumerate(placed)]
    return Store(signups, history)


Post = Callable[[str, str, dict[str, Any]], int]


def http_post(base: str, key: str, timeout: float = 60.0) -> Post:
    """A ``post(method, path, body) -> status`` over HTTP with the store key."""

    def post(method: str, path: str, body: dict[str, Any]) -> int:
        request = urllib.request.Request(
            f"{base}{path}", data=json.dumps(body).encode(), method=method
        )
        request.add_header("Authorization", f"Bearer {key}")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    return post


def post_all(
    post: Post, path: str, bodies: Sequence[dict[str, Any]], clients: int = 8
) -> Counter[int]:
    """POST every body with ``clients`` concurrent clients; the statuses answered.

    A 503 (throttled) is retried as a store would; every other answer is final.
    """

    def one(body: dict[str, Any]) -> int:
        status = 503
        for _ in range(20):
            status = post("POST", path, body)
            if status != 503:
                break
        return status

    with ThreadPoolExecutor(clients) as pool:
        return Counter(pool.map(one, bodies))
