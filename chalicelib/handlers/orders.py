"""The orders stream: aggregates, tiers, points, referrals, confirmation mail, returns,
and the replenishable purchases.

The images are decoded here: the use cases receive stored orders, and a stored return
for a return.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from chalicelib import bootstrap
from chalicelib.adapters.codec import from_image
from chalicelib.adapters.orders_repository import is_order, stored_order_from_item
from chalicelib.adapters.returns_repository import is_return, stored_return_from_item
from chalicelib.adapters.reviews_repository import is_review
from chalicelib.domain.order_purchases import split
from chalicelib.observability import logger, metrics
from chalicelib.services import replenishment
from chalicelib.services.order_events import on_order_change
from chalicelib.services.ports import Purchases
from chalicelib.services.replenishment import ReplenishmentDeps
from chalicelib.services.return_events import return_requested
from chalicelib.services.reviews import review_posted
from chalicelib.services.value_facts import OrderDeps


def _imported(old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
    """Whether the change is an import writing an order (history: the import applied
    its count, purchases and replenishable items in its own batches)."""
    return bool(new.get("import_id")) and (old or {}).get("import_id") != new["import_id"]


def order_change(old: dict[str, Any] | None, new: dict[str, Any] | None, deps: OrderDeps) -> str:
    """Decode one orders-table change and hand it to the fact it records."""
    if new is None:
        return "ignored"
    if is_return(new):
        if old is not None:
            return "ignored"
        return return_requested(stored_return_from_item(new), deps, new.get("correlation_id"))
    if is_review(new):
        return "ignored" if old is not None else review_posted(new, bootstrap.container().reviews)
    if not is_order(new):
        return "ignored"
    if _imported(old, new):
        return "imported"  # history: its import counted it (and mails nothing)
    before = stored_order_from_item(old) if old is not None else None
    return on_order_change(before, stored_order_from_item(new), deps)


def purchases_change(
    old: dict[str, Any] | None, new: dict[str, Any] | None, deps: ReplenishmentDeps
) -> int:
    """Keep the replenishable purchases of one orders-table change (an order placed,
    cancelled or refunded; a return for a refund)."""
    if new is None:
        return 0
    if is_return(new):
        if old is not None or not new.get("customer_id"):
            return 0
        return replenishment.on_return(str(new["customer_id"]), stored_return_from_item(new), deps)
    if not is_order(new) or _imported(old, new):
        return 0
    stored = stored_order_from_item(new)
    if old is None:  # the count wrote the folded skus' purchases; the rest here
        rest = split(stored.order)[1]
        if rest is None:
            return 0
        return replenishment.on_order(None, replace(stored, order=rest), deps)
    return replenishment.on_order(stored_order_from_item(old), stored, deps)


def follow_purchases(
    old: dict[str, Any] | None, new: dict[str, Any] | None, purchases: Purchases
) -> None:
    """The sku index follows an order: its lines once placed, withdrawn once cancelled or
    refunded (both idempotent, so a replayed record changes nothing)."""
    from chalicelib.domain.orders import CANCELLED, REFUNDED

    if new is None or not is_order(new) or _imported(old, new):
        return
    stored = stored_order_from_item(new)
    if stored.status in (CANCELLED, REFUNDED):
        if old is None or old.get("status") == stored.status:
            return  # nothing recorded, or an import writing its order again
        purchases.withdraw(
            stored.order, str(new.get("updated_at") or stored.order.placed_at.isoformat())
        )
    elif old is None:  # the count wrote the folded skus' items; the rest here
        rest = split(stored.order)[1]
        if rest is not None:
            purchases.record(rest)


def _customer_erased(item: dict[str, Any]) -> bool:
    """Whether the fact's customer was erased (a fact read after the erasure)."""
    from chalicelib.domain.privacy import is_erased

    customer_id = item.get("customer_id")
    if not customer_id:
        return False
    return is_erased(bootstrap.container().erasure.store.profile_item(str(customer_id)))


def order_record(record: DynamoDBRecord) -> None:
    """One change of the orders table (an order or a return)."""
    stream = record.dynamodb
    old = from_image(stream.old_image) if stream and stream.old_image else None
    new = from_image(stream.new_image) if stream and stream.new_image else None
    logger.set_correlation_id((new or old or {}).get("correlation_id"))
    try:
        outcome = order_change(old, new, bootstrap.container().order_deps)
        purchases_change(old, new, bootstrap.container().replenishment_deps)
        follow_purchases(old, new, bootstrap.container().campaigns.deps.purchases)
    except LookupError:
        if not _customer_erased(new or old or {}):
            raise
        outcome = "customer_erased"  # its effects would re-create what was erased
    except Exception as error:
        logger.warning(
            "order fact failed; the record will be retried",
            extra={"order_id": (new or old or {}).get("order_id"), "error": type(error).__name__},
        )
        raise
    if outcome == "applied":
        metrics.add_metric(name="OrderFactsApplied", unit=MetricUnit.Count, value=1)
    logger.info(
        "order fact",
        extra={
            "order_id": (new or old or {}).get("order_id"),
            "record": (new or old or {}).get("record"),
            "outcome": outcome,
        },
    )
