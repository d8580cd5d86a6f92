"""One scan segment's profiles as the customer-value job keeps them: compact columns.

A few numbers per customer in typed arrays (about 150 bytes each), so a segment's memory
grows linearly with a small constant; :meth:`Columns.summary` reduces them to the
segment's mergeable :class:`~chalicelib.domain.value_summary.ValueSummary`.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from datetime import date
from typing import Any

from chalicelib.domain.customer_value import ProfileValues, summary_for
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.value_summary import ValueSummary
from chalicelib.observability import logger


class Columns:
    """Per-customer numbers in typed arrays (ids in a list): memory linear, constant small."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.orders, self.spent, self.recency = array("q"), array("q"), array("q")
        self.current = array("q")  # hash of the stored derived values
        self.x, self.t_x, self.age = array("q"), array("q"), array("q")
        self.m = array("d")
        self.has_summary = array("b")

    def add(self, profile: ProfileValues, as_of: date) -> None:
        """Keep one profile's numbers as of the valuation day."""
        inputs = profile.inputs
        recency = inputs.recency_days(as_of)
        summary = None
        if recency is not None:
            try:
                summary = summary_for(inputs, as_of)
            except (InvalidInput, ValueError):
                logger.warning("purchase days unusable", extra={"customer_id": inputs.customer_id})
        self.ids.append(inputs.customer_id)
        self.orders.append(inputs.orders)
        self.spent.append(inputs.spent)
        self.recency.append(-1 if recency is None else recency)
        self.current.append(hash(profile.current.key()))
        self.has_summary.append(summary is not None)
        self.x.append(summary.frequency if summary else 0)
        self.t_x.append(summary.recency if summary else 0)
        self.age.append(summary.age if summary else 0)
        self.m.append(summary.monetary_value if summary else 0.0)

    def scored(self) -> list[int]:
        """Indexes of customers with at least one order."""
        return [i for i, r in enumerate(self.recency) if r >= 0]

    def summaries(self, indexes: Sequence[int]) -> Any:
        """The CLV summaries of ``indexes`` (built on the fly)."""
        from chalicelib.domain.clv import CustomerSummary

        return [
            CustomerSummary(self.x[i], self.t_x[i], self.age[i], self.m[i])
            for i in indexes
            if self.has_summary[i]
        ]

    def summary(self) -> ValueSummary:
        """The segment's histograms and CLV row counts (scored customers only)."""
        counts = ValueSummary()
        for i in range(len(self.ids)):
            ordered = self.recency[i] >= 0
            rfm = (self.recency[i], self.orders[i], self.spent[i]) if ordered else None
            row = (self.x[i], self.t_x[i], self.age[i], self.m[i])
            counts.add_customer(rfm, row if ordered and self.has_summary[i] else None)
        return counts
