"""CLV test helpers: reference parameters and simulators of the two models' stories.

Each customer draws a purchase rate ``lambda ~ Gamma(r, alpha)`` and a drop-out
probability ``p ~ Beta(a, b)``; while alive they buy at Poisson rate ``lambda`` and drop
out with probability ``p`` after each repeat purchase. Spend per purchase is
``Gamma(p, nu)`` with ``nu ~ Gamma(q, gamma)`` per customer.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from chalicelib.domain.clv import ClvParameters

FloatArray = NDArray[np.float64]

# Published CDNOW estimates: BG/NBD (FHL 2005, weeks) and Gamma-Gamma (FHL 2005 JMR, dollars).
CDNOW_BGNBD_WEEKS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
CDNOW_BGNBD_DAYS = {**CDNOW_BGNBD_WEEKS, "alpha": 4.414 * 7}
CDNOW_SPEND = {"p": 6.25, "q": 3.74, "gamma": 15.44}


def cdnow_like_parameters(**overrides: object) -> ClvParameters:
    """CDNOW estimates as stored parameters: days, and gamma = $15.44 in cents."""
    values: dict[str, object] = {
        **CDNOW_BGNBD_DAYS,
        **CDNOW_SPEND,
        "gamma": CDNOW_SPEND["gamma"] * 100,
        "time_unit": "days",
        "fitted_at": date(2025, 3, 1),
        "customers": 2357,
        "repeat_customers": 946,
        "bgnbd_log_likelihood": -9582.4,
        "spend_log_likelihood": -4055.9,
    }
    values.update(overrides)
    return ClvParameters(**values)  # type: ignore[arg-type]


def repeat_purchase_times(
    rng: np.random.Generator, ages: FloatArray, r: float, alpha: float, a: float, b: float
) -> list[FloatArray]:
    """Times (from the first purchase) of each customer's repeat purchases before ``ages``."""
    n = ages.size
    rate = rng.gamma(r, 1.0 / alpha, n)
    drop = rng.beta(a, b, n)
    clock = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    times: list[list[float]] = [[] for _ in range(n)]
    while alive.any():
        clock[alive] += rng.exponential(1.0 / rate[alive])
        bought = alive & (clock <= ages)
        for i in np.flatnonzero(bought):
            times[i].append(float(clock[i]))
        alive = bought & (rng.random(n) >= drop)
    return [np.asarray(t, dtype=np.float64) for t in times]


def simulate_rfm(
    rng: np.random.Generator, ages: FloatArray, r: float, alpha: float, a: float, b: float
) -> tuple[FloatArray, FloatArray]:
    """Frequency ``x`` and recency ``t_x`` (continuous time) of simulated customers."""
    times = repeat_purchase_times(rng, ages, r, alpha, a, b)
    x = np.array([t.size for t in times], dtype=np.float64)
    t_x = np.array([t[-1] if t.size else 0.0 for t in times], dtype=np.float64)
    return x, t_x


def simulate_mean_spend(
    rng: np.random.Generator, x: FloatArray, p: float, q: float, gamma: float
) -> FloatArray:
    """Mean spend over each customer's ``x`` repeat purchases (0 when x = 0)."""
    nu = rng.gamma(q, 1.0 / gamma, x.size)
    spend = np.zeros(x.size)
    buyers = x > 0
    spend[buyers] = rng.gamma(p * x[buyers], 1.0 / nu[buyers]) / x[buyers]
    return spend


def simulate_purchases(
    rng: np.random.Generator,
    ages: NDArray[np.int64],
    as_of: date,
    bgnbd: dict[str, float],
    spend: dict[str, float],
) -> list[list[tuple[date, int]]]:
    """Dated purchases in minor units: the first on ``as_of - age``, repeats on later days."""
    times = repeat_purchase_times(rng, ages.astype(np.float64), **bgnbd)
    nu = rng.gamma(spend["q"], 1.0 / spend["gamma"], ages.size)
    customers = []
    for age, repeat_times, rate in zip(ages, times, nu, strict=True):
        first = as_of - timedelta(days=int(age))
        offsets = np.concatenate([[0.0], np.floor(repeat_times)])
        amounts = np.rint(rng.gamma(spend["p"], 1.0 / rate, offsets.size))
        days = [first + timedelta(days=int(offset)) for offset in offsets]
        customers.append([(day, int(v)) for day, v in zip(days, amounts, strict=True)])
    return customers
