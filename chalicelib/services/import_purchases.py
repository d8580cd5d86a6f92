"""An import's purchases, carried by each customer's fold (one batched read per chunk).

See :mod:`chalicelib.domain.history_purchases`: the folds' transactions write the
purchase items and the replenishable items, so the orders stream does nothing per
imported order, and each is written exactly when the customer's history is folded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from chalicelib.domain.history import Folded
from chalicelib.domain.history_purchases import HistoryPurchases, history_purchases
from chalicelib.domain.import_rows import ImportedOrder
from chalicelib.domain.orders import CANCELLED, REFUNDED
from chalicelib.domain.replenishment import Replenishable
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.history_ports import HistoryReplenishables
from chalicelib.services.ports import HistoryFold

Folds = dict[str, tuple[HistoryFold, Folded]]


@dataclass(frozen=True)
class PurchaseFolding:
    """How an import run adds the purchases to its folds."""

    reader: HistoryReplenishables
    intervals: tuple[dict[str, int], dict[str, int]]
    today: date

    @classmethod
    def of(
        cls, reader: HistoryReplenishables, store: StoreSettings, today: date
    ) -> PurchaseFolding:
        """With the store's reorder intervals (by sku, by category)."""
        intervals = (store.replenishment_skus, store.replenishment_categories)
        return cls(reader, intervals, today)

    def apply(self, folds: Folds, pending: dict[str, list[ImportedOrder]]) -> Folds:
        """``folds`` with each customer's purchases (their stored items read again)."""
        histories = {c: _folded(pending[c], folded) for c, (_, folded) in folds.items()}
        keys = sorted(
            {(c, line.sku) for c, h in histories.items() for o in h for line in o.order.lines}
        )
        found = self.reader.replenishables(keys) if keys else {}
        mine: dict[str, dict[str, Replenishable]] = {c: {} for c in folds}
        for (customer_id, sku), item in found.items():
            mine[customer_id][sku] = item
        return {
            c: (replace(fold, bought=self._bought(c, histories[c], mine[c])), folded)
            for c, (fold, folded) in folds.items()
        }

    def _bought(
        self, customer_id: str, history: list[ImportedOrder], found: dict[str, Replenishable]
    ) -> HistoryPurchases:
        return history_purchases(customer_id, history, found, self.intervals, self.today)


def _folded(history: list[ImportedOrder], folded: Folded) -> list[ImportedOrder]:
    """The orders the fold imports that are still bought."""
    kept = set(folded.imported)
    return [
        o for o in history if o.order.order_id in kept and o.status not in (CANCELLED, REFUNDED)
    ]
