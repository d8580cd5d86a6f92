"""The profile: derived age, reachability and the shared summary shape."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.profile import (
    Consents,
    Profile,
    Stats,
    age_on,
    birthday_month_day,
    summary,
)

TODAY = date(2024, 6, 15)


def profile(**overrides: Any) -> Profile:
    values: dict[str, Any] = {
        "customer_id": "c1",
        "email": "ana@example.com",
        "created_at": "2024-01-02T03:04:05.000Z",
        "updated_at": "2024-01-02T03:04:05.000Z",
    }
    values.update(overrides)
    return Profile(**values)


# --- age --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birthday", "today", "age"),
    [
        ("1990-06-14", TODAY, 34),  # birthday yesterday
        ("1990-06-15", TODAY, 34),  # birthday today
        ("1990-06-16", TODAY, 33),  # birthday tomorrow
        ("1990-01-01", TODAY, 34),
        ("1990-12-31", TODAY, 33),
        ("2024-06-15", TODAY, 0),  # born today
        ("2023-06-16", TODAY, 0),
        ("2023-06-15", TODAY, 1),
        ("1990-12-31", date(2024, 12, 31), 34),
        ("1990-01-01", date(2024, 12, 31), 34),
    ],
)
def test_age_counts_whole_years(birthday: str, today: date, age: int) -> None:
    assert age_on(birthday, today) == age


@pytest.mark.parametrize(
    ("today", "age"),
    [
        (date(2001, 2, 28), 0),  # common year: not yet
        (date(2001, 3, 1), 1),  # common year: birthday counted on 1 March
        (date(2003, 2, 28), 2),
        (date(2003, 3, 1), 3),
        (date(2004, 2, 28), 3),  # leap year: the day before
        (date(2004, 2, 29), 4),  # leap year: the day itself
        (date(2004, 3, 1), 4),
    ],
)
def test_age_of_a_leap_day_birth(today: date, age: int) -> None:
    assert age_on("2000-02-29", today) == age


@pytest.mark.parametrize("birthday", ["--06-15", "--02-29", None, ""])
def test_age_is_unknown_without_a_birth_year(birthday: str | None) -> None:
    assert age_on(birthday, TODAY) is None


@settings(max_examples=100, deadline=None)
@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 6, 15)),
    days=st.integers(min_value=0, max_value=366 * 3),
)
def test_age_never_decreases_and_grows_by_one_per_year(born: date, days: int) -> None:
    later = TODAY + timedelta(days=days)
    birthday = born.isoformat()
    now_age, later_age = age_on(birthday, TODAY), age_on(birthday, later)
    assert now_age is not None and later_age is not None
    assert later_age >= now_age >= 0
    assert age_on(birthday, date(TODAY.year + 1, 12, 31)) == TODAY.year + 1 - born.year


def test_birthday_month_day_is_the_index_key() -> None:
    assert birthday_month_day("1990-02-28") == "02-28"
    assert birthday_month_day("--12-24") == "12-24"
    assert birthday_month_day(None) is None


# --- reachability -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email_status", "phone", "reachable"),
    [
        ("ok", None, True),
        ("unverified", None, True),
        ("bounced", None, False),
        ("complained", None, False),
        ("bounced", "+8613800138000", True),
        ("complained", "+8613800138000", True),
        ("ok", "+8613800138000", True),
    ],
)
def test_reachable(email_status: str, phone: str | None, reachable: bool) -> None:
    subject = profile(email_status=email_status, phone=phone)
    assert subject.reachable is reachable
    assert summary(subject, TODAY)["reachable"] is reachable


@pytest.mark.parametrize(
    ("email_status", "deliverable"),
    [("ok", True), ("unverified", True), ("bounced", False), ("complained", False)],
)
def test_email_deliverable(email_status: str, deliverable: bool) -> None:
    assert (
        profile(email_status=email_status, phone="+8613800138000").email_deliverable is deliverable
    )


# --- consents ---------------------------------------------------------------------------


def test_consents_allow_transactional_always_and_others_only_when_given() -> None:
    nothing = Consents()
    assert nothing.allows("transactional")
    assert not nothing.allows("marketing")
    assert not nothing.allows("unknown-purpose")
    assert Consents(greetings=True).allows("greetings")
    assert not Consents(greetings=True).allows("recommendations")


# --- summary ----------------------------------------------------------------------------

DESIGN_NAMES = {
    "customer_id",
    "email",
    "email_status",
    "reachable",
    "locale",
    "time_zone",
    "age",
    "consents",
    "stats",
    "tier",
    "points",
    "loyalty",
    "rfm",
    "clv",
    "recommendations",
}
STATS_NAMES = {
    "orders",
    "spent",
    "currency",
    "first_order_at",
    "last_order_at",
    "average_order_value",
    "returns",
}


def test_summary_has_the_design_names() -> None:
    shown = summary(profile(), TODAY)
    assert set(shown) >= DESIGN_NAMES
    assert set(shown["stats"]) == STATS_NAMES
    assert set(shown["consents"]) == {"marketing", "recommendations", "greetings", "surveys"}


def test_summary_of_a_new_profile() -> None:
    shown = summary(profile(), TODAY)
    assert shown["customer_id"] == "c1"
    assert shown["email"] == "ana@example.com"
    assert shown["email_status"] == "ok"
    assert shown["reachable"] is True
    assert shown["locale"] == "en"
    assert shown["time_zone"] == "UTC"
    assert shown["age"] is None
    assert shown["consents"] == {
        "marketing": False,
        "recommendations": False,
        "greetings": False,
        "surveys": False,
    }
    assert shown["stats"] == {
        "orders": 0,
        "spent": 0,
        "currency": None,
        "first_order_at": None,
        "last_order_at": None,
        "average_order_value": 0,
        "returns": 0,
    }
    assert shown["tier"] == 1
    assert shown["points"] == 0
    assert shown["loyalty"] == "occasional"
    assert shown["recommendations"] == []
    assert shown["version"] == 1


def test_summary_of_a_customer_with_history() -> None:
    stats = Stats(
        orders=3,
        spent=45_000,
        currency="CNY",
        first_order_at="2023-01-01T00:00:00.000Z",
        last_order_at="2024-06-01T00:00:00.000Z",
        average_order_value=15_000,
        returns=1,
    )
    rfm = {"r": 5, "f": 3, "m": 4, "segment": "loyal_customers"}
    clv = {"p_alive": 0.9, "expected_orders_365d": 2.1, "value_365d": 31_500}
    subject = profile(
        birthday="1990-06-16",
        locale="zh-CN",
        time_zone="Asia/Shanghai",
        interests=("tea",),
        consents=Consents(marketing=True),
        stats=stats,
        tier=3,
        points=450,
        loyalty="loyal",
        rfm=rfm,
        clv=clv,
        email_status="bounced",
        phone=None,
    )
    shown = summary(subject, TODAY)
    assert shown["age"] == 33
    assert shown["locale"] == "zh-CN"
    assert shown["time_zone"] == "Asia/Shanghai"
    assert shown["interests"] == ["tea"]
    assert shown["consents"]["marketing"] is True
    assert shown["stats"]["orders"] == 3
    assert shown["stats"]["spent"] == 45_000
    assert shown["stats"]["currency"] == "CNY"
    assert shown["stats"]["average_order_value"] == 15_000
    assert shown["stats"]["returns"] == 1
    assert shown["tier"] == 3
    assert shown["points"] == 450
    assert shown["loyalty"] == "loyal"
    assert shown["rfm"] == rfm
    assert shown["clv"] == clv
    assert shown["email_status"] == "bounced"
    assert shown["reachable"] is False


def test_summary_age_is_derived_on_the_given_day() -> None:
    subject = profile(birthday="1990-06-16")
    assert summary(subject, date(2024, 6, 15))["age"] == 33
    assert summary(subject, date(2024, 6, 16))["age"] == 34


def test_summary_is_json_serializable() -> None:
    shown = summary(profile(interests=("a", "b"), stats=Stats(orders=1, spent=100)), TODAY)
    assert json.loads(json.dumps(shown)) == shown
