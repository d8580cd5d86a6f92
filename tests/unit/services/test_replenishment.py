"""Replenishable purchases from order changes, and the daily job, against fakes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from chalicelib.domain.orders import CANCELLED, PLACED, REFUNDED, Order, OrderLine
from chalicelib.domain.profile import Consents, Profile
from chalicelib.domain.replenishment import Replenishable, days_to_query
from chalicelib.domain.returns import ReturnLine, ReturnRequest, StoredReturn
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.exceptions import StaleWrite
from chalicelib.services.ports import Retrier, StoredOrder
from chalicelib.services.replenishment import ReplenishmentDeps, on_order, on_return
from chalicelib.services.replenishment_job import run_replenishment
from chalicelib.services.retry import NO_RETRY
from tests.fakes import FakeClock, FakeOutbox, FakeProfiles, FakeValueSettings

START = datetime(2026, 1, 1, 8, tzinfo=UTC)


class FakeReplenishments:
    """The store over a dict, with the due-day index computed from it (as the GSI)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], tuple[Replenishable, date | None]] = {}
        self.queried: list[date] = []

    def get(self, customer_id: str, sku: str) -> Replenishable | None:
        found = self.items.get((customer_id, sku))
        return found[0] if found else None

    def save(self, item: Replenishable, due: date | None, interval_days: int | None) -> None:
        stored = self.get(item.customer_id, item.sku)
        if (stored.revision if stored else 0) != item.revision:
            raise StaleWrite()
        saved = replace(item, revision=item.revision + 1)
        self.items[(item.customer_id, item.sku)] = (saved, due)

    def due_on(self, day: date, retry: Retrier) -> Iterator[tuple[str, str]]:
        self.queried.append(day)
        due = [key for key, (_, on) in self.items.items() if on == day]
        yield from due

    def due(self, customer_id: str, sku: str) -> date | None:
        return self.items[(customer_id, sku)][1]


def world(
    skus: dict[str, int] | None = None,
) -> tuple[ReplenishmentDeps, FakeReplenishments, FakeOutbox, FakeClock]:
    store, outbox, clock = FakeReplenishments(), FakeOutbox(), FakeClock(START)
    values = FakeValueSettings()
    values.settings = StoreSettings(replenishment_skus=skus or {})
    profiles = FakeProfiles()
    profiles.put(
        Profile(
            customer_id="c-1",
            email="c-1@example.com",
            created_at="2025-01-01T00:00:00Z",
            updated_at="2025-01-01T00:00:00Z",
            consents=Consents(marketing=True),
        )
    )
    deps = ReplenishmentDeps(store, values, outbox, profiles, clock)
    return deps, store, outbox, clock


def order(order_id: str, days: int, *skus: tuple[str, int]) -> Order:
    lines = tuple(OrderLine(sku, f"name of {sku}", "tea", units, 1000) for sku, units in skus)
    return Order(order_id, "c-1", START + timedelta(days=days), "CNY", lines, 1000, "card")


def place(deps: ReplenishmentDeps, placed: Order) -> int:
    return on_order(None, StoredOrder(placed, PLACED), deps)


def run(deps: ReplenishmentDeps, days: int) -> dict[str, object]:
    return run_replenishment(deps, (START + timedelta(days=days)).date(), NO_RETRY)


def reminders(outbox: FakeOutbox) -> list[str]:
    return sorted(key for _, key in outbox.items)


def test_a_placed_order_is_recorded_once_with_its_due_day() -> None:
    deps, store, _, _ = world({"TEA-1": 30})
    first = order("o-1", 0, ("TEA-1", 1), ("TEA-1", 1), ("CUP-2", 1))
    assert place(deps, first) == 2  # two skus (two lines of one sku are one purchase)
    assert place(deps, first) == 0  # the record delivered again
    assert store.due("c-1", "TEA-1") == date(2026, 1, 31)
    assert store.due("c-1", "CUP-2") is None  # not replenishable: tracked, never due
    tea = store.get("c-1", "TEA-1")
    assert tea is not None and tea.purchases[0].quantity == 2


