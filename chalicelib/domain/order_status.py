"""The order status machine.

Status machine::

    placed ──▶ paid ──▶ fulfilled
      │         │  │        │
      ▼         ▼  └──▶ refunded ◀┘
    cancelled ◀─┘

Moving to the current status again is a no-op. ``cancelled`` and ``refunded`` are final.
An order counts toward a customer's aggregates (stats, tier spend, RFM, loyalty) from the
moment it is ``placed`` until it is ``cancelled`` or ``refunded``: stores that take cash on
delivery or convenience-store payment have orders that stay ``placed`` for days, and those are
real purchases. A cancellation or refund reverses the order's contribution exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from chalicelib.domain.exceptions import InvalidInput, InvalidTransition

ORDER_STATUSES = ("placed", "paid", "fulfilled", "cancelled", "refunded")
PLACED, PAID, FULFILLED, CANCELLED, REFUNDED = ORDER_STATUSES
_TRANSITIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        PLACED: frozenset({PAID, CANCELLED}),
        PAID: frozenset({FULFILLED, CANCELLED, REFUNDED}),
        FULFILLED: frozenset({REFUNDED}),
        CANCELLED: frozenset(),
        REFUNDED: frozenset(),
    }
)
_COUNTING_STATUSES = frozenset({PLACED, PAID, FULFILLED})


def transition(current: str, new: str) -> str:
    """Return the status after asking to move from ``current`` to ``new``.

    Raises
    ------
    InvalidInput
        When either status is not one of :data:`ORDER_STATUSES` (field ``status``).
    InvalidTransition
        When the machine does not allow the move (field ``status``).
    """
    for status in (current, new):
        if status not in _TRANSITIONS:
            raise InvalidInput(f"status must be one of {', '.join(ORDER_STATUSES)}", "status")
    if new == current:
        return current
    if new not in _TRANSITIONS[current]:
        raise InvalidTransition(f"an order that is {current} cannot become {new}", "status")
    return new


def counts_toward_stats(status: str) -> bool:
    """Whether an order in ``status`` counts in aggregates (placed, paid or fulfilled)."""
    return status in _COUNTING_STATUSES
