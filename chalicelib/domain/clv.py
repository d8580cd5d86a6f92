"""Customer lifetime value: BG/NBD for purchase frequency, Gamma-Gamma for spend.

The nightly ``customer-value`` job summarises every customer's purchases
(:func:`summarize`), fits both models (:func:`fit_clv`) and stores the resulting
:class:`ClvParameters`; each new order then re-predicts its customer with the stored
parameters (:func:`predict`). Times are whole days; money is integer minor units.
The method, formulas and validation are described in ``docs/clv.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from chalicelib.domain import clv_bgnbd, clv_gamma_gamma
from chalicelib.domain.clv_fit import validate_rfm
from chalicelib.domain.clv_params import DAYS_PER_UNIT, TIME_UNIT, ClvParameters
from chalicelib.domain.clv_summary import CustomerSummary, as_date, summarize, summary_columns
from chalicelib.domain.exceptions import InvalidInput, Unprocessable

__all__ = [
    "MIN_CUSTOMERS",
    "MIN_REPEAT_CUSTOMERS",
    "TIME_UNIT",
    "ClvParameters",
    "ClvPrediction",
    "CustomerSummary",
    "fit_clv",
    "predict",
    "predict_many",
    "summarize",
]

#: Fewer customers than this cannot support a fit.
MIN_CUSTOMERS = 10
#: Fewer repeat buyers (with positive spend) than this cannot support the spend model.
MIN_REPEAT_CUSTOMERS = 10
#: Cap on a predicted value (minor units), so absurd parameters cannot overflow an int64.
_MAX_VALUE = float(2**62)


@dataclass(frozen=True)
class ClvPrediction:
    """What the models expect of one customer.

    Attributes
    ----------
    p_alive : float
        Probability that the customer has not dropped out.
    expected_orders_365d : float
        Expected purchase days over the horizon (365 days unless asked otherwise).
    value_365d : int
        Expected spend over the horizon, in minor units.
    """

    p_alive: float
    expected_orders_365d: float
    value_365d: int

    def to_dict(self) -> dict[str, float | int]:
        """Return the prediction as the profile's ``clv`` object."""
        return {
            "p_alive": self.p_alive,
            "expected_orders_365d": self.expected_orders_365d,
            "value_365d": self.value_365d,
        }


def fit_clv(summaries: Sequence[CustomerSummary], fitted_at: date) -> ClvParameters:
    """Fit BG/NBD and Gamma-Gamma to a store's customers.

    Parameters
    ----------
    summaries
        One :class:`CustomerSummary` per customer, all summarised at ``fitted_at``.
    fitted_at
        The ``as_of`` date of the summaries, recorded in the result.

    Returns
    -------
    ClvParameters
        Both models' estimates, in days and minor units.

    Raises
    ------
    Unprocessable
        If there are fewer than :data:`MIN_CUSTOMERS` customers, fewer than
        :data:`MIN_REPEAT_CUSTOMERS` repeat buyers with positive spend, or a model
        cannot be fitted.
    InvalidInput
        If a summary is inconsistent (negative values, recency beyond age).
    """
    return fit_clv_columns(summary_columns(summaries), fitted_at)


def fit_clv_columns(columns: tuple[np.ndarray, ...], fitted_at: date) -> ClvParameters:
    """:func:`fit_clv` on the columns ``x, t_x, T, m`` (one row per customer, any order:
    both likelihoods group identical rows)."""
    x, t_x, age, spend = columns
    if len(x) < MIN_CUSTOMERS:
        raise Unprocessable(
            f"at least {MIN_CUSTOMERS} customers are needed to fit the CLV model, got {len(x)}"
        )
    repeaters = int(np.count_nonzero(clv_gamma_gamma.repeat_spenders(x, spend)))
    if repeaters < MIN_REPEAT_CUSTOMERS:
        raise Unprocessable(
            f"at least {MIN_REPEAT_CUSTOMERS} repeat buyers are needed to fit the CLV "
            f"model, got {repeaters}"
        )
    bgnbd = clv_bgnbd.fit_bgnbd(x, t_x, age)
    spend_fit = clv_gamma_gamma.fit_gamma_gamma(x, spend)
    return ClvParameters(
        r=bgnbd.r,
        alpha=bgnbd.alpha,
        a=bgnbd.a,
        b=bgnbd.b,
        p=spend_fit.p,
        q=spend_fit.q,
        gamma=spend_fit.gamma,
        time_unit=TIME_UNIT,
        fitted_at=as_date(fitted_at, "fitted_at"),
        customers=bgnbd.customers,
        repeat_customers=spend_fit.customers,
        bgnbd_log_likelihood=bgnbd.log_likelihood,
        spend_log_likelihood=spend_fit.log_likelihood,
    )


def predict(
    params: ClvParameters, summary: CustomerSummary, horizon_days: int = 365
) -> ClvPrediction:
    """Predict one customer's activity and value over the next ``horizon_days``.

    ``value_365d`` is the expected number of purchase days times the Gamma-Gamma
    conditional expected spend per purchase day, rounded to minor units. A customer
    without repeat purchases gets the population mean spend and ``p_alive = 1``.
    """
    return predict_many(params, [summary], horizon_days)[0]


def predict_many(
    params: ClvParameters, summaries: Sequence[CustomerSummary], horizon_days: int = 365
) -> list[ClvPrediction]:
    """Vectorised :func:`predict` for many customers (the nightly job's path).

    Raises
    ------
    InvalidInput
        If ``horizon_days`` is negative or a summary is inconsistent.
    """
    if horizon_days < 0:
        raise InvalidInput("the horizon must not be negative", field="horizon_days")
    x, t_x, age, spend = summary_columns(summaries)
    x, t_x, age = validate_rfm(x, t_x, age)
    if np.any(spend < 0):
        raise InvalidInput("monetary_value must not be negative", field="monetary_value")
    unit = DAYS_PER_UNIT[params.time_unit]
    bgnbd = (params.r, params.alpha, params.a, params.b)
    alive = clv_bgnbd.p_alive(*bgnbd, x, t_x / unit, age / unit)
    orders = clv_bgnbd.expected_purchases(*bgnbd, horizon_days / unit, x, t_x / unit, age / unit)
    order_value = clv_gamma_gamma.expected_spend(params.p, params.q, params.gamma, x, spend)
    values = np.rint(np.clip(orders * order_value, 0.0, _MAX_VALUE))
    return [
        ClvPrediction(p_alive=float(p), expected_orders_365d=float(n), value_365d=int(v))
        for p, n, v in zip(alive, orders, values, strict=True)
    ]
