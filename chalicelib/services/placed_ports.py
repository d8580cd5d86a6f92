"""The port of an order's placement read (:mod:`chalicelib.services.placed_purchases`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from chalicelib.domain.replenishment import Replenishable
from chalicelib.services.ports import CustomerValue


class PlacedReads(Protocol):
    """The customer's value and their replenishable items of an order's skus, in one read."""

    def load_placed(
        self, customer_id: str, skus: Sequence[str]
    ) -> tuple[CustomerValue | None, dict[str, Replenishable]]:
        """The value (``None`` without a profile) and the stored items of ``skus``
        (consistent reads); a commit with ``purchases`` writes them back at the
        revisions read (``StaleWrite`` when one moved)."""
        ...
