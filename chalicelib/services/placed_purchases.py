"""A placed order's purchases, folded into its ``counted`` fact.

With :attr:`OrderDeps.placed`, the order's count reads the customer's value and their
replenishable items of the order's skus in one request, and commits the purchase items
(``sku-buyers``) and the replenishable items in the count's transaction
(:mod:`chalicelib.domain.order_purchases`): exactly once, with the count. The skus past
:data:`~chalicelib.domain.order_purchases.FOLDED_SKUS` are written after it by the
orders stream handler, idempotently.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.domain.order_purchases import PlacedPurchases, replenish_writes, skus, split
from chalicelib.domain.orders import Order
from chalicelib.domain.replenishment import Replenishable
from chalicelib.services.ports import ValueCommit
from chalicelib.services.value_facts import Loaded, OrderDeps, load, loaded_from


def load_placed(
    deps: OrderDeps, order: Order, bought: bool
) -> tuple[Loaded, dict[str, Replenishable] | None]:
    """The customer's value, and (when the purchases are folded) the stored
    replenishable items of the order's folded skus; ``None`` for those otherwise."""
    if deps.placed is None or not bought:
        return load(deps, order.customer_id), None
    folded, _ = split(order)
    value, found = deps.placed.load_placed(order.customer_id, skus(folded))
    return loaded_from(deps, order.customer_id, value), found


def with_purchases(
    change: ValueCommit, order: Order, found: dict[str, Replenishable] | None, deps: OrderDeps
) -> ValueCommit:
    """``change`` with the order's folded purchases (unchanged when ``found`` is ``None``)."""
    if found is None:
        return change
    folded, _ = split(order)
    store = deps.settings.store()
    writes = replenish_writes(
        folded, found, store.replenishment_skus, store.replenishment_categories
    )
    return replace(change, purchases=PlacedPurchases(folded, writes))
