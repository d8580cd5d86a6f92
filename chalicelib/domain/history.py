"""An imported customer's order history folded into their value in one step.

The live order path applies each order as its own fact (count, then pay). An import
applies a customer's whole history at once, in ``placed_at`` order, with the same
functions, and names each order's fact so the live path recognises it later: the
``order#<id>#counted`` marker (with the points a paid order earned). No tier promotion is announced
and no referral is paid: history is not news. The tier is the one the trailing 12 months
of spend give at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain import order_effects as fx
from chalicelib.domain.exceptions import Unprocessable
from chalicelib.domain.import_rows import ImportedOrder
from chalicelib.domain.imports import Reject
from chalicelib.domain.orders import FULFILLED, PAID, counts_toward_stats
from chalicelib.domain.tiers import PointsSettings, TierSettings


@dataclass(frozen=True)
class FactMark:
    """One order fact the fold applied (its marker's key and data)."""

    entry_key: str
    data: dict[str, object]


@dataclass(frozen=True)
class Folded:
    """The customer's value after their history, the facts applied and the rows refused."""

    state: fx.ValueState
    facts: tuple[FactMark, ...]
    imported: tuple[str, ...]
    rejects: tuple[Reject, ...]
    paid: bool


def _was_paid(status: str) -> bool:
    return status in (PAID, FULFILLED)


def fold_history(
    state: fx.ValueState,
    history: Sequence[ImportedOrder],
    now: datetime,
    tiers: TierSettings,
    points: PointsSettings | None,
    import_id: str,
) -> Folded:
    """Count every order of ``history`` that still counts, then award the paid ones' points.

    ``points`` is ``None`` when the store starts imported customers at zero points. An
    order in another currency than the customer's history is refused (as the API does).
    Each counted order's fact names the import and, for a paid one, the points it earned
    (``paid_points``: what a later refund takes back).
    """
    imported: list[str] = []
    rejects: list[Reject] = []
    counted: list[ImportedOrder] = []
    for item in sorted(history, key=lambda h: (h.order.placed_at, h.order.order_id)):
        if counts_toward_stats(item.status):
            try:
                state = fx.count_order(state, item.order, now, tiers).state
            except Unprocessable as refused:
                rejects.append(Reject(item.line, refused.field, refused.message))
                continue
            counted.append(item)
        imported.append(item.order.order_id)
    facts: list[FactMark] = []
    for item in counted:
        data: dict[str, object] = {
            "total": item.order.total,
            "currency": item.order.currency,
            "import_id": import_id,
        }
        if _was_paid(item.status):
            earned = 0
            if points is not None:
                state, earned = fx.award_points(state, item.order, points)
            data["paid_points"] = earned
        facts.append(FactMark(f"order#{item.order.order_id}#counted", data))
    paid = any("paid_points" in fact.data for fact in facts)
    return Folded(state, tuple(facts), tuple(imported), tuple(rejects), paid)


HISTORY_FOLDED_AT = "history_folded_at"
"""The profile attribute an import's fold sets: when history was last folded in."""


def is_history_fold(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """Whether a profile change is an import folding history in (history is not news:
    no win-back letter, no outbound event; the counts still follow it)."""
    if old is None or new is None:
        return False
    return bool(new.get(HISTORY_FOLDED_AT)) and new.get(HISTORY_FOLDED_AT) != old.get(
        HISTORY_FOLDED_AT
    )


def _segment(image: dict[str, Any]) -> Any:
    return (image.get("rfm") or {}).get("segment")


def is_history_first_segment(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """Whether a change gives a customer with imported history their first RFM segment.

    An import before the first ``customer-value`` run has no RFM boundaries to score
    with; the first run then places the history in a segment. That places the customer,
    it does not move them: no win-back letter for history (the change is still counted
    and announced, as the run's placement of any customer is)."""
    if old is None or new is None or not new.get(HISTORY_FOLDED_AT):
        return False
    return not _segment(old) and bool(_segment(new))