def test_one_reminder_when_due_and_none_when_bought_again_in_between() -> None:
    deps, store, outbox, _ = world({"TEA-1": 30, "SOAP": 30})
    place(deps, order("o-1", 0, ("TEA-1", 1), ("SOAP", 1)))
    place(deps, order("o-2", 20, ("SOAP", 1)))  # soap bought again before it was due
    result = run(deps, 30)
    assert (result["due"], result["queued"]) == (1, 1)
    assert reminders(outbox) == ["replenishment#TEA-1#o-1"]
    item = outbox.item("c-1", "replenishment#TEA-1#o-1")
    assert (item["template"], item["purpose"]) == ("replenishment", "marketing")
    assert item["context"]["product"] == "name of TEA-1"
    assert item["context"]["interval_days"] == 30 and item["context"]["basis"] == "store"
    run(deps, 30)  # the same day again: nothing new
    run(deps, 50)  # soap's day, from its second purchase
    assert reminders(outbox) == ["replenishment#SOAP#o-2", "replenishment#TEA-1#o-1"]


def test_the_job_reads_the_days_since_its_last_run_only() -> None:
    deps, store, _, _ = world({"TEA-1": 30})
    run(deps, 10)
    run(deps, 13)
    assert store.queried[-3:] == [date(2026, 1, 12), date(2026, 1, 13), date(2026, 1, 14)]
    assert len(store.queried) == 7 + 3  # the first run catches up a week at most
    assert days_to_query(date(2026, 1, 14), date(2026, 1, 14), 7) == [date(2026, 1, 14)]


def test_a_cancelled_or_refunded_order_sends_no_reminder_about_it() -> None:
    deps, store, outbox, _ = world({"TEA-1": 30})
    place(deps, order("o-1", 0, ("TEA-1", 1)))
    late = order("o-2", 20, ("TEA-1", 1))
    place(deps, late)
    assert on_order(StoredOrder(late, PLACED), StoredOrder(late, CANCELLED), deps) == 1
    assert store.due("c-1", "TEA-1") == date(2026, 1, 31)  # due again from o-1
    only = order("o-3", 0, ("SOAP", 1))
    place(deps, only)
    on_order(StoredOrder(only, PLACED), StoredOrder(only, REFUNDED), deps)
    assert store.get("c-1", "SOAP") is not None and store.due("c-1", "SOAP") is None
    run(deps, 30)
    assert reminders(outbox) == ["replenishment#TEA-1#o-1"]


def test_a_refund_return_of_the_whole_sku_takes_it_back_an_exchange_does_not() -> None:
    deps, store, _, _ = world({"TEA-1": 30, "CUP-2": 90})
    place(deps, order("o-1", 0, ("TEA-1", 2), ("CUP-2", 1)))

    def returned(kind: str, sku: str, units: int) -> StoredReturn:
        request = ReturnRequest("r-1", "o-1", (ReturnLine(sku, units),), "", kind)
        return StoredReturn(request, 1000 if kind == "refund" else 0)

    assert on_return("c-1", returned("exchange", "CUP-2", 1), deps) == 0
    assert on_return("c-1", returned("refund", "TEA-1", 1), deps) == 0  # one of two kept
    assert store.due("c-1", "TEA-1") == date(2026, 1, 31)
    assert on_return("c-1", returned("refund", "TEA-1", 2), deps) == 1
    assert store.due("c-1", "TEA-1") is None


def test_the_customers_own_rhythm_after_three_purchases() -> None:
    deps, store, outbox, _ = world()  # no setting: any sku
    for n, day in enumerate((0, 20, 42)):
        place(deps, order(f"o-{n}", day, ("BEANS", 1)))
    assert store.due("c-1", "BEANS") == date(2026, 1, 1) + timedelta(days=42 + 21)
    run(deps, 63)
    item = outbox.item("c-1", "replenishment#BEANS#o-2")
    assert item["context"]["basis"] == "own" and item["context"]["interval_days"] == 21


def test_a_longer_interval_set_after_the_purchase_reindexes_it() -> None:
    deps, store, outbox, _ = world({"TEA-1": 30})
    place(deps, order("o-1", 0, ("TEA-1", 1)))
    settings = deps.settings
    assert isinstance(settings, FakeValueSettings)
    settings.settings = StoreSettings(replenishment_skus={"TEA-1": 45})
    result = run(deps, 30)
    assert (result["moved"], result["queued"]) == (1, 0)
    assert store.due("c-1", "TEA-1") == date(2026, 2, 15)
    run(deps, 45)
    assert reminders(outbox) == ["replenishment#TEA-1#o-1"]
