"""Profile corrections: what changes, what is recorded and what is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.corrections import FieldChange, correct
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.profile import Consents, Profile

CREATED = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
NOW = datetime(2024, 6, 15, 8, 30, tzinfo=UTC)


def profile(**overrides: Any) -> Profile:
    values: dict[str, Any] = {
        "customer_id": "c1",
        "email": "ana@example.com",
        "created_at": "2024-01-02T03:04:05.000Z",
        "updated_at": "2024-01-02T03:04:05.000Z",
        "version": 3,
        "name": "Ana",
        "phone": "+8613800138000",
        "birthday": "1990-05-01",
        "gender": "female",
        "occupation": "Engineer",
        "interests": ("tea", "books"),
        "locale": "zh-CN",
        "time_zone": "Asia/Shanghai",
        "preferred_channel": "email",
        "best_contact_time": "evening",
        "consents": Consents(marketing=True, greetings=True),
    }
    values.update(overrides)
    return Profile(**values)


def rejected(base: Profile, payload: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        correct(base, payload, NOW)
    return caught.value


def test_a_change_increments_the_version_once_and_stamps_the_time() -> None:
    result = correct(profile(), {"name": "Ana Li", "occupation": "Teacher"}, NOW)
    assert result.profile.version == 4
    assert result.profile.updated_at == "2024-06-15T08:30:00.000Z"
    assert result.profile.created_at == "2024-01-02T03:04:05.000Z"
    assert result.profile.name == "Ana Li"
    assert result.profile.occupation == "Teacher"


def test_changes_list_old_and_new_values_in_payload_order() -> None:
    result = correct(profile(), {"occupation": "Teacher", "name": "Ana Li"}, NOW)
    assert result.changes == (
        FieldChange("occupation", "Engineer", "Teacher"),
        FieldChange("name", "Ana", "Ana Li"),
    )


def test_unchanged_values_are_not_listed() -> None:
    result = correct(profile(), {"name": "Ana", "occupation": "Teacher"}, NOW)
    assert [change.field for change in result.changes] == ["occupation"]


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "Ana"},
        {"name": "  Ana  "},  # same after trimming
        {"email": "ANA@Example.com"},  # same after normalizing
        {"phone": "+86 138-0013-8000"},
        {"interests": ["tea", "books", "tea"]},
        {"consents": {"marketing": True}},
        {"consents": {}},
        {"locale": "zh-CN", "time_zone": "Asia/Shanghai"},
    ],
)
def test_a_correction_that_changes_nothing_keeps_the_version(payload: dict[str, Any]) -> None:
    base = profile()
    result = correct(base, payload, NOW)
    assert result.changes == ()
    assert result.profile == base
    assert result.profile.version == 3
    assert result.profile.updated_at == base.updated_at
    assert not result.email_changed
    assert not result.consents_changed


def test_repeated_corrections_count_versions() -> None:
    first = correct(profile(), {"name": "B"}, NOW).profile
    second = correct(first, {"name": "C"}, NOW + timedelta(minutes=1)).profile
    again = correct(second, {"name": "C"}, NOW + timedelta(minutes=2)).profile
    assert (first.version, second.version, again.version) == (4, 5, 5)


def test_email_change_resets_email_status_to_ok() -> None:
    result = correct(profile(email_status="bounced"), {"email": "New@Example.com"}, NOW)
    assert result.profile.email == "new@example.com"
    assert result.profile.email_status == "ok"
    assert result.email_changed
    assert result.changes == (FieldChange("email", "ana@example.com", "new@example.com"),)


def test_same_email_keeps_a_bounced_status() -> None:
    result = correct(profile(email_status="bounced"), {"email": "ana@example.com"}, NOW)
    assert result.profile.email_status == "bounced"
    assert not result.email_changed


def test_other_changes_keep_the_email_status() -> None:
    result = correct(profile(email_status="complained"), {"name": "Ana Li"}, NOW)
    assert result.profile.email_status == "complained"


@pytest.mark.parametrize(
    ("field", "old"),
    [
        ("name", "Ana"),
        ("phone", "+8613800138000"),
        ("birthday", "1990-05-01"),
        ("gender", "female"),
        ("occupation", "Engineer"),
        ("preferred_channel", "email"),
        ("best_contact_time", "evening"),
    ],
)
def test_null_clears_an_optional_field(field: str, old: str) -> None:
    result = correct(profile(), {field: None}, NOW)
    assert getattr(result.profile, field) is None
    assert result.changes == (FieldChange(field, old, None),)
    assert result.profile.version == 4


def test_null_clears_interests_to_an_empty_list() -> None:
    result = correct(profile(), {"interests": None}, NOW)
    assert result.profile.interests == ()
    assert result.changes == (FieldChange("interests", ["tea", "books"], []),)


def test_clearing_an_already_empty_field_changes_nothing() -> None:
    result = correct(profile(name=None), {"name": None}, NOW)
    assert result.changes == ()
    assert result.profile.version == 3


def test_clearing_time_zone_leaves_a_usable_zone() -> None:
    try:
        result = correct(profile(), {"time_zone": None}, NOW)
    except InvalidInput as error:
        assert error.field == "time_zone"
        return
    assert isinstance(result.profile.time_zone, str)
    ZoneInfo(result.profile.time_zone)


@pytest.mark.parametrize("field", ["email", "locale"])
def test_email_and_locale_cannot_be_removed(field: str) -> None:
    error = rejected(profile(), {field: None})
    assert error.field == field
    assert "removed" in error.message


def test_empty_payload_is_rejected() -> None:
    error = rejected(profile(), {})
    assert "at least one field" in error.message


@pytest.mark.parametrize("payload", [None, [], "name=Ana", 3])
def test_non_object_payload_is_rejected(payload: Any) -> None:
    rejected(profile(), payload)


@pytest.mark.parametrize(
    "field", ["customer_id", "referred_by", "version", "email_status", "tier", "nickname"]
)
def test_read_only_and_unknown_fields_are_named(field: str) -> None:
    assert rejected(profile(), {field: "x"}).field == field


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"phone": "12345"}, "phone"),
        ({"birthday": "2023-02-30"}, "birthday"),
        ({"birthday": "2024-06-16"}, "birthday"),  # the day after NOW
        ({"locale": "de"}, "locale"),
        ({"consents": {"marketing": "no"}}, "consents.marketing"),
        ({"consents": {"spam": False}}, "consents.spam"),
        ({"consents": None}, "consents"),
        ({"name": "ok", "gender": "x"}, "gender"),
    ],
)
def test_bad_values_name_the_field_and_change_nothing(payload: dict[str, Any], field: str) -> None:
    assert rejected(profile(), payload).field == field


def test_consents_partial_update_keeps_other_purposes() -> None:
    base = profile(
        consents=Consents(marketing=True, recommendations=False, greetings=True, surveys=True)
    )
    result = correct(base, {"consents": {"marketing": False, "recommendations": True}}, NOW)
    assert result.profile.consents == Consents(
        marketing=False, recommendations=True, greetings=True, surveys=True
    )
    assert result.consents_changed
    assert result.changes == (
        FieldChange(
            "consents",
            {"marketing": True, "recommendations": False, "greetings": True, "surveys": True},
            {"marketing": False, "recommendations": True, "greetings": True, "surveys": True},
        ),
    )


def test_original_profile_is_not_modified() -> None:
    base = profile()
    correct(base, {"name": "Someone", "consents": {"surveys": True}}, NOW)
    assert base.name == "Ana"
    assert base.consents.surveys is False
    assert base.version == 3


def test_interests_are_recorded_as_lists() -> None:
    result = correct(profile(), {"interests": ["garden"]}, NOW)
    assert result.profile.interests == ("garden",)
    assert result.changes == (FieldChange("interests", ["tea", "books"], ["garden"]),)
