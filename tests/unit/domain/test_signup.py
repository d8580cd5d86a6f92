"""Signup parsing, the replay digest and the profile a signup creates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.profile import Consents, Profile, Stats
from chalicelib.domain.signup import (
    EDITABLE_FIELDS,
    SIGNUP_FIELDS,
    parse_consents,
    parse_signup,
    signup_digest,
)

NOW = datetime(2024, 6, 15, 8, 30, tzinfo=UTC)

FULL: dict[str, Any] = {
    "customer_id": "cust-1",
    "email": "Ana.Li@Example.COM",
    "name": " Ana Li ",
    "phone": "+86 138 0013 8000",
    "birthday": "1990-02-28",
    "gender": "female",
    "occupation": "Engineer",
    "interests": ["tea", "books", "tea"],
    "locale": "zh-CN",
    "time_zone": "Asia/Shanghai",
    "preferred_channel": "email",
    "best_contact_time": "evening",
    "referred_by": "cust-0",
    "consents": {"marketing": True, "greetings": True},
}


def rejected(payload: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_signup(payload, NOW)
    return caught.value


def test_minimal_signup_needs_only_id_and_email() -> None:
    request = parse_signup({"customer_id": "c1", "email": "ana@example.com"}, NOW)
    assert request.customer_id == "c1"
    assert request.fields == {"customer_id": "c1", "email": "ana@example.com"}


def test_full_signup_is_normalized() -> None:
    fields = parse_signup(FULL, NOW).fields
    assert fields["email"] == "ana.li@example.com"
    assert fields["name"] == "Ana Li"
    assert fields["phone"] == "+8613800138000"
    assert fields["interests"] == ("tea", "books")
    assert fields["consents"] == Consents(marketing=True, greetings=True)
    assert fields["referred_by"] == "cust-0"
    assert set(fields) == set(FULL)


@pytest.mark.parametrize("missing", ["customer_id", "email"])
def test_required_fields_missing_are_named(missing: str) -> None:
    payload = {"customer_id": "c1", "email": "ana@example.com"}
    del payload[missing]
    error = rejected(payload)
    assert error.field == missing
    assert "required" in error.message


@pytest.mark.parametrize("missing", ["customer_id", "email"])
def test_required_fields_null_are_named(missing: str) -> None:
    payload: dict[str, Any] = {"customer_id": "c1", "email": "ana@example.com", missing: None}
    assert rejected(payload).field == missing


def test_unknown_field_is_named() -> None:
    error = rejected({"customer_id": "c1", "email": "ana@example.com", "nickname": "A"})
    assert error.field == "nickname"
    assert "nickname" in error.message


@pytest.mark.parametrize("read_only", ["version", "tier", "points", "email_status", "created_at"])
def test_derived_fields_cannot_be_posted(read_only: str) -> None:
    assert (
        rejected({"customer_id": "c1", "email": "ana@example.com", read_only: 1}).field == read_only
    )


@pytest.mark.parametrize("payload", [None, [], "signup", 1])
def test_payload_must_be_an_object(payload: Any) -> None:
    rejected(payload)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("customer_id", "has space"),
        ("email", "not-an-address"),
        ("phone", "138"),
        ("birthday", "2023-02-30"),
        ("birthday", (NOW + timedelta(days=1)).date().isoformat()),
        ("gender", "other"),
        ("interests", "tea"),
        ("locale", "fr"),
        ("time_zone", "Mars/Base"),
        ("preferred_channel", "pigeon"),
        ("best_contact_time", "midnight"),
        ("referred_by", ""),
        ("name", "A\x00na"),
    ],
)
def test_bad_values_name_their_field(field: str, value: Any) -> None:
    payload = {"customer_id": "c1", "email": "ana@example.com", field: value}
    assert rejected(payload).field == field


def test_birthday_future_is_judged_on_the_signup_day() -> None:
    payload = {"customer_id": "c1", "email": "a@example.com", "birthday": "2024-06-15"}
    assert parse_signup(payload, NOW).fields["birthday"] == "2024-06-15"


def test_optional_nulls_are_dropped() -> None:
    request = parse_signup(
        {"customer_id": "c1", "email": "a@example.com", "name": None, "phone": None}, NOW
    )
    assert "name" not in request.fields
    assert "phone" not in request.fields


def test_self_referral_is_rejected() -> None:
    error = rejected({"customer_id": "c1", "email": "a@example.com", "referred_by": "c1"})
    assert error.field == "referred_by"


# --- consents ---------------------------------------------------------------------------


def test_consents_missing_purposes_are_off() -> None:
    consents = parse_signup(
        {"customer_id": "c1", "email": "a@example.com", "consents": {"surveys": True}}, NOW
    ).fields["consents"]
    assert consents.to_dict() == {
        "marketing": False,
        "recommendations": False,
        "greetings": False,
        "surveys": True,
    }


@pytest.mark.parametrize(
    ("consents", "field"),
    [
        ({"spam": True}, "consents.spam"),
        ({"marketing": "yes"}, "consents.marketing"),
        ({"marketing": 1}, "consents.marketing"),
        ({"greetings": None}, "consents.greetings"),
        (["marketing"], "consents"),
        (True, "consents"),
        (None, "consents"),
    ],
)
def test_bad_consents_name_the_purpose(consents: Any, field: str) -> None:
    payload = {"customer_id": "c1", "email": "a@example.com", "consents": consents}
    assert rejected(payload).field == field


def test_parse_consents_keeps_base_for_missing_purposes() -> None:
    base = Consents(marketing=True, recommendations=True)
    updated = parse_consents({"marketing": False}, base)
    assert updated == Consents(marketing=False, recommendations=True)


def test_every_purpose_can_be_granted() -> None:
    everything = {"marketing": True, "recommendations": True, "greetings": True, "surveys": True}
    assert parse_consents(everything).to_dict() == everything


# --- digest -----------------------------------------------------------------------------


def digest(payload: dict[str, Any]) -> str:
    return signup_digest(parse_signup(payload, NOW))


def test_digest_is_stable_under_key_order() -> None:
    reordered = dict(reversed(list(FULL.items())))
    reordered["consents"] = dict(reversed(list(FULL["consents"].items())))
    assert list(reordered) != list(FULL)
    assert digest(reordered) == digest(FULL)


def test_digest_is_a_sha256_hex() -> None:
    value = digest(FULL)
    assert len(value) == 64
    assert int(value, 16) >= 0


def test_digest_is_of_the_normalized_signup() -> None:
    variant = {
        **FULL,
        "email": "ana.li@example.com",
        "phone": "+8613800138000",
        "name": "Ana Li",
        "consents": {"greetings": True, "marketing": True, "surveys": False},
    }
    assert digest(variant) == digest(FULL)


def test_digest_does_not_depend_on_the_time_of_the_request() -> None:
    later = NOW + timedelta(hours=5)
    assert signup_digest(parse_signup(FULL, later)) == digest(FULL)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "other@example.com"),
        ("name", "Ana"),
        ("phone", "+8613800138001"),
        ("birthday", "1990-02-27"),
        ("locale", "en"),
        ("interests", ["books", "tea"]),
        ("consents", {"marketing": True}),
        ("customer_id", "cust-2"),
    ],
)
def test_digest_differs_when_any_value_differs(field: str, value: Any) -> None:
    assert digest({**FULL, field: value}) != digest(FULL)


def test_digest_differs_when_a_field_is_added() -> None:
    base = {"customer_id": "c1", "email": "a@example.com"}
    assert digest({**base, "name": "Ana"}) != digest(base)


@settings(max_examples=50, deadline=None)
@given(st.permutations(list(FULL.items())))
def test_digest_is_stable_under_any_key_order(items: list[tuple[str, Any]]) -> None:
    assert digest(dict(items)) == digest(FULL)


# --- to_profile -------------------------------------------------------------------------


def test_to_profile_defaults() -> None:
    profile = parse_signup({"customer_id": "c1", "email": "Ana@Example.com"}, NOW).to_profile(NOW)
    assert isinstance(profile, Profile)
    assert profile.customer_id == "c1"
    assert profile.email == "ana@example.com"
    assert profile.created_at == profile.updated_at == "2024-06-15T08:30:00.000Z"
    assert profile.version == 1
    assert profile.email_status == "ok"
    assert profile.locale == "en"
    assert profile.time_zone == "UTC"
    assert profile.consents == Consents()
    assert profile.consents.to_dict() == {
        "marketing": False,
        "recommendations": False,
        "greetings": False,
        "surveys": False,
    }
    assert profile.stats == Stats()
    assert profile.tier == 1
    assert profile.points == 0
    assert profile.loyalty == "occasional"
    assert profile.name is None
    assert profile.phone is None
    assert profile.birthday is None
    assert profile.interests == ()
    assert profile.referred_by is None
    assert profile.rfm is None
    assert profile.clv is None


def test_to_profile_carries_every_field() -> None:
    profile = parse_signup(FULL, NOW).to_profile(NOW)
    assert profile.locale == "zh-CN"
    assert profile.time_zone == "Asia/Shanghai"
    assert profile.birthday == "1990-02-28"
    assert profile.gender == "female"
    assert profile.occupation == "Engineer"
    assert profile.interests == ("tea", "books")
    assert profile.preferred_channel == "email"
    assert profile.best_contact_time == "evening"
    assert profile.referred_by == "cust-0"
    assert profile.consents.marketing is True
    assert profile.consents.recommendations is False


def test_to_profile_stamps_in_utc_whatever_the_offset() -> None:
    shanghai = timezone(timedelta(hours=8))
    moment = datetime(2024, 6, 15, 16, 30, tzinfo=shanghai)
    profile = parse_signup({"customer_id": "c1", "email": "a@example.com"}, moment).to_profile(
        moment
    )
    assert profile.created_at == "2024-06-15T08:30:00.000Z"


def test_editable_fields_exclude_identity_and_referral() -> None:
    assert "customer_id" not in EDITABLE_FIELDS
    assert "referred_by" not in EDITABLE_FIELDS
    assert set(EDITABLE_FIELDS) == set(SIGNUP_FIELDS) - {"customer_id", "referred_by"}
