"""One customer's derived value: loyalty class, RFM score and segment, lifetime value.

The nightly ``customer-value`` job and the per-order path both end here: they turn a
profile's order aggregates (:class:`ValueInputs`) into the derived attributes
(:class:`Rescored`) with the same rules, given the RFM boundaries and CLV parameters the
job last stored. :func:`rescore` handles one customer; the job scores many at once with
the vectorised :func:`chalicelib.domain.rfm.score_many` and
:func:`chalicelib.domain.clv.predict_many` and assembles each result with
:func:`assemble`, so both paths round and store alike.

Importing this module imports neither numpy nor scipy: :mod:`chalicelib.domain.rfm` and
:mod:`chalicelib.domain.clv` are imported when boundaries or parameters are given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from chalicelib.domain.loyalty import OCCASIONAL, classify
from chalicelib.domain.segments import SEGMENTS
from chalicelib.domain.value_inputs import ValueInputs
from chalicelib.domain.value_settings import CustomerValueSettings

if TYPE_CHECKING:
    from chalicelib.domain.clv import ClvPrediction, CustomerSummary
    from chalicelib.domain.clv_params import ClvParameters
    from chalicelib.domain.rfm import RfmBoundaries, RfmScore

SEGMENT_NAMES: Mapping[str, str] = SEGMENTS
SEGMENT_IDS: tuple[str, ...] = tuple(SEGMENT_NAMES)

#: Decimal places kept of ``p_alive`` and ``expected_orders_365d``, so that re-running the
#: job on the same data rewrites nothing (last-bit noise of the fit rounds away).
P_ALIVE_PLACES = 4
EXPECTED_ORDERS_PLACES = 3

DERIVED_ATTRIBUTES = ("loyalty", "rfm", "segment_key", "clv", "clv_value")

UNRANKED = -1
"""``clv_value`` of a customer in a segment without a CLV prediction (no model fitted yet,
too little data): the segment index's sort key exists for every segmented profile, so
segment counts and lists never depend on CLV; such customers list after the others."""


@dataclass(frozen=True)
class Rescored:
    """The derived attributes of one profile (``None``: absent from the item).

    Attributes
    ----------
    loyalty : str
        ``very_loyal``, ``loyal`` or ``occasional``.
    rfm : dict or None
        ``{r, f, m, segment}``; ``None`` without orders or before boundaries exist.
    segment_key : str or None
        The segment id, the ``segment-clv`` index's partition key.
    clv : dict or None
        ``{p_alive, expected_orders_365d, value_365d}``; ``None`` without a model.
    clv_value : int or None
        The ``segment-clv`` index's sort key: ``clv.value_365d``, or :data:`UNRANKED`
        for a segmented customer without a prediction; ``None`` outside any segment.
    """

    loyalty: str
    rfm: dict[str, Any] | None = None
    segment_key: str | None = None
    clv: dict[str, Any] | None = None
    clv_value: int | None = None

    def attributes(self) -> dict[str, Any]:
        """The attributes to write (``None`` means remove)."""
        return {name: getattr(self, name) for name in DERIVED_ATTRIBUTES}

    def key(self) -> tuple[Any, ...]:
        """A normalised, hashable form: equal keys mean nothing to write."""
        rfm = self.rfm or {}
        clv = self.clv or {}
        return (
            self.loyalty,
            tuple(_int_or_none(rfm.get(name)) for name in ("r", "f", "m")),
            rfm.get("segment"),
            self.segment_key,
            _float_or_none(clv.get("p_alive")),
            _float_or_none(clv.get("expected_orders_365d")),
            _int_or_none(clv.get("value_365d")),
            _int_or_none(self.clv_value),
        )

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Rescored:
        """The derived attributes a profile item holds now."""
        return cls(
            loyalty=str(item.get("loyalty") or ""),
            rfm=item.get("rfm"),
            segment_key=item.get("segment_key"),
            clv=item.get("clv"),
            clv_value=_int_or_none(item.get("clv_value")),
        )


@dataclass(frozen=True, slots=True)
class ProfileValues:
    """One profile as the customer-value job reads it: its inputs and what it holds now."""

    inputs: ValueInputs
    current: Rescored

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> ProfileValues:
        """Read a plain (deserialized) profile item."""
        return cls(ValueInputs.from_item(item), Rescored.from_item(item))


def assemble(
    loyalty: str, rfm_score: RfmScore | None, prediction: ClvPrediction | None
) -> Rescored:
    """Build the stored form from a loyalty class, an RFM score and a CLV prediction."""
    clv = None
    if prediction is not None:
        clv = {
            "p_alive": round(prediction.p_alive, P_ALIVE_PLACES),
            "expected_orders_365d": round(prediction.expected_orders_365d, EXPECTED_ORDERS_PLACES),
            "value_365d": int(prediction.value_365d),
        }
    return Rescored(
        loyalty=loyalty,
        rfm=rfm_score.to_dict() if rfm_score is not None else None,
        segment_key=rfm_score.segment if rfm_score is not None else None,
        clv=clv,
        clv_value=_clv_rank(rfm_score, prediction),
    )


def _clv_rank(rfm_score: RfmScore | None, prediction: ClvPrediction | None) -> int | None:
    """The segment index's sort key (see :attr:`Rescored.clv_value`)."""
    if prediction is not None:
        return int(prediction.value_365d)
    return UNRANKED if rfm_score is not None else None


def summary_for(inputs: ValueInputs, as_of: date) -> CustomerSummary | None:
    """The CLV summary of a customer's purchase days up to ``as_of``; ``None`` without any."""
    purchases = inputs.purchases(as_of)
    if not purchases:
        return None
    from chalicelib.domain.clv import summarize

    return summarize(purchases, as_of)


def rescore(
    inputs: ValueInputs,
    as_of: date,
    settings: CustomerValueSettings,
    boundaries: RfmBoundaries | None,
    params: ClvParameters | None,
) -> Rescored:
    """Value one customer as of a date with the stored boundaries and parameters.

    Parameters
    ----------
    inputs
        The customer's aggregates (:meth:`ValueInputs.from_item`).
    as_of
        The day to value on: recency and the CLV summary's age run up to it.
    settings
        Loyalty thresholds (``settings.loyalty``).
    boundaries
        Stored RFM quintile cut points; ``None`` before the first job: no RFM score.
    params
        Stored CLV parameters; ``None`` before the first successful fit: no CLV.

    Returns
    -------
    Rescored
        Loyalty always; RFM and segment when boundaries exist and the customer has orders;
        CLV when parameters exist and the customer has purchase days up to ``as_of``.
    """
    recency = inputs.recency_days(as_of)
    if recency is None:
        return Rescored(loyalty=OCCASIONAL)
    loyalty = classify(inputs.orders, recency, settings.loyalty)
    rfm_score = None
    if boundaries is not None:
        from chalicelib.domain.rfm import score

        rfm_score = score(boundaries, recency, inputs.orders, inputs.spent)
    prediction = None
    if params is not None:
        summary = summary_for(inputs, as_of)
        if summary is not None:
            from chalicelib.domain.clv import predict

            prediction = predict(params, summary)
    return assemble(loyalty, rfm_score, prediction)


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)
