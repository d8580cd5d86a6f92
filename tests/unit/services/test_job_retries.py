"""Jobs survive transient errors: each page or write is retried on its own, within a bound.

In-memory fakes fail the first N calls of one page (or one write); the retry policy's
sleeper is injected, so nothing here waits.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.customer_value import ProfileValues
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.customer_value_job import DerivedUpdate, run_customer_value
from chalicelib.services.deferred_mail import requeue_due
from chalicelib.services.exceptions import StaleWrite, Throttled, Unavailable
from chalicelib.services.ports import Retrier
from chalicelib.services.retry import RetryPolicy

AS_OF = date(2026, 11, 1)
NOW = datetime(2026, 11, 2, 3, tzinfo=UTC)


class Sleeper:
    """Records the pauses instead of sleeping; its clock advances by each pause."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds

    def policy(self, retries: int = 3, seconds: float = 600.0) -> RetryPolicy:
        return RetryPolicy(
            retries=retries,
            seconds=seconds,
            base_delay=1.0,
            max_delay=8.0,
            sleep=self.sleep,
            monotonic=lambda: self.now,
            jitter=lambda: 1.0,
        )


class Flaky:
    """Fails the first ``failures`` calls made under each name in ``failing``."""

    def __init__(self, failing: Mapping[str, int], error: type[Exception] = Unavailable) -> None:
        self.left = dict(failing)
        self.error = error
        self.calls: dict[str, int] = {}

    def call(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1
        if self.left.get(name, 0) > 0:
            self.left[name] -= 1
            raise self.error("ReadTimeoutError")


# --- the policy itself ---


def test_a_call_failing_fewer_times_than_the_bound_succeeds_with_growing_pauses() -> None:
    sleeper, flaky = Sleeper(), Flaky({"page": 3}, Throttled)
    flaky_page: Callable[[], str] = lambda: flaky.call("page") or "items"  # noqa: E731
    assert sleeper.policy(retries=3)(flaky_page) == "items"
    assert flaky.calls == {"page": 4}
    assert sleeper.pauses == [1.0, 2.0, 4.0]


def test_a_call_failing_past_the_retries_raises_its_error() -> None:
    sleeper, flaky = Sleeper(), Flaky({"page": 4})
    with pytest.raises(Unavailable):
        sleeper.policy(retries=3)(lambda: flaky.call("page"))
    assert flaky.calls == {"page": 4}


def test_a_call_failing_past_the_time_bound_raises_before_the_retries_run_out() -> None:
    sleeper, flaky = Sleeper(), Flaky({"page": 99})
    with pytest.raises(Unavailable):
        sleeper.policy(retries=20, seconds=10)(lambda: flaky.call("page"))
    assert sleeper.pauses == [1.0, 2.0, 4.0]  # the next pause, 8, would pass 10 seconds
    assert sleeper.pauses[-1] <= 8.0


def test_pauses_are_capped_and_errors_that_are_not_transient_are_not_retried() -> None:
    sleeper = Sleeper()
    assert [sleeper.policy().delay(n) for n in range(6)] == [1, 2, 4, 8, 8, 8]
    flaky = Flaky({"write": 1}, StaleWrite)
    with pytest.raises(StaleWrite):
        sleeper.policy()(lambda: flaky.call("write"))
    assert flaky.calls == {"write": 1} and sleeper.pauses == []


# --- the customer-value job ---


def profiles(count: int, seed: int = 5) -> list[dict[str, Any]]:
    """Profiles with one to six purchase days each (enough customers for a CLV fit)."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        day = AS_OF - timedelta(days=rng.randint(40, 600))
        days: dict[str, int] = {}
        for _ in range(rng.randint(1, 6)):
            if day <= AS_OF:
                days[day.isoformat()] = rng.randint(10, 300) * 100
            day += timedelta(days=rng.randint(5, 90))
        stats = {"orders": len(days), "spent": sum(days.values())}
        stats["last_order_at"] = f"{max(days)}T10:00:00.000Z"
        made.append({"customer_id": f"c-{n:03d}", "stats": stats, "purchase_days": days})
    return made


class MemoryValueStore:
    """The customer-value job's port in memory, in pages of ``page_size`` profiles."""

    def __init__(self, items: list[dict[str, Any]], flaky: Flaky, page_size: int = 25) -> None:
        self.items = {item["customer_id"]: dict(item) for item in items}
        self.documents: dict[str, dict[str, Any]] = {}
        self.flaky = flaky
        self.page_size = page_size
        self.writes: list[str] = []

    def profiles(self, retry: Retrier) -> Iterator[ProfileValues]:
        ids = sorted(self.items)
        for start in range(0, len(ids), self.page_size):
            page = ids[start : start + self.page_size]
            yield from retry(lambda page=page, n=start: self._page(n, page))

    def _page(self, number: int, ids: list[str]) -> list[ProfileValues]:
        self.flaky.call(f"page {number // self.page_size}")
        return [ProfileValues.from_item(self.items[customer_id]) for customer_id in ids]

    def write(self, updates: Sequence[DerivedUpdate], retry: Retrier) -> int:
        return sum(retry(lambda update=update: self._write(update)) for update in updates)

    def _write(self, update: DerivedUpdate) -> bool:
        self.flaky.call(f"write {update.customer_id}")
        self.items[update.customer_id].update(update.values.attributes())
        self.writes.append(update.customer_id)
        return True

    def document(self, setting_id: str) -> dict[str, Any] | None:
        self.flaky.call(f"read {setting_id}")
        return self.documents.get(setting_id)

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        self.flaky.call(f"save {setting_id}")
        self.documents[setting_id] = value


def job(store: MemoryValueStore, retry: RetryPolicy) -> dict[str, Any]:
    return run_customer_value(store, CustomerValueSettings(), AS_OF, NOW, retry=retry)


def without_timing(result: dict[str, Any]) -> dict[str, Any]:
    """The result without the seconds the run and each segment's phases took."""
    timings = [
        {key: value for key, value in segment.items() if not key.endswith("seconds")}
        for segment in result.get("segment_timings", [])
    ]
    return {
        **{key: value for key, value in result.items() if key != "seconds"},
        "segment_timings": timings,
    }


def clean_run(count: int) -> tuple[dict[str, Any], MemoryValueStore]:
    store = MemoryValueStore(profiles(count), Flaky({}))
    return without_timing(job(store, Sleeper().policy())), store


def test_pages_and_writes_failing_under_the_bound_count_every_customer_once() -> None:
    want, clean = clean_run(120)
    failing = {"page 1": 2, "page 4": 3, "write c-007": 1, "save clv-model": 2}
    store = MemoryValueStore(profiles(120), Flaky(failing))
    sleeper = Sleeper()
    result = without_timing(job(store, sleeper.policy(retries=3)))
    assert result == want  # same customers, segments, loyalty and writes as a clean run
    assert result["customers"] == 120 and sum(result["segments"].values()) == 120
    assert isinstance(result["clv"], dict)  # the model was fitted and saved
    assert sorted(store.writes) == sorted(clean.writes)  # each profile written once
    assert store.items == clean.items and store.documents.keys() == clean.documents.keys()
    assert len(sleeper.pauses) == 8  # only the failed calls were made again
    assert store.flaky.calls["page 1"] == 3 and store.flaky.calls["page 0"] == 1


def test_a_page_failing_past_the_bound_fails_the_run_and_a_second_run_completes_it() -> None:
    want, clean = clean_run(120)
    store = MemoryValueStore(profiles(120), Flaky({"write c-090": 4}))
    with pytest.raises(Unavailable):
        job(store, Sleeper().policy(retries=3))
    written_before = set(store.writes)
    assert written_before and "c-090" not in written_before
    store.writes.clear()
    again = without_timing(job(store, Sleeper().policy(retries=3)))
    assert {key: again[key] for key in ("customers", "scored", "segments", "loyalty")} == {
        key: want[key] for key in ("customers", "scored", "segments", "loyalty")
    }
    assert written_before.isdisjoint(store.writes)  # what the failed run wrote stays written
    assert store.items == clean.items


# --- the deferred-mail job ---


class MemoryOutbox:
    """Deferred messages in pages of two, whose reads and requeues may fail."""

    def __init__(self, count: int, flaky: Flaky) -> None:
        self.deferred = {f"m-{n}": "2026-11-02T01:00:00.000Z" for n in range(count)}
        self.queued: list[str] = []
        self.flaky = flaky

    def by_status(
        self, status: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        start = int(cursor or 0)
        self.flaky.call(f"{status} page {start}")
        keys = sorted(self.deferred)[start : start + limit] if status == "deferred" else []
        items = [
            {"customer_id": "c", "message_key": key, "not_before": self.deferred[key]}
            for key in keys
        ]
        following = start + limit
        more = status == "deferred" and following < len(self.deferred)
        return items, (str(following) if more else None)

    def requeue_deferred(self, customer_id: str, message_key: str, now: datetime) -> bool:
        applied = message_key not in self.queued
        if applied:
            self.queued.append(message_key)
        self.flaky.call(f"requeue {message_key}")  # the update applied, its answer was lost
        return applied

    def requeue_expired_claim(self, customer_id: str, message_key: str, now: datetime) -> bool:
        return False


class FixedClock:
    def now(self) -> datetime:
        return NOW


def test_deferred_mail_retries_its_pages_and_updates_and_counts_each_message_once() -> None:
    flaky = Flaky({"deferred page 2": 2, "requeue m-3": 1})
    outbox = MemoryOutbox(5, flaky)
    requeued = requeue_due(outbox, FixedClock(), 2, retry=Sleeper().policy())  # type: ignore[arg-type]
    assert sorted(outbox.queued) == [f"m-{n}" for n in range(5)]
    assert requeued == 4  # the lost answer's message was queued, but is not counted twice
