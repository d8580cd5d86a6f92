"""CLV domain: customer summaries and per-customer predictions."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from scipy.special import hyp2f1

from chalicelib.domain.clv import (
    ClvPrediction,
    CustomerSummary,
    predict,
    predict_many,
    summarize,
)
from chalicelib.domain.clv_bgnbd import expected_purchases, p_alive
from chalicelib.domain.exceptions import InvalidInput
from tests.unit.domain.clv_simulation import cdnow_like_parameters as params

# Every CLV function must stay silent: a numpy warning fails the test.
pytestmark = pytest.mark.filterwarnings("error")

DAY = date(2025, 3, 1)
CDNOW_WEEKS = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


# --- summarize ------------------------------------------------------------------


def test_orders_on_one_day_count_as_one_purchase_with_summed_amounts() -> None:
    purchases = [
        (DAY, 1000),
        (DAY, 500),
        (DAY + timedelta(days=10), 2000),
        (DAY + timedelta(days=10), 1000),
        (DAY + timedelta(days=30), 600),
    ]
    summary = summarize(purchases, DAY + timedelta(days=40))
    assert summary == CustomerSummary(frequency=2, recency=30, age=40, monetary_value=1800.0)


def test_the_first_purchase_day_is_not_part_of_the_monetary_value() -> None:
    summary = summarize([(DAY, 99_999), (DAY + timedelta(days=5), 100)], DAY + timedelta(days=5))
    assert summary.monetary_value == 100.0


def test_a_single_purchase_has_no_repeats() -> None:
    summary = summarize([(DAY, 4200)], DAY + timedelta(days=7))
    assert summary == CustomerSummary(frequency=0, recency=0, age=7, monetary_value=0.0)


def test_purchase_order_does_not_matter_and_as_of_may_be_the_last_purchase_day() -> None:
    later = DAY + timedelta(days=3)
    assert summarize([(later, 10), (DAY, 20)], later) == summarize([(DAY, 20), (later, 10)], later)
    assert summarize([(later, 10), (DAY, 20)], later).age == 3


def test_datetimes_count_as_their_date() -> None:
    summary = summarize([(datetime(2025, 3, 1, 23, 59), 10), (DAY, 5)], DAY)
    assert summary == CustomerSummary(frequency=0, recency=0, age=0, monetary_value=0.0)


def test_as_of_before_a_purchase_is_an_error() -> None:
    with pytest.raises(InvalidInput) as error:
        summarize([(DAY, 100), (DAY + timedelta(days=2), 100)], DAY + timedelta(days=1))
    assert error.value.field == "as_of"


@pytest.mark.parametrize("amount", [-1, 10.5, True, "100"])
def test_amounts_must_be_non_negative_integers(amount: object) -> None:
    with pytest.raises(InvalidInput):
        summarize([(DAY, amount)], DAY)  # type: ignore[list-item]


def test_a_summary_needs_a_purchase() -> None:
    with pytest.raises(InvalidInput):
        summarize([], DAY)


# --- predict: literature values ------------------------------------------------------


def test_conditional_expectation_reproduces_the_fhl_2005_example() -> None:
    # CDNOW customer 0001 (x=2, t_x=30.43, T=38.86 weeks) at the published estimates:
    # 1.226 expected repeat purchases in the next 39 weeks (FHL 2005 spreadsheet).
    got = expected_purchases(
        **CDNOW_WEEKS, horizon=39.0, x=np.array([2.0]), t_x=np.array([30.43]), t=np.array([38.86])
    )
    assert got[0] == pytest.approx(1.226, abs=5e-4)


def test_p_alive_matches_the_closed_form_by_hand() -> None:
    r, alpha, a, b = CDNOW_WEEKS.values()
    x, t_x, t = 2, 30.43, 38.86
    by_hand = 1 / (1 + a / (b + x - 1) * ((alpha + t) / (alpha + t_x)) ** (r + x))
    got = p_alive(r, alpha, a, b, np.array([2.0]), np.array([t_x]), np.array([t]))
    assert got[0] == pytest.approx(by_hand, rel=1e-12)
    assert by_hand == pytest.approx(0.7266, abs=1e-4)


def test_predict_converts_days_to_the_parameters_time_unit() -> None:
    weekly = params(**CDNOW_WEEKS, time_unit="weeks")
    summary = CustomerSummary(frequency=2, recency=213, age=272, monetary_value=0.0)  # ~weeks
    assert predict(weekly, summary, horizon_days=273).expected_orders_365d == pytest.approx(
        1.226, abs=2e-3
    )


def test_new_customer_expects_the_unconditional_bgnbd_mean() -> None:
    # FHL 2005 eq. 9: E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; z)].
    p = params()
    t = 365.0
    z = t / (p.alpha + t)
    unconditional = (
        (p.a + p.b - 1)
        / (p.a - 1)
        * (1 - (p.alpha / (p.alpha + t)) ** p.r * hyp2f1(p.r, p.b, p.a + p.b - 1, z))
    )
    prediction = predict(p, CustomerSummary(0, 0, 0, 0.0))
    assert prediction.expected_orders_365d == pytest.approx(unconditional, rel=1e-9)


# --- predict: behaviour ---------------------------------------------------------------


def test_a_customer_without_repeats_is_alive_and_gets_the_population_mean_spend() -> None:
    p = params()
    prediction = predict(p, CustomerSummary(frequency=0, recency=0, age=200, monetary_value=0.0))
    assert prediction.p_alive == 1.0
    population_mean = p.p * p.gamma / (p.q - 1)
    assert prediction.value_365d == round(prediction.expected_orders_365d * population_mean)


def test_a_repeat_buyer_gets_the_gamma_gamma_conditional_spend() -> None:
    p = params()
    summary = CustomerSummary(frequency=4, recency=250, age=300, monetary_value=5000.0)
    prediction = predict(p, summary)
    order_value = p.p * (p.gamma + 4 * 5000.0) / (p.p * 4 + p.q - 1)
    assert prediction.value_365d == round(prediction.expected_orders_365d * order_value)
    assert 0 < prediction.p_alive < 1


def test_p_alive_rises_with_recency_and_falls_with_silence() -> None:
    p = params()
    by_recency = [predict(p, CustomerSummary(3, tx, 400, 1e3)).p_alive for tx in range(10, 401, 30)]
    by_age = [predict(p, CustomerSummary(3, 100, t, 1e3)).p_alive for t in range(100, 2000, 100)]
    assert by_recency == sorted(by_recency) and len(set(by_recency)) == len(by_recency)
    assert by_age == sorted(by_age, reverse=True) and len(set(by_age)) == len(by_age)


def test_more_purchases_at_the_same_recency_mean_more_expected_orders() -> None:
    p = params()
    orders = [
        predict(p, CustomerSummary(x, 300, 330, 1000.0)).expected_orders_365d
        for x in (1, 2, 5, 10, 20)
    ]
    assert orders == sorted(orders)


def test_extreme_histories_stay_finite_and_silent() -> None:
    p = params()
    long_silent = predict(p, CustomerSummary(50, 10, 100_000, 1000.0))
    assert 0 <= long_silent.p_alive < 1e-100
    assert long_silent.value_365d == 0
    frantic = predict(p, CustomerSummary(5000, 365, 365, 1000.0))
    assert math.isfinite(frantic.expected_orders_365d) and frantic.expected_orders_365d > 1000


def test_where_hyp2f1_fails_the_quadrature_fallback_is_accurate() -> None:
    # scipy's hyp2f1 overflows for a = 5000, b = 3000; reference: mpmath at 60 digits.
    got = expected_purchases(
        0.243, 30.898, 5000.0, 3000.0, 365.0, np.array([5.0]), np.array([150.0]), np.array([234.0])
    )
    assert got[0] == pytest.approx(0.11577978629, rel=1e-4)


def test_a_equal_to_one_is_the_limit_of_its_neighbours() -> None:
    summary = CustomerSummary(3, 100, 200, 1000.0)
    at_one = predict(params(a=1.0), summary).expected_orders_365d
    near = predict(params(a=1.001), summary).expected_orders_365d
    assert at_one == pytest.approx(near, rel=1e-3)


def test_zero_horizon_expects_nothing() -> None:
    prediction = predict(params(), CustomerSummary(3, 100, 200, 1000.0), horizon_days=0)
    assert prediction.expected_orders_365d == 0.0 and prediction.value_365d == 0


def test_predict_many_agrees_with_predict() -> None:
    p = params()
    summaries = [CustomerSummary(x, 7 * x, 400, 100.0 * x) for x in range(6)]
    assert predict_many(p, summaries) == [predict(p, s) for s in summaries]


def test_an_inconsistent_summary_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        predict(params(), CustomerSummary(frequency=2, recency=50, age=10, monetary_value=1.0))


def test_prediction_dict_is_the_profile_clv_object() -> None:
    prediction = ClvPrediction(p_alive=0.5, expected_orders_365d=1.25, value_365d=4200)
    expected = {"p_alive": 0.5, "expected_orders_365d": 1.25, "value_365d": 4200}
    assert prediction.to_dict() == expected
