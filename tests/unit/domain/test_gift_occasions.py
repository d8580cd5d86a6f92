"""Learned annual occasions: gift months two years running, and when to suggest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from chalicelib.domain import gift_occasions as gifts
from chalicelib.domain.orders import Gift, Order, OrderLine


def order(placed: datetime, occasion: str | None = None, category: str = "tea") -> Order:
    line = OrderLine("TEA-1", "Tea", category, 1, 100)
    return Order(
        "o", "c-1", placed, "CNY", (line,), 100, "card", Gift(occasion) if occasion else None
    )


def test_a_gift_is_a_gift_order_or_one_in_a_gift_category() -> None:
    may = datetime(2025, 5, 2, tzinfo=UTC)
    assert gifts.is_gift(order(may, "birthday"), ())
    assert gifts.is_gift(order(may, category="gifts"), ("gifts",))
    assert not gifts.is_gift(order(may), ("gifts",))


def test_a_month_is_learned_from_two_different_years_with_its_occasion() -> None:
    shanghai = timezone(timedelta(hours=8))
    first = gifts.with_gift({}, order(datetime(2024, 5, 31, 23, tzinfo=shanghai), "birthday"))
    assert gifts.learned(first) == []
    same_year = gifts.with_gift(first, order(datetime(2024, 5, 3, tzinfo=UTC)))
    assert gifts.learned(same_year) == []  # two gifts in one May are one year
    twice = gifts.with_gift(same_year, order(datetime(2025, 5, 9, tzinfo=UTC), "other"))
    assert gifts.learned(twice) == ["05"]
    assert twice["05"] == {"years": [2024, 2025], "occasion": "birthday"}
    assert gifts.with_gift(twice, order(datetime(2025, 5, 9, tzinfo=UTC))) == twice


def test_the_suggestion_is_due_from_lead_days_before_the_month_until_it_begins() -> None:
    assert gifts.due_on(date(2026, 4, 16), 14) is None
    due = gifts.due_on(date(2026, 4, 17), 14)
    assert due == gifts.Due("05", 2026) and due.key == "occasion_suggestion#05#2026"
    assert gifts.due_on(date(2026, 4, 30), 14) == due
    assert gifts.due_on(date(2026, 5, 1), 14) is None
    assert gifts.due_on(date(2026, 12, 20), 14) == gifts.Due("01", 2027)


def test_the_next_learned_month_moves_on_once_one_is_handled() -> None:
    months = {"05": {"years": [2024, 2025]}, "12": {"years": [2023, 2025]}, "08": {"years": [2025]}}
    assert gifts.next_due(months, date(2026, 4, 20)) == "05"
    assert gifts.next_due(months, date(2026, 6, 1)) == "12"
    assert gifts.after(months, "05") == "12" and gifts.after(months, "12") == "05"
    assert gifts.after({"05": {"years": [2024, 2025]}}, "05") == "05"
    assert gifts.next_due({"08": {"years": [2025]}}, date(2026, 6, 1)) is None


def test_the_letter_names_the_occasion_and_the_years_in_the_readers_words() -> None:
    months = {"05": {"years": [2025, 2024], "occasion": "birthday"}}
    due = gifts.Due("05", 2026)
    en = gifts.suggestion_context(months, due, date(2026, 4, 17), "en", [])
    assert (en["gift"], en["month_name"], en["years"], en["days_left"]) == (
        "a birthday gift", "May", [2024, 2025], 14,
    )  # fmt: skip
    zh = gifts.suggestion_context(months, due, date(2026, 4, 20), "zh-CN", [])
    assert (zh["gift"], zh["month_name"], zh["days_left"]) == ("生日礼物", "5月", 11)
