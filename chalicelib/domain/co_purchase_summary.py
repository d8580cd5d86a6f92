"""Mergeable counts of the ``co-purchases`` job, one per scan segment of the orders.

The ``co-purchases`` document needs, over every counted order (not cancelled or
refunded): how often each pair of skus was bought together, each sku's median unit
price within its category (for the price tiers) and each sku's category and name. A
:class:`CoPurchaseSummary` keeps exactly that in a form that adds up: pair counts, a
histogram of unit prices per sku, and per sku the category and name of its newest
counted order (placed last; ties by order id). Merging adds counts and keeps the newer
sighting, which is associative and commutative, so the document made from the merged
summary is the same for any split of the orders into segments.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.orders import CANCELLED, REFUNDED, OrderLine
from chalicelib.domain.recommendations import co_purchase_pairs

MAX_PAIRS = 5000
"""Pairs kept in the document: the most frequent, ties by the pair's skus."""
PRICE_TIERS = 3
"""Price tiers per category (1 = entry level)."""

Sighting = tuple[str, str, str, str]
"""``(placed_at, order_id, category, name)``: where a sku was last seen (UTC ISO text,
so the newest sorts last)."""


@dataclass(frozen=True)
class Basket:
    """What the job reads of one stored order."""

    order_id: str
    placed_at: str
    """UTC ISO 8601 as stored (sorts as time)."""
    status: str
    lines: Sequence[OrderLine]


@dataclass
class CoPurchaseSummary:
    """Counts over the orders of one segment (or of several, merged)."""

    orders: int = 0
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)
    prices: dict[str, Counter[int]] = field(default_factory=dict)
    seen: dict[str, Sighting] = field(default_factory=dict)

    def add(self, basket: Basket) -> None:
        """Count one order, unless it was cancelled or refunded."""
        if basket.status in (CANCELLED, REFUNDED):
            return
        self.orders += 1
        self.pairs.update(co_purchase_pairs(basket.lines))
        for line in basket.lines:  # within one order its last line names the sku
            self.prices.setdefault(line.sku, Counter())[line.unit_price] += 1
            self._see(line.sku, (basket.placed_at, basket.order_id, line.category, line.name))

    def _see(self, sku: str, sighting: Sighting) -> None:
        known = self.seen.get(sku)
        if known is None or sighting[:2] >= known[:2]:
            self.seen[sku] = sighting

    def merge(self, other: CoPurchaseSummary) -> None:
        """Add ``other``'s counts to these; keep each sku's newer sighting."""
        self.orders += other.orders
        self.pairs.update(other.pairs)
        for sku, prices in other.prices.items():
            self.prices.setdefault(sku, Counter()).update(prices)
        for sku, sighting in other.seen.items():
            self._see(sku, sighting)

    def to_dict(self) -> dict[str, Any]:
        """Plain lists in a stable order (``[a, b, n]``, ``sku -> [[price, n]]``)."""
        return {
            "orders": self.orders,
            "pairs": [[a, b, n] for (a, b), n in sorted(self.pairs.items())],
            "prices": {sku: sorted(p.items()) for sku, p in sorted(self.prices.items())},
            "seen": {sku: list(s) for sku, s in sorted(self.seen.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CoPurchaseSummary:
        """The summary :meth:`to_dict` gave."""
        return cls(
            orders=int(data["orders"]),
            pairs=Counter({(str(a), str(b)): int(n) for a, b, n in data["pairs"]}),
            prices={
                sku: Counter({int(p): int(n) for p, n in prices})
                for sku, prices in data["prices"].items()
            },
            seen={sku: (s[0], s[1], s[2], s[3]) for sku, s in data["seen"].items()},
        )


def merged(summaries: Iterable[CoPurchaseSummary]) -> CoPurchaseSummary:
    """One summary with the counts of all ``summaries``."""
    total = CoPurchaseSummary()
    for summary in summaries:
        total.merge(summary)
    return total


def summarized(baskets: Iterable[Basket]) -> CoPurchaseSummary:
    """The summary of ``baskets``."""
    summary = CoPurchaseSummary()
    for basket in baskets:
        summary.add(basket)
    return summary


def median_price(prices: Counter[int]) -> int:
    """The upper median of the prices counted (``sorted(all)[len(all) // 2]``)."""
    middle = sum(prices.values()) // 2
    below = 0
    for price in sorted(prices):
        below += prices[price]
        if below > middle:
            return price
    raise ValueError("no prices")


def co_purchases_document(summary: CoPurchaseSummary, max_pairs: int = MAX_PAIRS) -> dict[str, Any]:
    """The ``co-purchases`` settings document: the top pairs ``[a, b, n]`` (most frequent
    first, then by skus), the catalog hints (each sku's category and price tier among
    its category's medians) and the skus' names."""
    categories = {sku: sighting[2] for sku, sighting in summary.seen.items()}
    catalog = []
    for category in sorted(set(categories.values())):
        skus = sorted(s for s, c in categories.items() if c == category)
        medians = sorted((median_price(summary.prices[s]), s) for s in skus)
        for rank, (_, sku) in enumerate(medians):
            tier = 1 + (rank * PRICE_TIERS) // len(medians)
            catalog.append({"sku": sku, "category": category, "price_tier": tier})
    top = heapq.nsmallest(max_pairs, summary.pairs.items(), key=lambda pair: (-pair[1], pair[0]))
    names = {sku: sighting[3] for sku, sighting in sorted(summary.seen.items())}
    return {"pairs": [[a, b, n] for (a, b), n in top], "catalog": catalog, "names": names}
