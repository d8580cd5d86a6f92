"""BG/NBD model of repeat purchasing (Fader, Hardie and Lee 2005).

While alive, a customer makes repeat purchases as a Poisson process with rate
``lambda ~ Gamma(r, alpha)``; after each repeat purchase they drop out with probability
``p ~ Beta(a, b)``. A customer is described by ``x`` (repeat purchases), ``t_x`` (time
of the last purchase, from the first) and ``T`` (time from the first purchase to the end
of observation), all in one time unit, which is also the unit of ``alpha``.

Every function here works on arrays and in that one unit; conversion to days and the
domain dataclasses live in :mod:`chalicelib.domain.clv`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import betaincinv, betaln, digamma, expit, gammaln, hyp2f1

from chalicelib.domain.clv_fit import (
    FloatArray,
    group_rows,
    maximise,
    validate_rfm,
    weighted_sums,
)
from chalicelib.domain.exceptions import Unprocessable

#: ``a`` values closer than this to 1 are moved away from it (the expectation divides by a - 1).
_A_NEAR_ONE = 1e-6

#: Gauss-Legendre nodes on (0, 1) and their weights, for the quadrature fallback.
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)
_QUANTILES = (_NODES + 1.0) / 2.0
_QUANTILE_WEIGHTS = _WEIGHTS / 2.0


@dataclass(frozen=True)
class BgNbdFit:
    """Maximum-likelihood estimates of the BG/NBD parameters.

    Attributes
    ----------
    r, alpha : float
        Shape and rate of the gamma distribution of purchase rates (alpha in time units).
    a, b : float
        Shapes of the beta distribution of drop-out probabilities.
    log_likelihood : float
        Log-likelihood of the data at the estimates.
    customers : int
        Number of customers the model was fitted on.
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    customers: int


def log_likelihood(
    r: float, alpha: float, a: float, b: float, x: FloatArray, t_x: FloatArray, t: FloatArray
) -> FloatArray:
    """Per-customer BG/NBD log-likelihood (FHL 2005, equation 6), in log space."""
    log_common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b)
    log_alive = -(r + x) * np.log(alpha + t)
    log_dead = _log_dead_term(r, alpha, a, b, x, t_x)
    branches = np.where(x > 0, np.logaddexp(log_alive, log_dead), log_alive)
    return np.asarray(log_common + branches, dtype=np.float64)


def _log_dead_term(
    r: float, alpha: float, a: float, b: float, x: FloatArray, t_x: FloatArray
) -> FloatArray:
    """Log of the dropped-out branch relative to the common factor (``-inf`` when x = 0)."""
    repeaters = x > 0
    denominator = np.where(repeaters, b + x - 1.0, 1.0)
    log_dead = np.log(a) - np.log(denominator) - (r + x) * np.log(alpha + t_x)
    return np.where(repeaters, log_dead, -np.inf)


def _objective(
    theta: FloatArray,
    rows: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    x_levels: tuple[FloatArray, NDArray[np.intp]],
) -> tuple[float, FloatArray]:
    """Negative weighted mean log-likelihood and its gradient in log-parameters.

    ``rows`` holds the distinct (x, t_x, T) rows and their weights; functions of x alone
    are evaluated once per distinct x (``x_levels``: the values and each row's index).
    """
    x, t_x, t, weights = rows
    levels, index = x_levels
    r, alpha, a, b = np.exp(theta)
    log_alive = -(r + x) * np.log(alpha + t)
    log_dead = _log_dead_term(r, alpha, a, b, x, t_x)
    share_dead = expit(log_dead - log_alive)
    log_common = (gammaln(r + levels) + betaln(a, b + levels))[index]
    ll = (
        log_common
        - gammaln(r)
        + r * np.log(alpha)
        - betaln(a, b)
        + np.where(x > 0, np.logaddexp(log_alive, log_dead), log_alive)
    )
    log_t = (1.0 - share_dead) * np.log(alpha + t) + share_dead * np.log(alpha + t_x)
    inv_t = (1.0 - share_dead) / (alpha + t) + share_dead / (alpha + t_x)
    psi_abx = digamma(a + b + levels)[index]
    d_r = digamma(r + levels)[index] - digamma(r) + np.log(alpha) - log_t
    d_alpha = r / alpha - (r + x) * inv_t
    d_a = digamma(a + b) - psi_abx + share_dead / a
    d_b = (
        digamma(b + levels)[index]
        - digamma(b)
        + digamma(a + b)
        - psi_abx
        - share_dead / np.where(x > 0, b + x - 1.0, 1.0)
    )
    total, *gradient = weighted_sums(weights, ll, d_r, d_alpha, d_a, d_b)
    return -float(total), -np.array(gradient) * np.array([r, alpha, a, b])


