"""The customer-value job's models: RFM boundaries and CLV parameters from a merged summary.

:func:`fit_models` computes both from the merged
:class:`~chalicelib.domain.value_summary.ValueSummary` and stores them as settings
documents; :func:`stored_models` reads them back in a rescoring invocation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from chalicelib.domain.exceptions import Unprocessable
from chalicelib.domain.times import iso
from chalicelib.domain.value_summary import ValueSummary, boundaries_from, clv_columns
from chalicelib.observability import logger
from chalicelib.services.ports import CLV_DOCUMENT, RFM_DOCUMENT, Retrier
from chalicelib.services.retry import NO_RETRY

NOT_ENOUGH_DATA = "not enough data"


class Documents(Protocol):
    """The settings documents the job reads and replaces."""

    def document(self, setting_id: str) -> dict[str, Any] | None:
        """A settings document, fresh."""
        ...

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        """Replace a settings document."""
        ...


@dataclass(frozen=True)
class Models:
    """What rescoring uses: boundaries and parameters, and how the run came by them."""

    boundaries: Any
    params: Any
    rfm: str
    clv: Any


def fit_models(
    store: Documents,
    summary: ValueSummary,
    as_of: date,
    now: datetime | None,
    retry: Retrier = NO_RETRY,
) -> Models:
    """Phase 2: boundaries and the CLV fit from the merged summary, both stored.

    Without customers with orders the stored boundaries are kept; with too little data
    for a fit, the stored parameters (``"not enough data"``).
    """
    from chalicelib.domain.clv import fit_clv_columns
    from chalicelib.domain.clv_params import ClvParameters
    from chalicelib.domain.rfm import RfmBoundaries

    documents = _RetriedDocuments(store, retry)
    if summary.scored:
        computed = boundaries_from(summary)
        stamp = {"as_of": as_of.isoformat(), "computed_at": iso(now or datetime.now(UTC))}
        documents.save_document(RFM_DOCUMENT, {**computed.to_dict(), **stamp})
        boundaries: RfmBoundaries | None = computed
        rfm_status = "stored"
    else:
        stored = documents.document(RFM_DOCUMENT)
        boundaries = RfmBoundaries.from_dict(stored) if stored else None
        rfm_status = "no customers with orders"
    try:
        params = fit_clv_columns(clv_columns(summary), as_of)
    except Unprocessable as error:
        logger.info("CLV model not refitted", extra={"reason": error.message})
        stored = documents.document(CLV_DOCUMENT)
        return Models(
            boundaries,
            ClvParameters.from_dict(stored) if stored else None,
            rfm_status,
            NOT_ENOUGH_DATA,
        )
    documents.save_document(CLV_DOCUMENT, params.to_dict())
    keys = ("r", "alpha", "a", "b", "p", "q", "gamma", "customers", "log_likelihood")
    status = {key: value for key, value in params.to_dict().items() if key in keys}
    return Models(boundaries, params, rfm_status, status)


def stored_models(store: Documents, rfm: str, clv: Any, retry: Retrier) -> Models:
    """The models :func:`fit_models` stored, read back (a rescoring invocation's)."""
    from chalicelib.domain.clv_params import ClvParameters
    from chalicelib.domain.rfm import RfmBoundaries

    documents = _RetriedDocuments(store, retry)
    boundaries, params = documents.document(RFM_DOCUMENT), documents.document(CLV_DOCUMENT)
    return Models(
        RfmBoundaries.from_dict(boundaries) if boundaries else None,
        ClvParameters.from_dict(params) if params else None,
        rfm,
        clv,
    )


class _RetriedDocuments:
    """The store's settings documents, each read and write retried under ``retry``."""

    def __init__(self, store: Documents, retry: Retrier) -> None:
        self._store = store
        self._retry = retry

    def document(self, setting_id: str) -> dict[str, Any] | None:
        return self._retry(lambda: self._store.document(setting_id))

    def save_document(self, setting_id: str, value: dict[str, Any]) -> None:
        self._retry(lambda: self._store.save_document(setting_id, value))
