"""An order's count with its purchases, against in-memory ports: the purchases are
committed with the count, once, and re-read when the replenishable item moved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from chalicelib.domain.orders import CANCELLED, PLACED
from chalicelib.domain.replenishment import Replenishable
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.exceptions import StaleWrite
from chalicelib.services.order_events import on_order_change
from chalicelib.services.ports import CustomerValue, StoredOrder, ValueCommit
from chalicelib.services.value_facts import OrderDeps
from tests.fakes import FakeClock, FakeValues
from tests.unit.services.test_order_facts import NOW, World, an_order


class FakePlacedValues(FakeValues):
    """The fake value repository that also keeps purchase and replenishable items,
    committed with the count on the revisions read (``StaleWrite`` otherwise)."""

    def __init__(self, world: World) -> None:
        super().__init__(world.outbox)
        self.items = world.values.items
        self.purchases: dict[tuple[str, str], str] = {}
        self.replenish: dict[tuple[str, str], Replenishable] = {}
        self.reads = 0

    def load_placed(
        self, customer_id: str, skus: Sequence[str]
    ) -> tuple[CustomerValue | None, dict[str, Replenishable]]:
        self.reads += 1
        found = {
            s: self.replenish[(customer_id, s)] for s in skus if (customer_id, s) in self.replenish
        }
        return self.load(customer_id), found

    def commit(self, change: ValueCommit) -> None:
        while self.before_commit:
            self.before_commit.pop(0)()
        bought = change.purchases
        for write in bought.replenish if bought else ():
            stored = self.replenish.get((write.item.customer_id, write.item.sku))
            if (stored.revision if stored else 0) != write.item.revision:
                raise StaleWrite()
        super().commit(change)
        if bought is None:
            return
        for line in bought.order.lines:
            self.purchases[(bought.order.order_id, line.sku)] = bought.order.customer_id
        for write in bought.replenish:
            item = replace(write.item, revision=write.item.revision + 1)
            self.replenish[(item.customer_id, item.sku)] = item


def placed_world() -> tuple[World, FakePlacedValues, OrderDeps]:
    world = World()
    world.customer("c-1")
    values = FakePlacedValues(world)
    world.settings.settings = StoreSettings(replenishment_categories={"tea": 30})
    deps = OrderDeps(values, world.orders, world.settings, FakeClock(NOW), placed=values)
    return world, values, deps


def test_the_purchases_are_committed_with_the_count_once() -> None:
    _, values, deps = placed_world()
    placed = StoredOrder(an_order(), PLACED)
    assert on_order_change(None, placed, deps) == "applied"
    assert on_order_change(None, placed, deps) == "already_applied"  # redelivered
    assert values.purchases == {("o-1", "TEA-1"): "c-1"}
    item = values.replenish[("c-1", "TEA-1")]
    assert [(p.order_id, p.quantity) for p in item.purchases] == [("o-1", 2)]
    assert item.revision == 1 and values.commits == 1


def test_a_replenishable_item_that_moved_is_read_again_and_kept() -> None:
    _, values, deps = placed_world()
    values.replenish[("c-1", "TEA-1")] = Replenishable("c-1", "TEA-1", "Jasmine tea", "tea")

    def concurrent() -> None:
        moved = values.replenish[("c-1", "TEA-1")]
        values.replenish[("c-1", "TEA-1")] = replace(moved, revision=moved.revision + 1)

    values.before_commit.append(concurrent)
    assert on_order_change(None, StoredOrder(an_order(), PLACED), deps) == "applied"
    assert values.reads == 2
    assert values.replenish[("c-1", "TEA-1")].revision == 2


def test_an_order_stored_cancelled_is_counted_without_purchases() -> None:
    _, values, deps = placed_world()
    on_order_change(None, StoredOrder(an_order(), CANCELLED), deps)
    assert values.purchases == {} and values.replenish == {}
