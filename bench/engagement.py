"""The engagement job over 100k customers, about 1/365 of them celebrating that day.

The job runs with its real adapters (the occasion index and the outbox) on a DynamoDB
client that holds the customers table's indexes in memory: each customer's item is built
when a Query returns it (seeded, so the table is not held in memory and the figures
measure the job). The client counts every item each Query page returns (what DynamoDB
bills as read: an index Query reads only its key's items) and every item written, and
refuses a Scan. Time is measured in one run, peak memory (tracemalloc) in another.

At one instant two or three dates exist on Earth, so the job asks each index for two or
three month-days: the items read are about twice N/365 per index, never N.
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.adapters import codec
from chalicelib.adapters.occasion_index import (
    ANNIVERSARY_INDEX,
    BIRTHDAY_INDEX,
    OCCASION_INDEX,
    DynamoOccasionIndex,
)
from chalicelib.adapters.outbox import DynamoOutbox
from chalicelib.adapters.profile_items import profile_to_item
from chalicelib.domain.occasions import month_day, month_days_at, signup_month_day
from chalicelib.domain.profile import Consents, Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.engagement import EngagementDeps, run_engagement

CUSTOMERS = 100_000
AS_OF = datetime(2026, 5, 1, 0, tzinfo=UTC)  # the schedule's 00:00 UTC run
ZONES = ("Asia/Shanghai", "Asia/Tokyo", "Europe/Berlin", "America/New_York", "UTC")
LOYALTY = ("very_loyal", "loyal", "occasional", "occasional")
PAGE = 100  # items per Query page (DynamoDB pages by 1 MB; a profile is a few hundred bytes)


def _facts(n: int) -> tuple[date, date, str, str]:
    """Customer ``n``'s birthday, signup day, time zone and loyalty (seeded)."""
    rng = random.Random(n)
    born = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
    signed = date(2025, 1, 1) + timedelta(days=rng.randrange(365) - 365 * rng.randint(1, 4))
    return born, signed, rng.choice(ZONES), rng.choice(LOYALTY)


def _profile(n: int) -> Profile:
    born, signed, zone, loyalty = _facts(n)
    stamp = f"{signed.isoformat()}T12:00:00.000Z"
    return Profile(
        customer_id=f"c-{n:06d}",
        email=f"c{n}@example.com",
        created_at=stamp,
        updated_at=stamp,
        birthday=f"19{50 + n % 50}-{month_day(born)}",
        time_zone=zone,
        loyalty=loyalty,
        consents=Consents(greetings=True, recommendations=True),
        purchased=("sku:TEA-1", "category:tea"),
    )


Keys = dict[str, dict[str, list[int]]]


def index_keys(customers: int) -> Keys:
    """Which customers each index key holds (the month-days as ``profile_to_item`` writes
    them: the birthday's, and the signup's in the customer's time zone)."""
    keys: Keys = defaultdict(lambda: defaultdict(list))
    for n in range(customers):
        born, signed, zone, _ = _facts(n)
        noon = datetime(signed.year, signed.month, signed.day, 12, tzinfo=UTC)
        keys[BIRTHDAY_INDEX][month_day(born)].append(n)
        keys[ANNIVERSARY_INDEX][signup_month_day(noon, zone)].append(n)
    return keys


class CountingDynamo:
    """The customers table's occasion indexes and the outbox, as a DynamoDB client."""

    def __init__(self, keys: Keys) -> None:
        self.read: Counter[str] = Counter()
        self.written = 0
        self._keys = keys

    def get_paginator(self, operation: str) -> CountingDynamo:
        if operation != "query":
            raise AssertionError(f"the engagement job must not {operation}")
        return self

    def paginate(self, **arguments: Any) -> Iterator[dict[str, Any]]:
        index = arguments["IndexName"]
        key = arguments["ExpressionAttributeValues"][":k"]["S"]
        numbers = self._keys[index].get(key, []) if index != OCCASION_INDEX else []
        for start in range(0, max(len(numbers), 1), PAGE):
            chosen = numbers[start : start + PAGE]
            page: dict[str, Any] = {
                "Items": [codec.to_item(profile_to_item(_profile(n))) for n in chosen]
            }
            self.read[index] += len(chosen)
            if start + PAGE < len(numbers):
                page["LastEvaluatedKey"] = {"customer_id": {"S": f"c-{chosen[-1]:06d}"}}
            yield page

    def put_item(self, **arguments: Any) -> dict[str, Any]:
        self.written += 1
        return {}


class Settings:
    """Defaults and a learned product name, as the settings table would give them."""

    def store(self) -> StoreSettings:
        return StoreSettings()

    def customer_value(self) -> CustomerValueSettings:
        rules = {"recommendations": {"cross_sell": {"category:tea": ["sku:CUP-2", "sku:POT-3"]}}}
        from chalicelib.domain.value_settings import parse_value_settings

        return parse_value_settings(rules, CustomerValueSettings())

    def document(self, setting_id: str) -> dict[str, Any] | None:
        return {"names": {"CUP-2": "Celadon cup", "POT-3": "Clay teapot"}}


def _run(client: CountingDynamo) -> dict[str, Any]:
    deps = EngagementDeps(
        DynamoOccasionIndex(client, "customers"),
        DynamoOutbox(client, "messages"),
        Settings(),  # type: ignore[arg-type]
    )
    return run_engagement(deps, AS_OF, AS_OF, retry=lambda call: call())


def figures() -> list[tuple[str, str, str]]:
    """(figure, value, target) rows for ``make bench``."""
    keys = index_keys(CUSTOMERS)
    timed = CountingDynamo(keys)
    started = time.perf_counter()
    result = _run(timed)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    _run(CountingDynamo(keys))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    days = len(month_days_at(AS_OF))
    celebrating = sum(len(keys[BIRTHDAY_INDEX].get(day, [])) for day in ("05-01",))
    read = sum(timed.read.values())
    per_day = CUSTOMERS / 365
    name = f"engagement job, {CUSTOMERS // 1000}k customers"
    return [
        (f"{name}: time (s)", f"{seconds:.2f}", ""),
        (f"{name}: peak memory (MiB)", f"{peak:.1f}", ""),
        (
            f"{name}: items read (Query pages, counted)",
            f"{read} ({read / per_day:.1f} x N/365)",
            f"<= {2 * days} x N/365",
        ),
        (f"  birthday index ({days} month-days on Earth)", str(timed.read[BIRTHDAY_INDEX]), ""),
        (f"  signup-anniversary index ({days} month-days)", str(timed.read[ANNIVERSARY_INDEX]), ""),
        ("  customers whose birthday is 1 May (UTC)", str(celebrating), "~N/365"),
        (f"{name}: mail queued (items written)", f"{result['queued']} ({timed.written})", ""),
    ]
