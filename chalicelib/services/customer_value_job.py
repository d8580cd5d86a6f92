"""The nightly ``customer-value`` job: RFM boundaries, the CLV fit, every profile rescored.

One streaming pass over the profiles keeps a few numbers per customer in compact columns
(:class:`_Columns`, about 150 bytes each). From them the job computes the RFM quintile
boundaries over customers with orders, fits BG/NBD + Gamma-Gamma on the CLV summaries,
stores both as settings documents, scores every customer in chunks and writes only the
profiles whose derived attributes changed. Memory and time grow linearly with customers.
"""

from __future__ import annotations

import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from chalicelib.domain.customer_value import ProfileValues, Rescored, assemble, summary_for
from chalicelib.domain.exceptions import InvalidInput, Unprocessable
from chalicelib.domain.loyalty import OCCASIONAL, classify
from chalicelib.domain.times import iso
from chalicelib.domain.value_settings import CustomerValueSettings
from chalicelib.observability import logger
from chalicelib.services.ports import CLV_DOCUMENT, RFM_DOCUMENT, DerivedUpdate, Retrier
from chalicelib.services.retry import NO_RETRY

CHUNK = 5_000
NOT_ENOUGH_DATA = "not enough data"


class CustomerValueStore(Protocol):
    """What the job reads and writes."""

    def profiles(self, retry: Retrier) -> Iterable[ProfileValues]:
        """Every profile, decoded (its value inputs and its derived attributes), each
        once; a page that fails transiently is read again under ``retry``."""
        ...

    def write(self, updates: Sequence[DerivedUpdate], retry: Retrier) -> int:
        """Write the updates, each one retried under ``retry``; return how many were
        applied (a profile whose stats changed meanwhile, or that is gone, is skipped)."""
        ...

    def document(self, setting_id: str) -> dict[str, Any] | None:
        """A settings document, fresh."""
        ...

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        """Replace a settings document."""
        ...


class _Columns:
    """Per-customer numbers in typed arrays (ids in a list): memory linear, constant small."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.orders, self.spent, self.recency = array("q"), array("q"), array("q")
        self.current = array("q")  # hash of the stored derived values
        self.x, self.t_x, self.age = array("q"), array("q"), array("q")
        self.m = array("d")
        self.has_summary = array("b")

    def add(self, profile: ProfileValues, as_of: date) -> None:
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


def run_customer_value(
    store: CustomerValueStore,
    settings: CustomerValueSettings,
    as_of: date,
    now: datetime | None = None,
    retry: Retrier = NO_RETRY,
) -> dict[str, Any]:
    """Recompute boundaries and the CLV model, then rescore every profile as of ``as_of``.

    Every read and write is idempotent: a run that failed part-way and is run again
    writes what is still missing and reports the same counts as one clean run.

    Parameters
    ----------
    store
        The profiles and settings documents.
    settings
        Loyalty thresholds.
    as_of
        The valuation day (a past day backfills).
    now
        When the job runs (recorded as ``computed_at``); defaults to the system time.
    retry
        How each page, write and settings document is retried after a transient error;
        past its bound the error is raised (the run fails).

    Returns
    -------
    dict
        ``customers``, ``scored``, ``updated``, ``skipped``, ``segments``, ``loyalty``,
        ``rfm`` (``"stored"`` or the reason not), ``clv`` (parameter summary or
        ``"not enough data"``), ``seconds``.
    """
    started = time.perf_counter()
    columns = _Columns()
    for profile in store.profiles(retry):
        columns.add(profile, as_of)
    scored = columns.scored()
    documents = _RetriedDocuments(store, retry)
    boundaries, rfm_status = _boundaries(documents, columns, scored, as_of, now)
    params, clv_status = _clv_model(documents, columns, scored, as_of)
    segments: dict[str, int] = {}
    loyalty: dict[str, int] = {}
    updated, skipped = _rescore_and_write(
        store, columns, settings, boundaries, params, retry, (segments, loyalty)
    )
    result = {
        "as_of": as_of.isoformat(),
        "customers": len(columns.ids),
        "scored": len(scored),
        "updated": updated,
        "skipped": skipped,
        **_counts(segments, loyalty),
        "rfm": rfm_status,
        "clv": clv_status,
        "seconds": round(time.perf_counter() - started, 3),
    }
    logger.info("customer-value job done", extra={k: v for k, v in result.items() if k != "clv"})
    return result


def _rescore_and_write(
    store: CustomerValueStore,
    columns: _Columns,
    settings: CustomerValueSettings,
    boundaries: Any,
    params: Any,
    retry: Retrier,
    counts: tuple[dict[str, int], dict[str, int]],
) -> tuple[int, int]:
    """Rescore every profile chunk by chunk, counting ``(segments, loyalty)``, and write
    the changed ones; returns how many were written and how many skipped."""
    updated = skipped = 0
    for chunk in _chunks(range(len(columns.ids)), CHUNK):
        rescored = _rescore(columns, chunk, settings, boundaries, params)
        updates = _counted_changes(columns, chunk, rescored, *counts)
        if updates:
            written = store.write(updates, retry)
            updated += written
            skipped += len(updates) - written
    return updated, skipped


class _RetriedDocuments:
    """The store's settings documents, each read and write retried under ``retry``."""

    def __init__(self, store: CustomerValueStore, retry: Retrier) -> None:
        self._store = store
        self._retry = retry

    def document(self, setting_id: str) -> dict[str, Any] | None:
        return self._retry(lambda: self._store.document(setting_id))

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        self._retry(lambda: self._store.save_document(setting_id, value))


