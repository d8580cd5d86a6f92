"""CLV fitting: recovery on simulated data, the published CDNOW estimates, too little data.

Tolerances of the recovery tests come from a Monte Carlo study of the same designs
(40 replications with seeds 0..39, see docs/clv.md): each is about four standard
deviations of the estimator at that sample size (plus its small bias where time is
rounded to days), so a correct fit fails with probability of the order of 1e-4 per
parameter whatever the seed, while a wrong likelihood or a unit mix-up fails for sure.
"""

from __future__ import annotations

import csv
import importlib.util
import math
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from chalicelib.domain.clv import (
    MIN_CUSTOMERS,
    MIN_REPEAT_CUSTOMERS,
    CustomerSummary,
    fit_clv,
    predict_many,
    summarize,
)
from chalicelib.domain.clv_bgnbd import fit_bgnbd
from chalicelib.domain.clv_gamma_gamma import fit_gamma_gamma, population_mean_spend
from chalicelib.domain.exceptions import Unprocessable
from tests.unit.domain.clv_simulation import (
    CDNOW_BGNBD_DAYS,
    CDNOW_SPEND,
    simulate_mean_spend,
    simulate_purchases,
    simulate_rfm,
)

# Relative tolerances: ~4 Monte Carlo standard deviations (n = 20,000 customers with
# T ~ U[180, 1080] days; ~10,200 repeat buyers for Gamma-Gamma). Observed standard
# deviations: r 1.3%, alpha 2.5%, a 4.0%, b 5.1%; p 4.8%, q 2.0%, gamma 6.6%, and 0.8% for
# the mean spend per purchase p gamma / (q - 1).
BGNBD_TOLERANCE = {"r": 0.06, "alpha": 0.10, "a": 0.16, "b": 0.21}
SPEND_TOLERANCE = {"p": 0.20, "q": 0.08, "gamma": 0.27}

# Through summarize() (whole days, same-day purchases merged), n = 5,000 customers:
# bias up to 4% (alpha: recency is floored to whole days) and standard deviations
# r 2.4%, alpha 5.1%, a 8.7%, b 12%, p 9.6%, q 4.4%, gamma 14%: |bias| + 4 sd.
END_TO_END_TOLERANCE = {
    "r": 0.11,
    "alpha": 0.25,
    "a": 0.36,
    "b": 0.50,
    "p": 0.40,
    "q": 0.19,
    "gamma": 0.60,
}

# Published CDNOW estimates (2,357 customers, 39-week calibration period).
CDNOW_BGNBD = {"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259}  # FHL 2005, weeks
CDNOW_BGNBD_LOG_LIKELIHOOD = -9582.4
CDNOW_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}  # FHL 2005 JMR, dollars
CDNOW_REPEAT_BUYERS = 946
CDNOW_FILE = "cdnow_customers_summary_with_transactions.csv"
AS_OF = date(2025, 3, 1)


# Fitting must stay silent: a numpy warning fails the test.
pytestmark = pytest.mark.filterwarnings("error")


def assert_close(
    estimates: dict[str, float], truth: dict[str, float], rel: dict[str, float]
) -> None:
    """Assert each estimate is within its relative tolerance, reporting all of them."""
    misses = {
        name: f"{estimates[name]:.4g} vs {truth[name]:.4g}"
        for name in rel
        if abs(estimates[name] / truth[name] - 1) > rel[name]
    }
    assert not misses, misses


# --- recovery ------------------------------------------------------------------------


def test_bgnbd_recovers_the_cdnow_parameters_in_days() -> None:
    rng = np.random.default_rng(20250301)
    ages = rng.uniform(180, 1080, 20_000)
    x, t_x = simulate_rfm(rng, ages, **CDNOW_BGNBD_DAYS)
    fit = fit_bgnbd(x, t_x, ages)
    estimates = {"r": fit.r, "alpha": fit.alpha, "a": fit.a, "b": fit.b}
    assert_close(estimates, CDNOW_BGNBD_DAYS, BGNBD_TOLERANCE)
    assert fit.customers == 20_000


def test_gamma_gamma_recovers_the_cdnow_parameters() -> None:
    rng = np.random.default_rng(20250302)
    x, _ = simulate_rfm(rng, rng.uniform(180, 1080, 20_000), **CDNOW_BGNBD_DAYS)
    spend = simulate_mean_spend(rng, x, **CDNOW_SPEND)
    fit = fit_gamma_gamma(x, spend)
    assert_close({"p": fit.p, "q": fit.q, "gamma": fit.gamma}, CDNOW_SPEND, SPEND_TOLERANCE)
    assert fit.customers == int(np.count_nonzero(x))
    # The mean spend per purchase is far better determined than p and gamma apart.
    truth = population_mean_spend(**CDNOW_SPEND)
    assert population_mean_spend(fit.p, fit.q, fit.gamma) == pytest.approx(truth, rel=0.035)


