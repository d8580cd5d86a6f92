"""The monthly survey's calendar: the window's months, the customer's month, the signed subject."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.satisfaction import (
    RECENT_ORDER_DAYS,
    month_of_token,
    months_back,
    placed_month,
    survey_key,
    survey_month,
    token_subject,
)


@pytest.mark.parametrize(
    ("as_of", "days", "months"),
    [
        (datetime(2027, 1, 15, 12, tzinfo=UTC), 90, ["2026-10", "2026-11", "2026-12", "2027-01"]),
        (datetime(2027, 2, 1, 0, tzinfo=UTC), 32, ["2026-12", "2027-01", "2027-02"]),
        (datetime(2026, 3, 31, 23, tzinfo=UTC), 0, ["2026-03"]),
        (datetime(2028, 3, 1, 12, tzinfo=UTC), 1, ["2028-02", "2028-03"]),  # 29 February
        (
            datetime(2027, 5, 1, 12, tzinfo=UTC),
            90,
            ["2027-01", "2027-02", "2027-03", "2027-04", "2027-05"],
        ),
    ],
)
def test_months_back_crosses_year_ends(as_of: datetime, days: int, months: list[str]) -> None:
    assert months_back(as_of, days) == months


def test_months_back_counts_in_utc_whatever_the_offset() -> None:
    shanghai_new_year = datetime(2027, 1, 1, 7, tzinfo=timezone(timedelta(hours=8)))
    assert months_back(shanghai_new_year, 0) == ["2026-12"]  # 23:00 UTC on 31 December
    assert placed_month(shanghai_new_year) == "2026-12"


@given(
    st.datetimes(
        min_value=datetime(2001, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    )
)
def test_the_window_holds_the_month_of_every_order_in_it(as_of: datetime) -> None:
    months = months_back(as_of)
    for days in (0, 1, 45, RECENT_ORDER_DAYS):
        assert placed_month(as_of - timedelta(days=days)) in months
    assert placed_month(as_of - timedelta(days=RECENT_ORDER_DAYS + 31)) not in months
    assert len(months) == len(set(months)) and months == sorted(months)


@pytest.mark.parametrize(
    ("moment", "zone", "month"),
    [
        (datetime(2026, 11, 30, 20, tzinfo=UTC), "Asia/Shanghai", "2026-12"),  # 04:00 on 1 Dec
        (datetime(2026, 12, 1, 2, tzinfo=UTC), "America/New_York", "2026-11"),  # 21:00 on 30 Nov
        (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "UTC", "2026-12"),
        (datetime(2026, 12, 31, 10, 30, tzinfo=UTC), "Pacific/Kiritimati", "2027-01"),
    ],
)
def test_the_survey_month_is_the_customers_own(moment: datetime, zone: str, month: str) -> None:
    assert survey_month(moment, zone) == month
    assert survey_key(month) == f"satisfaction-survey#{month}"


def test_a_signed_subject_gives_back_its_customer_and_month() -> None:
    assert month_of_token(token_subject("c-1", "2026-11")) == ("c-1", "2026-11")
    assert month_of_token(token_subject("a|b", "2027-01")) == ("a|b", "2027-01")


@pytest.mark.parametrize(
    "subject", [None, "", "794600000001", "|2026-11", "c-1|2026-13", "c-1|2026-1", "c-1|soon!!"]
)
def test_anything_else_is_no_month(subject: str | None) -> None:
    assert month_of_token(subject) is None