def _counted_changes(
    columns: _Columns,
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


def _counts(segments: dict[str, int], loyalty: dict[str, int]) -> dict[str, dict[str, int]]:
    return {"segments": dict(sorted(segments.items())), "loyalty": dict(sorted(loyalty.items()))}


def _boundaries(
    store: _RetriedDocuments,
    columns: _Columns,
    scored: list[int],
    as_of: date,
    now: datetime | None,
) -> tuple[Any, str]:
    """Compute and store the boundaries; keep the stored ones when nobody has ordered."""
    from chalicelib.domain.rfm import RfmBoundaries, compute_boundaries

    if not scored:
        stored = store.document(RFM_DOCUMENT)
        return (RfmBoundaries.from_dict(stored) if stored else None), "no customers with orders"
    boundaries = compute_boundaries(
        [columns.recency[i] for i in scored],
        [columns.orders[i] for i in scored],
        [columns.spent[i] for i in scored],
    )
    document = {
        **boundaries.to_dict(),
        "as_of": as_of.isoformat(),
        "computed_at": iso(now or datetime.now(UTC)),
    }
    store.save_document(RFM_DOCUMENT, document)
    return boundaries, "stored"


def _clv_model(
    store: _RetriedDocuments, columns: _Columns, scored: list[int], as_of: date
) -> tuple[Any, Any]:
    """Fit and store the CLV parameters; on too little data keep the stored ones."""
    from chalicelib.domain.clv import ClvParameters, fit_clv

    try:
        params = fit_clv(columns.summaries(scored), as_of)
    except Unprocessable as error:
        logger.info("CLV model not refitted", extra={"reason": error.message})
        stored = store.document(CLV_DOCUMENT)
        return (ClvParameters.from_dict(stored) if stored else None), NOT_ENOUGH_DATA
    store.save_document(CLV_DOCUMENT, params.to_dict())
    keys = ("r", "alpha", "a", "b", "p", "q", "gamma", "customers", "log_likelihood")
    return params, {key: value for key, value in params.to_dict().items() if key in keys}


def _rescore(
    columns: _Columns,
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


def _chunks(indexes: range, size: int) -> Iterator[range]:
    for start in range(0, len(indexes), size):
        yield indexes[start : start + size]
