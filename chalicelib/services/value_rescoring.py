"""Rescore one scan segment's columns in chunks and pick the profiles that changed.

This is the per-profile rescoring of the nightly ``customer-value`` job: each scan
segment (one invocation of the fan-out, or one step of the in-process run) rescores its
profiles here with the merged boundaries and the fitted model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from chalicelib.domain.customer_value import Rescored, assemble
from chalicelib.domain.loyalty import OCCASIONAL, classify
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.services.ports import DerivedUpdate
from chalicelib.services.value_columns import Columns

CHUNK = 5_000


def chunks(count: int, size: int = CHUNK) -> Iterator[range]:
    """``range(count)`` in consecutive pieces of at most ``size``."""
    indexes = range(count)
    for start in range(0, count, size):
        yield indexes[start : start + size]


def counted_changes(
    columns: Columns,
    chunk: Sequence[int],
    rescored: Iterable[Rescored],
    segments: dict[str, int],
    loyalty: dict[str, int],
) -> list[DerivedUpdate]:
    """Count the chunk's segments and loyalty classes; the profiles whose values changed."""
    updates = []
    for index, values in zip(chunk, rescored, strict=True):
        loyalty[values.loyalty] = loyalty.get(values.loyalty, 0) + 1
        if values.segment_key:
            segments[values.segment_key] = segments.get(values.segment_key, 0) + 1
        if hash(values.key()) != columns.current[index]:
            updates.append(
                DerivedUpdate(
                    columns.ids[index], columns.orders[index], columns.spent[index], values
                )
            )
    return updates


def rescore_chunk(
    columns: Columns,
    chunk: Sequence[int],
    settings: CustomerValueSettings,
    boundaries: Any,
    params: Any,
) -> Iterator[Rescored]:
    """The derived values of the customers in ``chunk``, vectorised per chunk."""
    with_orders = [i for i in chunk if columns.recency[i] >= 0]
    scores: dict[int, Any] = {}
    if boundaries is not None and with_orders:
        from chalicelib.domain.rfm import score_many

        found = score_many(
            boundaries,
            [columns.recency[i] for i in with_orders],
            [columns.orders[i] for i in with_orders],
            [columns.spent[i] for i in with_orders],
        )
        scores = dict(zip(with_orders, found, strict=True))
    predictions: dict[int, Any] = {}
    with_summary = [i for i in with_orders if columns.has_summary[i]]
    if params is not None and with_summary:
        from chalicelib.domain.clv import predict_many

        predicted = predict_many(params, columns.summaries(with_summary))
        predictions = dict(zip(with_summary, predicted, strict=True))
    for i in chunk:
        if columns.recency[i] < 0:
            yield Rescored(loyalty=OCCASIONAL)
            continue
        loyalty = classify(columns.orders[i], columns.recency[i], settings.loyalty)
        yield assemble(loyalty, scores.get(i), predictions.get(i))
