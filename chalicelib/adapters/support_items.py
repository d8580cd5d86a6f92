"""The keys of the support table's items beside the tickets: the ``metrics`` partition (the
open counter and the per-day figures) and the key attributes of every item."""

from __future__ import annotations

METRICS = "metrics"
OPEN_COUNT = "open-count"
TICKET_KEYS = frozenset({"ticket_id", "record"})
