"""The bounds of every time the API takes, and formatting that never overflows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.loyalty import days_since
from chalicelib.domain.order_effects import purchase_day
from chalicelib.domain.orders import parse_order
from chalicelib.domain.settings import StoreSettings
from chalicelib.domain.shipment_messages import local_time
from chalicelib.domain.times import (
    EARLIEST,
    PROMISE_HORIZON,
    TimeBounds,
    iso,
    job_day,
    parse_iso,
    utc_day,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BOUNDS = TimeBounds(NOW, timedelta(minutes=10))
YEAR_ONE = datetime.fromisoformat("0001-01-01T00:00:00+14:00")
YEAR_END = datetime.fromisoformat("9999-12-31T23:59:59-12:00")


def field_of(call: object, *args: object) -> str | None:
    with pytest.raises(InvalidInput) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.field


def test_a_fact_may_lie_from_2000_to_now_plus_the_skew_allowance() -> None:
    assert BOUNDS.fact(EARLIEST, "placed_at") == EARLIEST
    assert BOUNDS.fact(NOW + timedelta(minutes=10), "placed_at") == NOW + timedelta(minutes=10)
    in_shanghai = (NOW + timedelta(minutes=5)).astimezone(timezone(timedelta(hours=8)))
    assert BOUNDS.fact(in_shanghai, "placed_at") is in_shanghai
    for moment in (
        EARLIEST - timedelta(microseconds=1),
        NOW + timedelta(minutes=10, microseconds=1),
        datetime(2030, 1, 1, tzinfo=UTC),
    ):
        assert field_of(BOUNDS.fact, moment, "events[3].occurred_at") == "events[3].occurred_at"


def test_the_message_says_which_bound_and_how_much_skew() -> None:
    with pytest.raises(InvalidInput) as future:
        BOUNDS.fact(NOW + timedelta(minutes=11), "placed_at")
    assert future.value.message == "placed_at is in the future (more than 10 minutes after now)"
    with pytest.raises(InvalidInput) as past:
        BOUNDS.fact(datetime(1900, 1, 1, tzinfo=UTC), "placed_at")
    assert past.value.message == "placed_at must not be before 2000-01-01"


@pytest.mark.parametrize("moment", [YEAR_ONE, YEAR_END, datetime(9999, 12, 31, tzinfo=UTC)])
def test_times_whose_utc_form_overflows_are_refused_not_crashed_on(moment: datetime) -> None:
    assert field_of(BOUNDS.fact, moment, "placed_at") == "placed_at"


@given(
    st.datetimes(),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_any_aware_time_is_either_accepted_or_refused_naming_the_field(
    moment: datetime, offset_minutes: int
) -> None:
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    try:
        assert BOUNDS.fact(aware, "placed_at") is aware
    except InvalidInput as error:
        assert error.field == "placed_at"
    assert parse_iso(iso(aware)) == aware.replace(microsecond=aware.microsecond // 1000 * 1000)


def test_days_from_2000_to_a_year_ahead() -> None:
    assert BOUNDS.horizon_day(date(2026, 12, 2), "as_of") == date(2026, 12, 2)
    assert BOUNDS.horizon_day(date(2000, 1, 1), "as_of") == date(2000, 1, 1)
    assert field_of(BOUNDS.horizon_day, date(1999, 12, 31), "as_of") == "as_of"
    horizon = (NOW + PROMISE_HORIZON).date()
    assert BOUNDS.horizon_day(horizon, "promised_delivery") == horizon
    for day in (horizon + timedelta(days=1), date(9999, 12, 31), date(1, 1, 1)):
        assert field_of(BOUNDS.horizon_day, day, "promised_delivery") == "promised_delivery"


def test_the_store_setting_gives_the_allowance() -> None:
    assert StoreSettings().time_bounds(NOW) == BOUNDS
    strict = StoreSettings(clock_skew_minutes=0).time_bounds(NOW)
    assert field_of(strict.fact, NOW + timedelta(seconds=1), "placed_at") == "placed_at"


def test_iso_keeps_the_offset_of_a_time_utc_cannot_express() -> None:
    assert iso(datetime(2026, 12, 1, 20, tzinfo=timezone(timedelta(hours=8)))) == (
        "2026-12-01T12:00:00.000Z"
    )
    assert iso(YEAR_ONE) == "0001-01-01T00:00:00.000+14:00"
    assert iso(YEAR_END) == "9999-12-31T23:59:59.000-12:00"
    with pytest.raises(ValueError):
        iso(datetime(2026, 1, 1))


def test_local_time_shows_an_inexpressible_time_in_its_own_offset() -> None:
    assert local_time(YEAR_ONE, "Asia/Shanghai") == "0001-01-01 00:00 UTC+14:00"
    assert local_time(YEAR_END, "Asia/Shanghai") == "9999-12-31 23:59 UTC-12:00"
    assert local_time(datetime(9999, 12, 31, tzinfo=UTC), "Asia/Shanghai") == "9999-12-31 08:00"


def test_the_utc_day_of_a_time_utc_cannot_express_is_the_first_or_last_day() -> None:
    assert utc_day(datetime.fromisoformat("2026-12-01T07:00:00+08:00")) == date(2026, 11, 30)
    assert utc_day(YEAR_ONE) == date.min
    assert utc_day(YEAR_END) == date.max


def test_stored_out_of_range_orders_do_not_break_loyalty_or_purchase_days() -> None:
    assert days_since(YEAR_END, NOW) == 0
    assert days_since(YEAR_ONE, NOW) == (NOW.date() - date.min).days
    order = parse_order(
        {
            "order_id": "o-1",
            "customer_id": "c-1",
            "placed_at": "0001-01-01T00:00:00+14:00",
            "currency": "CNY",
            "lines": [
                {"sku": "T", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": 1}
            ],
            "total": 1,
            "payment_method": "card",
        },
        bounds=None,
    )
    assert purchase_day(order) == "0001-01-01"


def test_a_job_computes_for_the_utc_day_of_its_as_of_else_of_now() -> None:
    china, new_york = timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))
    # 07:30 in China is still the day before in UTC; 20:00 in New York already the next
    assert job_day(datetime(2026, 11, 2, 7, 30, tzinfo=china), NOW) == date(2026, 11, 1)
    assert job_day(datetime(2026, 11, 1, 20, 0, tzinfo=new_york), NOW) == date(2026, 11, 2)
    assert job_day(None, NOW) == date(2026, 12, 1)
    assert job_day(None, datetime(2026, 12, 2, 7, 0, tzinfo=china)) == date(2026, 12, 1)
