"""Every table, and the functions fed by the tables' streams."""

from __future__ import annotations

from chalicelib.handlers.batch_sizes import BATCH_SIZES
from infra.resources.customer_tables import CUSTOMERS, MESSAGES, ORDERS, SHIPMENTS, TIMELINE
from infra.resources.kinds import StreamConsumer, Table
from infra.resources.store_tables import (
    ACTIVITY,
    CAMPAIGNS,
    COUNTS,
    KEYS,
    METRICS,
    SETTINGS,
    SUPPORT,
)

TABLES: tuple[Table, ...] = (
    CUSTOMERS,
    TIMELINE,
    MESSAGES,
    SETTINGS,
    ORDERS,
    SHIPMENTS,
    SUPPORT,
    KEYS,
    COUNTS,
    METRICS,
    ACTIVITY,
    CAMPAIGNS,
)

ORDER_STREAM_PARALLELIZATION = 8
"""The orders stream's batches in flight per shard: a shop's order facts for different
orders at once, each order's changes in order (a customer's facts meeting on one profile
are serialized by its version, ``services/value_facts.py``)."""

STREAM_CONSUMERS: tuple[StreamConsumer, ...] = tuple(
    StreamConsumer(handler, table.logical_id, BATCH_SIZES[handler], parallelization_factor=factor)
    for handler, table, factor in (
        ("on_customer", CUSTOMERS, 1),
        ("mailer", MESSAGES, 1),
        ("on_order", ORDERS, ORDER_STREAM_PARALLELIZATION),
        ("on_shipment", SHIPMENTS, 1),
    )
)


def table_by_logical_id(logical_id: str) -> Table:
    """Return the table declared under ``logical_id``."""
    for table in TABLES:
        if table.logical_id == logical_id:
            return table
    raise KeyError(logical_id)