def test_fit_clv_recovers_parameters_from_dated_purchases() -> None:
    rng = np.random.default_rng(20250303)
    as_of = date(2025, 6, 30)
    spend_in_cents = {**CDNOW_SPEND, "gamma": CDNOW_SPEND["gamma"] * 100}
    histories = simulate_purchases(
        rng, rng.integers(180, 1081, 5_000), as_of, CDNOW_BGNBD_DAYS, spend_in_cents
    )
    fitted = fit_clv([summarize(h, as_of) for h in histories], as_of)
    truth = {**CDNOW_BGNBD_DAYS, **spend_in_cents}
    assert_close({name: getattr(fitted, name) for name in truth}, truth, END_TO_END_TOLERANCE)
    assert (fitted.time_unit, fitted.fitted_at, fitted.customers) == ("days", as_of, 5_000)
    assert 0 < fitted.repeat_customers < fitted.customers
    assert fitted.log_likelihood == fitted.bgnbd_log_likelihood + fitted.spend_log_likelihood


# --- the published CDNOW estimates ------------------------------------------------------


def cdnow_sample() -> dict[str, np.ndarray]:
    """The CDNOW 1/10 sample (2,357 customers, weeks, dollars) as shipped by lifetimes.

    Only the data file is read: ``find_spec`` locates the package without importing it.
    """
    spec = importlib.util.find_spec("lifetimes")
    assert spec is not None and spec.submodule_search_locations, (
        "the CDNOW sample comes from the dev dependency lifetimes==0.11.3 "
        "(requirements-dev.txt); install the dev requirements"
    )
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / CDNOW_FILE
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {column: np.array([float(row[column]) for row in rows]) for column in rows[0]}


def test_cdnow_sample_is_the_published_one() -> None:
    data = cdnow_sample()
    assert data["x"].size == 2357
    assert int(np.count_nonzero(data["x"])) == CDNOW_REPEAT_BUYERS
    assert (data["x"][0], data["t_x"][0], data["T"][0]) == (2, 30.43, 38.86)


def test_bgnbd_reproduces_the_published_cdnow_estimates() -> None:
    data = cdnow_sample()
    fit = fit_bgnbd(data["x"], data["t_x"], data["T"])
    estimates = {"r": fit.r, "alpha": fit.alpha, "a": fit.a, "b": fit.b}
    assert_close(estimates, CDNOW_BGNBD, dict.fromkeys(CDNOW_BGNBD, 0.01))
    assert fit.log_likelihood == pytest.approx(CDNOW_BGNBD_LOG_LIKELIHOOD, abs=0.05)


def test_gamma_gamma_reproduces_the_published_cdnow_estimates() -> None:
    data = cdnow_sample()
    fit = fit_gamma_gamma(data["x"], data["zbar"])
    estimates = {"p": fit.p, "q": fit.q, "gamma": fit.gamma}
    assert_close(estimates, CDNOW_GAMMA_GAMMA, dict.fromkeys(CDNOW_GAMMA_GAMMA, 0.01))
    assert fit.customers == CDNOW_REPEAT_BUYERS


# --- too little data -------------------------------------------------------------------


def repeaters(count: int) -> list[CustomerSummary]:
    return [CustomerSummary(1 + i % 3, 30 + i, 200 + i, 1000.0 + 37 * i) for i in range(count)]


def test_too_few_customers_is_unprocessable() -> None:
    with pytest.raises(Unprocessable, match=f"at least {MIN_CUSTOMERS} customers"):
        fit_clv(repeaters(MIN_CUSTOMERS - 1), AS_OF)


def test_no_repeat_buyers_is_unprocessable() -> None:
    one_timers = [CustomerSummary(0, 0, 10 * i, 0.0) for i in range(500)]
    with pytest.raises(Unprocessable, match="repeat buyers"):
        fit_clv(one_timers, AS_OF)


def test_too_few_repeat_buyers_is_unprocessable() -> None:
    one_timers = [CustomerSummary(0, 0, 10 * i, 0.0) for i in range(500)]
    with pytest.raises(Unprocessable, match=f"at least {MIN_REPEAT_CUSTOMERS} repeat buyers"):
        fit_clv(one_timers + repeaters(MIN_REPEAT_CUSTOMERS - 1), AS_OF)


def test_spend_too_heavy_tailed_for_a_finite_mean_is_unprocessable() -> None:
    rng = np.random.default_rng(3)
    spend = rng.pareto(0.6, 500) * 100 + 1
    summaries = [CustomerSummary(1, 10, 20, float(v)) for v in spend]
    with pytest.raises(Unprocessable, match="q <= 1"):
        fit_clv(summaries, AS_OF)


@pytest.mark.parametrize(
    "summaries",
    [
        [CustomerSummary(2, 100, 300, 1000.0)] * 50,
        [CustomerSummary(2, 100, 300, 1000.0)] * 50 + [CustomerSummary(0, 0, 300, 0.0)] * 50,
        [CustomerSummary(1 + i % 5, 100 + i, 300 + i, 1000.0) for i in range(50)],
        [CustomerSummary(5000 + i, 365, 365, 2000.0 + i) for i in range(20)],
    ],
    ids=["identical-rows", "identical-repeaters", "identical-spend", "thousands-of-orders"],
)
def test_degenerate_data_fits_without_warnings_and_predicts_finite_values(
    summaries: list[CustomerSummary],
) -> None:
    fitted = fit_clv(summaries, AS_OF)
    for prediction in predict_many(fitted, summaries):
        assert 0 <= prediction.p_alive <= 1
        assert math.isfinite(prediction.expected_orders_365d) and prediction.value_365d >= 0
