"""Orders and the returns stored beside them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.orders import Order


@dataclass(frozen=True)
class StoredOrder:
    """An order as the orders table holds it: the order, its status, its request's id."""

    order: Order
    status: str
    correlation_id: str | None = None


class OrdersRepository(Protocol):
    """Orders, keyed by the store's order id."""

    def create(
        self, order: Order, digest: str, now: str, correlation_id: str | None
    ) -> dict[str, Any]: ...

    def get(self, order_id: str) -> dict[str, Any] | None:
        """The stored order item (the API's views), or ``None``."""
        ...

    def order(self, order_id: str) -> StoredOrder | None: ...

    def set_status(self, order_id: str, old: str, new: str, now: str) -> dict[str, Any]: ...

    def customer_orders(self, customer_id: str) -> list[StoredOrder]: ...


class ReturnRepository(Protocol):
    """Return and exchange requests, stored beside their order."""

    def get(self, order_id: str, return_id: str) -> dict[str, Any] | None: ...

    def for_order(self, order_id: str) -> list[dict[str, Any]]: ...

    def create(self, item: dict[str, Any]) -> None: ...
