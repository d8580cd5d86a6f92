"""Stored CLV model parameters and their JSON form."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from chalicelib.domain.exceptions import InvalidInput

#: Time unit of fitted parameters (``alpha``) and of customer summaries.
TIME_UNIT = "days"

#: Time units parameters may be stored in, as days per unit.
DAYS_PER_UNIT: Mapping[str, float] = {"days": 1.0, "weeks": 7.0}

_POSITIVE = ("r", "alpha", "a", "b", "p", "q", "gamma")
_LOG_LIKELIHOODS = ("bgnbd_log_likelihood", "spend_log_likelihood")
_COUNTS = ("customers", "repeat_customers")


@dataclass(frozen=True)
class ClvParameters:
    """Fitted BG/NBD and Gamma-Gamma parameters of one store.

    Attributes
    ----------
    r, alpha, a, b : float
        BG/NBD: purchase rates ~ Gamma(r, alpha), drop-out probabilities ~ Beta(a, b).
        ``alpha`` is in ``time_unit``.
    p, q, gamma : float
        Gamma-Gamma spend parameters; ``gamma`` is in minor currency units.
    time_unit : str
        ``"days"`` for everything Rapport fits (``"weeks"`` is accepted for literature
        values).
    fitted_at : datetime.date
        The ``as_of`` date of the data the models were fitted on.
    customers : int
        Customers in the BG/NBD fit.
    repeat_customers : int
        Repeat buyers with positive spend in the Gamma-Gamma fit.
    bgnbd_log_likelihood, spend_log_likelihood : float
        Log-likelihood of each model at its estimates.
    """

    r: float
    alpha: float
    a: float
    b: float
    p: float
    q: float
    gamma: float
    time_unit: str
    fitted_at: date
    customers: int
    repeat_customers: int
    bgnbd_log_likelihood: float
    spend_log_likelihood: float

    def __post_init__(self) -> None:
        """Reject parameters no prediction can use."""
        for name in _POSITIVE:
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise InvalidInput(f"{name} must be a positive finite number", field=name)
        if self.q <= 1:
            raise InvalidInput("q must exceed 1 for a finite mean spend", field="q")
        if self.time_unit not in DAYS_PER_UNIT:
            raise InvalidInput(f"unknown time unit {self.time_unit!r}", field="time_unit")

    @property
    def log_likelihood(self) -> float:
        """Combined log-likelihood of both models (they are fitted independently)."""
        return self.bgnbd_log_likelihood + self.spend_log_likelihood

    def to_dict(self) -> dict[str, str | int | float]:
        """Return a JSON-ready dict (the date as ISO text); inverse of :meth:`from_dict`."""
        data: dict[str, str | int | float] = {name: getattr(self, name) for name in _POSITIVE}
        data.update({name: getattr(self, name) for name in _COUNTS + _LOG_LIKELIHOODS})
        data["time_unit"] = self.time_unit
        data["fitted_at"] = self.fitted_at.isoformat()
        data["log_likelihood"] = self.log_likelihood
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ClvParameters:
        """Rebuild parameters from :meth:`to_dict` output (numbers may be ``Decimal``).

        Raises
        ------
        InvalidInput
            If a field is missing or malformed.
        """
        number = {name: _number(data, name) for name in _POSITIVE + _LOG_LIKELIHOODS}
        return cls(
            r=number["r"],
            alpha=number["alpha"],
            a=number["a"],
            b=number["b"],
            p=number["p"],
            q=number["q"],
            gamma=number["gamma"],
            time_unit=str(_field(data, "time_unit")),
            fitted_at=_iso_date(data),
            customers=_count(data, "customers"),
            repeat_customers=_count(data, "repeat_customers"),
            bgnbd_log_likelihood=number["bgnbd_log_likelihood"],
            spend_log_likelihood=number["spend_log_likelihood"],
        )


def _field(data: Mapping[str, object], name: str) -> object:
    """Return ``data[name]`` or raise :class:`InvalidInput` naming the field."""
    if name not in data:
        raise InvalidInput(f"stored CLV parameters lack {name}", field=name)
    return data[name]


def _number(data: Mapping[str, object], name: str) -> float:
    """Return ``data[name]`` as a finite float."""
    value = _field(data, name)
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InvalidInput(f"{name} must be a number", field=name)
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInput(f"{name} must be finite", field=name)
    return number


def _count(data: Mapping[str, object], name: str) -> int:
    """Return ``data[name]`` as a non-negative whole number."""
    number = _number(data, name)
    if number < 0 or number != int(number):
        raise InvalidInput(f"{name} must be a non-negative whole number", field=name)
    return int(number)


def _iso_date(data: Mapping[str, object]) -> date:
    """Return ``data["fitted_at"]`` parsed from ISO text."""
    value = _field(data, "fitted_at")
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidInput("fitted_at must be an ISO date", field="fitted_at") from error
