"""The day a job computes for: the UTC day of its ``as_of`` (given in any offset), else
today in UTC; the cart-reminders job runs at the ``as_of`` moment itself."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.functional.conftest import Stack, run_job
from tests.functional.test_replenishment import TODAY, sent, shop

CHINA_MORNING = "T07:30:00+08:00"
"""07:30 in China: 23:30 UTC of the day before."""


def as_of(days: int) -> str:
    return json.dumps({"as_of": f"{TODAY + timedelta(days=days)}{CHINA_MORNING}"})


def test_replenishment_runs_for_the_utc_day_of_an_as_of_given_in_china(stack: Stack) -> None:
    shop(stack)  # c-r2's second tea falls due in 20 days (UTC)
    assert run_job(stack, "replenishment")["as_of"] == TODAY.isoformat()
    day_before = run_job(stack, "replenishment", as_of(20))
    assert (day_before["as_of"], day_before["queued"]) == (str(TODAY + timedelta(days=19)), 0)
    due_day = run_job(stack, "replenishment", as_of(21))
    assert (due_day["as_of"], due_day["queued"]) == (str(TODAY + timedelta(days=20)), 1)
    stack.pump()
    assert len(sent(stack, "c-r2")) == 1


def test_cart_reminders_run_at_the_as_of_moment_in_utc(stack: Stack) -> None:
    result = run_job(stack, "cart-reminders", as_of(1))
    assert result["as_of"] == f"{TODAY}T23:30:00.000Z"
