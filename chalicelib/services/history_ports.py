"""The port an import reads replenishable items with (:mod:`.import_purchases`)."""

from __future__ import annotations

from typing import Protocol

from chalicelib.domain.replenishment import Replenishable


class HistoryReplenishables(Protocol):
    """Customers' stored replenishable items, read in batches."""

    def replenishables(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Replenishable]:
        """The stored items of ``(customer_id, sku)`` (consistent reads), by key; a fold
        carrying them writes them back on the revisions read (the fold is refused when
        one moved meanwhile, and read again)."""
        ...
