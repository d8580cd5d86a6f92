"""The nightly ``customer-value`` job: RFM boundaries, the CLV fit, every profile rescored.

The job works in scan segments (DynamoDB ``Segment``/``TotalSegments``), in two phases:

1. **summarize**: each segment reads its profiles into compact columns
   (:class:`~chalicelib.services.value_columns.Columns`) and reduces them to a mergeable
   :class:`~chalicelib.domain.value_summary.ValueSummary` (histograms and CLV row counts);
2. the summaries are **merged**, the RFM boundaries computed and the CLV model fitted
   from the merged counts, both stored as settings documents (:func:`fit_models`);
3. **rescore**: each segment reads its profiles again, rescores them in chunks and
   writes only the profiles whose derived attributes changed (:func:`rescore_segment`).

:func:`run_customer_value` runs the phases in this process, segment after segment; the
fan-out (:mod:`chalicelib.services.fanout`) runs each segment's phase in its own
invocation. Both give the same result for any number of segments.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from chalicelib.domain.customer_value import ProfileValues
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.domain.value_summary import ValueSummary, merged
from chalicelib.observability import logger
from chalicelib.services.fanout_steps import Segment
from chalicelib.services.ports import DerivedUpdate, Retrier
from chalicelib.services.retry import NO_RETRY
from chalicelib.services.value_columns import Columns
from chalicelib.services.value_models import NOT_ENOUGH_DATA, Models, fit_models
from chalicelib.services.value_rescoring import chunks, counted_changes, rescore_chunk

__all__ = ["NOT_ENOUGH_DATA", "DerivedUpdate", "run_customer_value"]
WHOLE: Segment = (0, 1)


class CustomerValueStore(Protocol):
    """What the job reads and writes."""

    def profiles(self, retry: Retrier, segment: Segment = WHOLE) -> Iterable[ProfileValues]:
        """Every profile of scan segment ``segment`` (``(index, total)``), decoded, each
        once; a page that fails transiently is read again under ``retry``."""
        ...

    def write(self, updates: Sequence[DerivedUpdate], retry: Retrier) -> int:
        """Write the updates, each one retried under ``retry``; return how many were
        applied (a profile whose stats changed meanwhile, or that is gone, is skipped)."""
        ...

    def item_count(self) -> int:
        """The table's item count estimate (it bounds the profiles from above)."""
        ...

    def document(self, setting_id: str) -> dict[str, Any] | None:
        """A settings document, fresh."""
        ...

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        """Replace a settings document."""
        ...


def read_segment(
    store: CustomerValueStore, segment: Segment, as_of: date, retry: Retrier
) -> Columns:
    """The columns of one scan segment's profiles."""
    columns = Columns()
    # a whole-table read is asked for without a segment: stores that are never split
    # (in-memory fakes) need not know about segments
    profiles = store.profiles(retry) if segment == WHOLE else store.profiles(retry, segment=segment)
    for profile in profiles:
        columns.add(profile, as_of)
    return columns


def summarize_segment(
    store: CustomerValueStore, segment: Segment, as_of: date, retry: Retrier = NO_RETRY
) -> ValueSummary:
    """Phase 1 for one segment: its mergeable summary."""
    return read_segment(store, segment, as_of, retry).summary()


def rescore_segment(
    store: CustomerValueStore,
    segment: Segment,
    settings: CustomerValueSettings,
    as_of: date,
    models: Models,
    retry: Retrier = NO_RETRY,
    columns: Columns | None = None,
) -> dict[str, Any]:
    """Phase 3 for one segment: rescore, write the changes; the segment's counts.

    The segment is read again, unless its ``columns`` from phase 1 are given (a run in
    one process keeps them instead of reading twice).
    """
    if columns is None:
        columns = read_segment(store, segment, as_of, retry)
    segments: dict[str, int] = {}
    loyalty: dict[str, int] = {}
    updated = skipped = 0
    for chunk in chunks(len(columns.ids)):
        rescored = rescore_chunk(columns, chunk, settings, models.boundaries, models.params)
        updates = counted_changes(columns, chunk, rescored, segments, loyalty)
        if updates:
            written = store.write(updates, retry)
            updated += written
            skipped += len(updates) - written
    return {"updated": updated, "skipped": skipped, "segments": segments, "loyalty": loyalty}


def job_result(
    as_of: date,
    counts: tuple[int, int],
    rfm: str,
    clv: Any,
    outcomes: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """The run's figures: the merged summary's ``(customers, scored)``, how the models
    came about (``rfm``, ``clv``) and every segment's outcome (in segment order).

    Each outcome holds the rescoring counts, ``segment``, ``customers`` and the phases'
    ``summarize_seconds`` and ``rescore_seconds``.
    """
    segments: Counter[str] = Counter()
    loyalty: Counter[str] = Counter()
    for outcome in outcomes:
        segments.update(outcome["segments"])
        loyalty.update(outcome["loyalty"])
    timing = ("segment", "customers", "summarize_seconds", "rescore_seconds")
    return {
        "as_of": as_of.isoformat(),
        "customers": counts[0],
        "scored": counts[1],
        "updated": sum(outcome["updated"] for outcome in outcomes),
        "skipped": sum(outcome["skipped"] for outcome in outcomes),
        "segments": dict(sorted(segments.items())),
        "loyalty": dict(sorted(loyalty.items())),
        "rfm": rfm,
        "clv": clv,
        "scan_segments": len(outcomes),
        "segment_timings": [{key: outcome[key] for key in timing} for outcome in outcomes],
    }


def run_customer_value(
    store: CustomerValueStore,
    settings: CustomerValueSettings,
    as_of: date,
    now: datetime | None = None,
    retry: Retrier = NO_RETRY,
    segments: int = 1,
) -> dict[str, Any]:
    """Recompute boundaries and the CLV model, then rescore every profile as of ``as_of``,
    in this process, one scan segment after the other.

    Every read and write is idempotent: a run that failed part-way and is run again
    writes what is still missing and reports the same counts as one clean run. The
    result is the same for any number of ``segments``.

    Returns
    -------
    dict
        ``customers``, ``scored``, ``updated``, ``skipped``, ``segments``, ``loyalty``,
        ``rfm`` (``"stored"`` or the reason not), ``clv`` (parameter summary or
        ``"not enough data"``), ``scan_segments``, ``segment_timings``, ``seconds``.
    """
    started = time.perf_counter()
    read, parts, timings = [], [], []
    for index in range(segments):
        begun = time.perf_counter()
        read.append(read_segment(store, (index, segments), as_of, retry))
        parts.append(read[-1].summary())
        timings.append(round(time.perf_counter() - begun, 3))
    summary = merged(parts)
    models = fit_models(store, summary, as_of, now, retry)
    outcomes = []
    for index in range(segments):
        begun = time.perf_counter()
        outcome = rescore_segment(
            store, (index, segments), settings, as_of, models, retry, read[index]
        )
        outcome.update(
            segment=index,
            customers=parts[index].customers,
            summarize_seconds=timings[index],
            rescore_seconds=round(time.perf_counter() - begun, 3),
        )
        outcomes.append(outcome)
    result = {
        **job_result(as_of, (summary.customers, summary.scored), models.rfm, models.clv, outcomes),
        "seconds": round(time.perf_counter() - started, 3),
    }
    logger.info(
        "customer-value job done", extra={"customers": summary.customers, "scan_segments": segments}
    )
    return result
