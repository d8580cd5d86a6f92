"""Store metrics: what each fact counts, on which store day, and the report's periods and rates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chalicelib.domain import metrics as mx
from chalicelib.domain import metrics_report as mr
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.orders import parse_order

AT = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)  # 01:30 on 1 December in Shanghai


def _order(total: int = 9_000, currency: str = "CNY") -> object:
    line = {"sku": "TEA", "name": "Tea", "category": "tea", "quantity": 1, "unit_price": total}
    return parse_order(
        {
            "order_id": "o-1",
            "customer_id": "c-1",
            "placed_at": AT.isoformat(),
            "currency": currency,
            "lines": [line],
            "total": total,
            "payment_method": "card",
        },
        bounds=None,
    )


def test_the_store_day_is_the_calendar_day_in_the_store_time_zone() -> None:
    assert mx.store_day(AT, "Asia/Shanghai") == "2026-12-01"
    assert mx.store_day(AT, "UTC") == "2026-11-30"
    assert mx.store_day(AT, "America/Los_Angeles") == "2026-11-30"


def test_each_fact_counts_its_own_counters() -> None:
    order = _order()
    assert mx.order_placed(order, repeat=True).counts == {  # type: ignore[arg-type]
        "orders": 1,
        "orders:CNY": 1,
        "revenue:CNY": 9_000,
        "repeat_orders": 1,
    }
    assert "repeat_orders" not in mx.order_placed(order, repeat=False).counts  # type: ignore[arg-type]
    assert mx.order_reversed(order, "cancelled", 9_000, AT).counts == {  # type: ignore[arg-type]
        "cancellations": 1,
        "reversed:CNY": 9_000,
    }
    assert mx.order_reversed(order, "refunded", 6_000, AT).counts == {  # type: ignore[arg-type]
        "refunds": 1,
        "reversed:CNY": 6_000,
    }
    assert mx.return_recorded("CNY", 0, AT).counts == {"returns": 1}  # an exchange
    assert mx.mail_outcome("welcome", "suppressed", "address_bounced", AT).counts == {
        "mail:welcome:suppressed": 1,
        "mail:welcome:suppressed:address_bounced": 1,
    }
    assert mx.mail_outcome("welcome", "sent", None, AT).counts == {"mail:welcome:sent": 1}
    assert mx.feedback("soft_bounced", AT).counts == {"soft_bounces": 1}  # type: ignore[union-attr]
    assert mx.feedback("something_else", AT) is None
    assert mx.unsubscribes([], AT) is None
    assert mx.unsubscribes(["marketing", "surveys"], AT).counts == {  # type: ignore[union-attr]
        "unsubscribes:marketing": 1,
        "unsubscribes:surveys": 1,
    }


def test_iso_weeks_start_on_monday_and_are_clipped_to_the_range() -> None:
    assert mr.periods(date(2026, 12, 30), date(2027, 1, 12), mr.WEEK) == [
        ("2026-W53", date(2026, 12, 30), date(2027, 1, 3)),
        ("2027-W01", date(2027, 1, 4), date(2027, 1, 10)),
        ("2027-W02", date(2027, 1, 11), date(2027, 1, 12)),
    ]


def test_months_follow_the_calendar_including_february_of_a_leap_year() -> None:
    assert mr.periods(date(2028, 1, 15), date(2028, 3, 2), mr.MONTH) == [
        ("2028-01", date(2028, 1, 15), date(2028, 1, 31)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2028-03", date(2028, 3, 1), date(2028, 3, 2)),
    ]
    assert len(mr.periods(date(2028, 1, 1), date(2028, 12, 31), mr.DAY)) == 366


DAYS = {
    "2026-11-02": {"orders": 3, "orders:CNY": 2, "orders:USD": 1, "revenue:CNY": 20_001,
                   "revenue:USD": 500, "repeat_orders": 1, "returns": 1, "reversed:CNY": 1_000,
                   "mail:welcome:sent": 4, "mail:welcome:suppressed": 1,
                   "mail:welcome:suppressed:address_bounced": 1, "bounces": 1},
    "2026-11-10": {"orders": 1, "orders:CNY": 1, "revenue:CNY": 9_999, "repeat_orders": 1,
                   "mail:welcome:sent": 1, "complaints": 1, "unsubscribes:marketing": 2},
}  # fmt: skip


def test_weeks_sum_their_days_and_rates_are_ratios_of_the_same_period() -> None:
    weeks = list(mr.report(DAYS, date(2026, 11, 1), date(2026, 11, 15), mr.WEEK))
    assert [week["period"] for week in weeks] == ["2026-W44", "2026-W45", "2026-W46"]
    first, second, third = weeks
    assert first["orders"] == 0 and first["repeat_purchase_rate"] is None
    assert second["orders_by_currency"] == {"CNY": 2, "USD": 1}
    assert second["average_order_value"] == {"CNY": 10_000, "USD": 500}  # 10,000.5 rounds
    assert second["net_revenue"] == {"CNY": 19_001, "USD": 500}
    assert second["repeat_purchase_rate"] == round(1 / 3, 4)
    assert second["returns_rate"] == round(1 / 3, 4)
    assert second["mail"]["welcome"] == {
        "sent": 4,
        "suppressed": 1,
        "suppressed_by_reason": {"address_bounced": 1},
        "deferred": 0,
        "failed": 0,
    }
    assert second["feedback"]["bounce_rate"] == 0.25
    assert third["feedback"]["complaint_rate"] == 1.0 and third["unsubscribes"] == {"marketing": 2}
    whole = mr.total(DAYS, date(2026, 11, 1), date(2026, 11, 15))
    assert whole["orders"] == 4 and whole["repeat_purchase_rate"] == 0.5
    assert whole["average_order_value"] == {"CNY": 10_000, "USD": 500}
    assert whole["mail_sent"] == 5 and whole["feedback"]["bounce_rate"] == 0.2


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(date(2026, 2, 1), date(2026, 1, 31), "to"), (date(2025, 1, 1), date(2026, 1, 2), "to")],
)
def test_a_range_must_run_forwards_and_cover_a_year_at_most(
    start: date, end: date, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        mr.check_range(start, end)
    assert refused.value.field == field
    mr.check_range(date(2028, 1, 1), date(2028, 12, 31))  # 366 days of a leap year
