"""Gamma-Gamma model of spend per purchase (Fader, Hardie and Lee 2005; Fader and Hardie 2013).

A customer's purchase values are ``Gamma(p, nu)`` around their own mean ``p / nu``, and
``nu ~ Gamma(q, gamma)`` across customers. A customer is described by ``x`` (repeat
purchases, at least 1) and ``m`` (mean value of those purchases); only repeat buyers with
positive spend enter the fit. The model assumes spend is independent of frequency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import digamma, gammaln

from chalicelib.domain.clv_fit import (
    FloatArray,
    as_float_array,
    group_rows,
    maximise,
    weighted_sums,
)
from chalicelib.domain.exceptions import InvalidInput, Unprocessable


@dataclass(frozen=True)
class GammaGammaFit:
    """Maximum-likelihood estimates of the Gamma-Gamma parameters.

    Attributes
    ----------
    p, q, gamma : float
        Shape of spend per purchase, and shape and scale-like rate of its distribution
        across customers (``gamma`` is in the currency unit of the data).
    log_likelihood : float
        Log-likelihood of the mean spends at the estimates.
    customers : int
        Number of repeat buyers the model was fitted on.
    """

    p: float
    q: float
    gamma: float
    log_likelihood: float
    customers: int


def repeat_spenders(frequency: FloatArray, monetary_value: FloatArray) -> FloatArray:
    """Boolean mask of the customers the Gamma-Gamma fit uses (x > 0 and m > 0).

    Raises
    ------
    InvalidInput
        If the arrays differ in length or hold negative values.
    """
    x = as_float_array(frequency, "frequency")
    m = as_float_array(monetary_value, "monetary_value")
    if x.size != m.size:
        raise InvalidInput("frequency and monetary_value must have the same length")
    if np.any(x < 0) or np.any(m < 0):
        raise InvalidInput("frequency and monetary_value must not be negative")
    return np.asarray((x > 0) & (m > 0))


def log_likelihood(p: float, q: float, gamma: float, x: FloatArray, m: FloatArray) -> FloatArray:
    """Per-customer log density of the mean spend ``m`` over ``x`` purchases (x, m > 0)."""
    px = p * x
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1.0) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(gamma + m * x)
    )
    return np.asarray(ll, dtype=np.float64)


def _objective(
    theta: FloatArray,
    rows: tuple[FloatArray, FloatArray, FloatArray],
    x_levels: tuple[FloatArray, NDArray[np.intp]],
) -> tuple[float, FloatArray]:
    """Negative weighted mean log-likelihood and its gradient in log-parameters.

    ``rows`` holds the distinct (x, m) rows and their weights; functions of x alone are
    evaluated once per distinct x (``x_levels``: the values and each row's index).
    """
    x, m, weights = rows
    levels, index = x_levels
    p, q, gamma = np.exp(theta)
    px = p * x
    log_total = np.log(gamma + m * x)
    log_x_terms = gammaln(p * levels + q) - gammaln(p * levels) + p * levels * np.log(levels)
    ll = (
        log_x_terms[index]
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1.0) * np.log(m)
        - (px + q) * log_total
    )
    psi_pxq = digamma(p * levels + q)[index]
    psi_px = digamma(p * levels)[index]
    d_p = x * (psi_pxq - psi_px + np.log(m) + np.log(x) - log_total)
    d_q = psi_pxq - digamma(q) + np.log(gamma) - log_total
    d_gamma = q / gamma - (px + q) / (gamma + m * x)
    total, *gradient = weighted_sums(weights, ll, d_p, d_q, d_gamma)
    return -float(total), -np.array(gradient) * np.array([p, q, gamma])


def fit_gamma_gamma(frequency: FloatArray, monetary_value: FloatArray) -> GammaGammaFit:
    """Fit the Gamma-Gamma model by maximum likelihood on the repeat buyers.

    Parameters
    ----------
    frequency, monetary_value : array_like
        Per customer: repeat purchases ``x`` and their mean value ``m``. Customers with
        ``x = 0`` or ``m = 0`` are left out.

    Returns
    -------
    GammaGammaFit
        The estimates and the log-likelihood at them.

    Raises
    ------
    InvalidInput
        If the arrays are malformed.
    Unprocessable
        If no repeat buyer has positive spend, no finite optimum is found, or ``q <= 1``
        (the mean spend per purchase would be infinite).
    """
    mask = repeat_spenders(frequency, monetary_value)
    x = np.asarray(frequency, dtype=np.float64)[mask]
    m = np.asarray(monetary_value, dtype=np.float64)[mask]
    if x.size == 0:
        raise Unprocessable("no repeat buyer with positive spend to fit the spend model on")
    scale = float(np.mean(m))
    (gx, gm), counts = group_rows(x, m / scale)
    rows = (gx, gm, counts / counts.sum())
    x_levels = np.unique(gx, return_inverse=True)
    starts = [(2.0, 3.0, 1.0), (8.0, 4.0, 0.4), (0.5, 1.5, 2.0)]
    p, q, gamma_scaled = maximise(
        lambda theta: _objective(theta, rows, x_levels), starts, "Gamma-Gamma"
    )
    if q <= 1.0:
        raise Unprocessable("spend is too heavy-tailed for the Gamma-Gamma model (q <= 1)")
    gamma = float(gamma_scaled * scale)
    with np.errstate(all="ignore"):
        total = float(np.sum(log_likelihood(p, q, gamma, x, m)))
    return GammaGammaFit(float(p), float(q), gamma, total, int(x.size))


def population_mean_spend(p: float, q: float, gamma: float) -> float:
    """Mean spend per purchase across customers, ``p * gamma / (q - 1)`` (needs q > 1)."""
    return p * gamma / (q - 1.0)


def expected_spend(p: float, q: float, gamma: float, x: FloatArray, m: FloatArray) -> FloatArray:
    """Conditional expected spend per purchase given ``x`` purchases of mean ``m``.

    ``E[M | x, m] = p (gamma + x m) / (p x + q - 1)``: a weighted average of the
    population mean and the customer's own mean, weighted towards the latter as ``x``
    grows. With ``x = 0`` it is the population mean.
    """
    x = np.asarray(x, dtype=np.float64)
    m = np.asarray(m, dtype=np.float64)
    return np.asarray(p * (gamma + x * m) / (p * x + q - 1.0), dtype=np.float64)
