"""Fakes of order facts: ValueRepository, OrdersRepository, settings documents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.adapters.profile_items import profile_to_item
from chalicelib.adapters.value_repository import customer_value_from_item
from chalicelib.domain.orders import PLACED, Order
from chalicelib.domain.profile import Profile
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.exceptions import (
    AlreadyApplied,
    AlreadyExists,
    NotReady,
    StaleWrite,
    Superseded,
)
from chalicelib.services.ports import CustomerValue, Marker, StoredOrder, ValueCommit
from tests.fakes.mailer import FakeSettingsStore
from tests.fakes.outbox import FakeOutbox

# --- order facts: ValueRepository, OrdersRepository, settings documents -----------


class FakeValueSettings(FakeSettingsStore):
    """The settings store with the customer-value settings and the settings documents."""

    def __init__(self, values: CustomerValueSettings | None = None) -> None:
        super().__init__()
        self.values = values or CustomerValueSettings()
        self.documents: dict[str, dict[str, Any]] = {}

    def document(self, setting_id: str, fresh: bool = False) -> dict[str, Any] | None:
        return self.documents.get(setting_id)

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        self.documents[setting_id] = value

    def customer_value(self) -> CustomerValueSettings:
        return self.values

    def save_customer_value(self, settings: CustomerValueSettings) -> None:
        self.values = settings


class FakeValues:
    """:class:`~chalicelib.services.ports.ValueRepository` over profile items and markers.

    ``commit`` is all or nothing with the adapter's conditions, checked in its order: the
    marker exists (``AlreadyApplied``), the version moved (``StaleWrite``), a required
    marker is missing (``NotReady``), a marker that must be absent exists
    (``Superseded``). The messages go to ``outbox`` in the same step.
    """

    def __init__(self, outbox: FakeOutbox) -> None:
        self.outbox = outbox
        self.items: dict[str, dict[str, Any]] = {}
        self.markers: dict[tuple[str, str], Marker] = {}
        self.commits = 0
        self.before_commit: list[Callable[[], None]] = []  # run once each, as a concurrent writer

    def add_profile(self, profile: Profile) -> None:
        """A profile as signup stores it (the order path finds it)."""
        self.items[profile.customer_id] = profile_to_item(profile)

    def profile_item(self, customer_id: str) -> dict[str, Any]:
        """The stored item (for assertions)."""
        return self.items[customer_id]

    def load(self, customer_id: str) -> CustomerValue | None:
        item = self.items.get(customer_id)
        return None if item is None else customer_value_from_item(dict(item))

    def marker(self, customer_id: str, entry_key: str) -> dict[str, Any] | None:
        found = self.markers.get((customer_id, entry_key))
        return None if found is None else dict(found.data)

    def returned(self, customer_id: str, order_id: str) -> tuple[int, int]:
        refunded = points = 0
        for (owner, key), marker in self.markers.items():
            same_order = marker.data.get("order_id") == order_id
            if owner == customer_id and key.startswith("return#") and same_order:
                refunded += int(marker.data.get("refund_amount", 0))
                points += int(marker.data.get("points_taken", 0))
        return refunded, points

    def bump(self, customer_id: str) -> None:
        """Another fact's write: the version moves (a concurrent update)."""
        item = self.items[customer_id]
        item["value_version"] = int(item.get("value_version", 0)) + 1

    def _check(self, change: ValueCommit) -> None:
        item = self.items.get(change.customer_id)
        if (change.marker.customer_id, change.marker.entry_key) in self.markers:
            raise AlreadyApplied()
        if item is None or int(item.get("value_version", 0)) != change.expected_version:
            raise StaleWrite()
        if any((m.customer_id, m.entry_key) not in self.markers for m in change.requires):
            raise NotReady()
        if any((m.customer_id, m.entry_key) in self.markers for m in change.absent):
            raise Superseded()
        taken = [(msg.customer_id, msg.message_key) for msg in change.messages]
        if any(key in self.outbox.items for key in taken):
            raise RuntimeError("TransactionCanceledException: a message of the fact exists")

    def commit(self, change: ValueCommit) -> None:
        while self.before_commit:
            self.before_commit.pop(0)()
        self._check(change)
        self.commits += 1
        item = self.items[change.customer_id]
        item.update(change.attributes)
        item["value_version"] = change.expected_version + 1
        self.markers[(change.marker.customer_id, change.marker.entry_key)] = change.marker
        for bonus in change.bonuses:
            self.markers[(bonus.marker.customer_id, bonus.marker.entry_key)] = bonus.marker
            friend = self.items[bonus.customer_id]
            friend["points"] = int(friend.get("points", 0)) + bonus.points
            friend["value_version"] = int(friend.get("value_version", 0)) + 1
        for message in change.messages:
            self.outbox.enqueue(message)


@dataclass
class FakeOrders:
    """:class:`~chalicelib.services.ports.OrdersRepository` over stored orders."""

    orders: dict[str, StoredOrder] = field(default_factory=dict)

    def put(self, order: Order, status: str = PLACED) -> StoredOrder:
        """Store ``order`` with ``status`` (as the API's write and a status change do)."""
        self.orders[order.order_id] = StoredOrder(order, status)
        return self.orders[order.order_id]

    def create(
        self, order: Order, digest: str, now: str, correlation_id: str | None
    ) -> dict[str, Any]:
        if order.order_id in self.orders:
            raise AlreadyExists("order_id")
        self.orders[order.order_id] = StoredOrder(order, PLACED, correlation_id)
        return {**order.to_payload(), "status": PLACED, "order_digest": digest}

    def get(self, order_id: str, record: str = "order") -> dict[str, Any] | None:
        stored = self.orders.get(order_id)
        return None if stored is None else {**stored.order.to_payload(), "status": stored.status}

    def order(self, order_id: str) -> StoredOrder | None:
        return self.orders.get(order_id)

    def set_status(self, order_id: str, old: str, new: str, now: str) -> dict[str, Any]:
        stored = self.orders[order_id]
        if stored.status != old:
            raise StaleWrite()
        self.orders[order_id] = StoredOrder(stored.order, new, stored.correlation_id)
        return {**stored.order.to_payload(), "status": new}

    def customer_orders(self, customer_id: str) -> list[StoredOrder]:
        found = [s for s in self.orders.values() if s.order.customer_id == customer_id]
        return sorted(found, key=lambda s: s.order.placed_at)