def fit_bgnbd(frequency: FloatArray, recency: FloatArray, age: FloatArray) -> BgNbdFit:
    """Fit the BG/NBD model by maximum likelihood.

    Parameters
    ----------
    frequency, recency, age : array_like
        Per customer: repeat purchases ``x``, time of the last purchase ``t_x`` and time
        observed ``T`` (one time unit for both, which becomes the unit of ``alpha``).

    Returns
    -------
    BgNbdFit
        The estimates and the log-likelihood at them.

    Raises
    ------
    InvalidInput
        If the arrays are malformed.
    Unprocessable
        If no customer has a repeat purchase or the optimiser finds no finite optimum.
    """
    x, t_x, t = validate_rfm(frequency, recency, age)
    if not np.any(x > 0):
        raise Unprocessable("no repeat purchases to fit the BG/NBD model on")
    scale = float(np.mean(t)) if np.mean(t) > 0 else 1.0
    (gx, gt_x, gt), counts = group_rows(x, t_x / scale, t / scale)
    rows = (gx, gt_x, gt, counts / counts.sum())
    x_levels = np.unique(gx, return_inverse=True)
    rate = max(float(np.sum(x) / max(np.sum(t / scale), 1e-12)), 1e-6)
    starts = [(1.0, 1 / rate, 1.0, 3.0), (0.3, 0.3 / rate, 0.5, 1.5), (3.0, 3 / rate, 2.0, 8.0)]
    r, alpha_scaled, a, b = maximise(
        lambda theta: _objective(theta, rows, x_levels), starts, "BG/NBD"
    )
    alpha = float(alpha_scaled * scale)
    with np.errstate(all="ignore"):
        total = float(np.sum(log_likelihood(r, alpha, a, b, x, t_x, t)))
    return BgNbdFit(float(r), alpha, float(a), float(b), total, int(x.size))


def p_alive(
    r: float, alpha: float, a: float, b: float, x: FloatArray, t_x: FloatArray, t: FloatArray
) -> FloatArray:
    """Probability that each customer is still alive at ``T`` (FHL 2005, equation 11).

    Computed as ``expit(-log ratio)`` so that a long-silent customer (large ``T``) gives
    a probability near zero instead of an overflow. Customers with ``x = 0`` get 1.
    """
    with np.errstate(all="ignore"):
        log_ratio = _log_dead_term(r, alpha, a, b, x, t_x) + (r + x) * np.log(alpha + t)
        return np.asarray(expit(-log_ratio), dtype=np.float64)


def expected_purchases(
    r: float,
    alpha: float,
    a: float,
    b: float,
    horizon: float,
    x: FloatArray,
    t_x: FloatArray,
    t: FloatArray,
) -> FloatArray:
    """Return the expected repeat purchases in the next ``horizon`` (FHL 2005, eq. 10).

    The factor ``((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)`` is rewritten
    with Euler's transformation as ``(1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)`` with
    ``z = t/(alpha+T+t)``, whose arguments stay small for frequent buyers, and the
    denominator is applied as :func:`p_alive`, so nothing overflows for large ``x`` or ``T``.
    Where ``hyp2f1`` still fails (very large ``a``), the same expectation is integrated
    numerically (:func:`_alive_expectation_by_quadrature`).
    """
    if abs(a - 1.0) < _A_NEAR_ONE:
        a = 1.0 + _A_NEAR_ONE
    x, t_x, t = (np.asarray(v, dtype=np.float64) for v in (x, t_x, t))
    with np.errstate(all="ignore"):
        one_minus_z = (alpha + t) / (alpha + t + horizon)
        z = horizon / (alpha + t + horizon)
        c = a + b + x - 1.0
        factor = one_minus_z ** (a - 1.0) * hyp2f1(a + b - 1.0 - r, a - 1.0, c, z)
        alive = c / (a - 1.0) * (1.0 - factor)
        failed = ~np.isfinite(alive) | (alive < 0.0)
        if np.any(failed):
            alive[failed] = _alive_expectation_by_quadrature(
                r, alpha, a, b, horizon, x[failed], t[failed]
            )
        return np.asarray(alive * p_alive(r, alpha, a, b, x, t_x, t), dtype=np.float64)


def _alive_expectation_by_quadrature(
    r: float, alpha: float, a: float, b: float, horizon: float, x: FloatArray, t: FloatArray
) -> FloatArray:
    """Return the expected purchases of customers known to be alive, by quadrature.

    Given alive, ``p ~ Beta(a, b+x)`` and ``lambda ~ Gamma(r+x, alpha+T)``, and a customer
    with ``(lambda, p)`` buys ``(1 - exp(-lambda p t)) / p`` times in ``t``; averaging over
    ``lambda`` gives ``g(p) = (1 - (1 + p t/(alpha+T))^-(r+x)) / p``, bounded by its value
    at ``p = 0``. Its mean over ``p`` is taken with Gauss-Legendre nodes on the quantile
    scale of the beta distribution (relative error below about 1e-3).
    """
    h = (horizon / (alpha + t))[:, None]
    k = (r + x)[:, None]
    p = betaincinv(a, (b + x)[:, None], _QUANTILES[None, :])
    safe_p = np.where(p > 0.0, p, 1.0)
    g = np.where(p > 0.0, -np.expm1(-k * np.log1p(safe_p * h)) / safe_p, k * h)
    return np.asarray(np.sum(g * _QUANTILE_WEIGHTS, axis=1), dtype=np.float64)
