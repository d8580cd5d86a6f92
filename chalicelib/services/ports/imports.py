"""Bulk imports: their runs, their files and the batched history writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.domain.history_purchases import HistoryPurchases
from chalicelib.services.ports.values import CustomerValue, Marker


@dataclass(frozen=True)
class HistoryFold:
    """One customer's imported history: the profile's new value attributes (if nobody
    changed them since ``expected_version`` was read) and the import's marker on the
    customer's timeline (``import#<import_id>``, naming the orders it counted)."""

    customer_id: str
    expected_version: int
    attributes: dict[str, Any]
    marker: Marker
    bought: HistoryPurchases | None = None  # its purchase and replenishable items


class ImportRunStore(Protocol):
    """Imports' status and counts."""

    def create(self, run: Any) -> bool:
        """Store a new import; ``False`` when one with its id exists."""
        ...

    def get(self, import_id: str) -> Any | None: ...

    def save(self, run: Any) -> None: ...


class ImportFiles(Protocol):
    """The imports bucket: presigned upload and download links, reading a file."""

    def upload_url(self, key: str, expires_in: int) -> str: ...

    def download_url(self, key: str, expires_in: int) -> str: ...

    def read(self, key: str) -> bytes: ...

    def write(self, key: str, body: bytes, content_type: str) -> None: ...


class HistoryWriter(Protocol):
    """Batched reads and writes of an import (orders in batches, one fold per profile)."""

    def values(self, customer_ids: list[str]) -> dict[str, CustomerValue]:
        """The stored value of each customer that has a profile (consistent reads)."""
        ...

    def owners(self, emails: list[str]) -> dict[str, str]:
        """The customer id owning each known address."""
        ...

    def stored_orders(self, order_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored order items among ``order_ids``."""
        ...

    def marked(self, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which ``(customer_id, entry_key)`` markers exist."""
        ...

    def put_orders(self, orders: list[tuple[Any, str]], import_id: str, now: str) -> None:
        """Write the imported orders (``(ImportedOrder, digest)``) as order items, in
        batches of 25 (unprocessed items retried)."""
        ...

    def put_markers(self, markers: list[Marker]) -> None:
        """Write markers in batches (each order's ``counted`` fact after its fold)."""
        ...

    def commit_folds(self, folds: list[HistoryFold]) -> set[str]:
        """Apply the folds (many per transaction); the customer ids not applied (a
        transaction was refused: a profile changed or the import's marker exists): read
        them again and retry."""
        ...
