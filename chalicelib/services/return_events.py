"""React to a return on the orders stream: ``stats.returns``, a refund's share of spend
and points taken back once, and the acknowledgment mail (one fact, one transaction)."""

from __future__ import annotations

from chalicelib.domain import metrics, order_messages
from chalicelib.domain import order_effects as fx
from chalicelib.domain.returns import StoredReturn
from chalicelib.services.ports import ValueCommit
from chalicelib.services.value_facts import (
    OrderDeps,
    commit_once,
    load,
    order_reversed_already,
    paid_fact,
)


def return_requested(returned: StoredReturn, deps: OrderDeps, cid: str | None) -> str:
    """Count a return, reverse a refund's share, and acknowledge it by mail."""
    request = returned.request
    stored = deps.orders.order(request.order_id)
    if stored is None:
        raise LookupError("the returned order does not exist")
    order = stored.order

    def build() -> ValueCommit | None:
        if order_reversed_already(deps, order.customer_id, order.order_id):
            return None  # a redelivery: the stats no longer hold the order to take out
        loaded = load(deps, order.customer_id)
        paid = paid_fact(deps, order.customer_id, order.order_id) or {}
        refund = returned.refund
        effect, taken = fx.apply_return(
            loaded.state,
            order,
            refund,
            int(paid.get("points", 0)),
            loaded.now,
            loaded.settings.tiers,
        )
        profile = loaded.value.profile
        mail = order_messages.return_acknowledgement(profile, order, returned, loaded.stamp, cid)
        return loaded.commit(
            effect.state,
            f"return#{request.return_id}",
            {
                "order_id": order.order_id,
                "kind": request.kind,
                "refund_amount": refund,
                "points_taken": taken,
            },
            deps,
            messages=[mail],
            tallies=[metrics.return_recorded(order.currency, refund, loaded.now)],
        )

    return commit_once(build, deps)
