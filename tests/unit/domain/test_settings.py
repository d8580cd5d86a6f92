"""Store settings: defaults, validated partial overrides and the stored form."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.settings import (
    HelpLink,
    StoreSettings,
    parse_store_settings,
    settings_from_dict,
)

LINK = {"label_en": "FAQ", "label_zh": "常见问题", "url": "https://shop.example/faq"}


def rejected(payload: Any, base: StoreSettings | None = None) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_store_settings(payload, base)
    return caught.value


def test_defaults_describe_a_usable_store() -> None:
    defaults = StoreSettings()
    assert defaults.store_name
    assert defaults.store_name_zh
    assert defaults.support_email == "support@shop.example"
    assert defaults.website_url.startswith("https://")
    assert defaults.quiet_hours_start == 21
    assert defaults.quiet_hours_end == 9
    assert defaults.frequency_cap_per_week == 3
    assert len(defaults.help_links) >= 1
    assert all(link.url.startswith("https://") for link in defaults.help_links)
    assert all(link.label_en and link.label_zh for link in defaults.help_links)


def test_name_for_locale() -> None:
    defaults = StoreSettings()
    assert defaults.name_for("zh-CN") == defaults.store_name_zh
    assert defaults.name_for("en") == defaults.store_name
    assert defaults.name_for("fr") == defaults.store_name


def test_empty_override_is_the_defaults() -> None:
    assert parse_store_settings({}) == StoreSettings()


def test_partial_override_keeps_the_other_fields() -> None:
    updated = parse_store_settings({"store_name": "  Tea House ", "quiet_hours_start": 22})
    assert updated.store_name == "Tea House"
    assert updated.quiet_hours_start == 22
    assert (
        replace(updated, store_name=StoreSettings().store_name, quiet_hours_start=21)
        == StoreSettings()
    )


def test_partial_override_keeps_the_base_not_the_defaults() -> None:
    base = parse_store_settings({"store_name": "Tea House", "frequency_cap_per_week": 1})
    updated = parse_store_settings({"support_email": "Help@Tea.Example"}, base)
    assert updated.store_name == "Tea House"
    assert updated.frequency_cap_per_week == 1
    assert updated.support_email == "help@tea.example"


def test_help_links_replace_the_list() -> None:
    updated = parse_store_settings({"help_links": [LINK]})
    assert updated.help_links == (HelpLink("FAQ", "常见问题", "https://shop.example/faq"),)


def test_help_links_may_be_empty() -> None:
    assert parse_store_settings({"help_links": []}).help_links == ()


def test_at_most_ten_help_links() -> None:
    assert len(parse_store_settings({"help_links": [LINK] * 10}).help_links) == 10
    assert rejected({"help_links": [LINK] * 11}).field == "help_links"


@pytest.mark.parametrize(
    "url",
    [
        "http://shop.example/faq",
        "javascript:alert(1)",
        "ftp://shop.example/faq",
        "//shop.example/faq",
        "shop.example/faq",
        "mailto:support@shop.example",
        "data:text/html,hi",
    ],
)
def test_help_links_must_be_https(url: str) -> None:
    assert rejected({"help_links": [LINK, {**LINK, "url": url}]}).field == "help_links[1].url"


@pytest.mark.parametrize(
    ("link", "field"),
    [
        ({"label_en": "FAQ", "label_zh": "问题"}, "help_links[0].url"),
        ({"label_zh": "问题", "url": "https://a.example"}, "help_links[0].label_en"),
        ({"label_en": "FAQ", "url": "https://a.example"}, "help_links[0].label_zh"),
        ({**LINK, "label_en": ""}, "help_links[0].label_en"),
        ({**LINK, "label_en": "x" * 81}, "help_links[0].label_en"),
        ({**LINK, "label_zh": "a\x00b"}, "help_links[0].label_zh"),
        ({**LINK, "title": "x"}, "help_links[0].title"),
        ("https://a.example", "help_links[0]"),
        (None, "help_links[0]"),
    ],
)
def test_bad_help_link_names_the_field(link: Any, field: str) -> None:
    assert rejected({"help_links": [link]}).field == field


@pytest.mark.parametrize("links", [None, "https://a.example", {"0": LINK}])
def test_help_links_must_be_a_list(links: Any) -> None:
    assert rejected({"help_links": links}).field == "help_links"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"shop_name": "x"}, "shop_name"),
        ({"store_name": ""}, "store_name"),
        ({"store_name": 5}, "store_name"),
        ({"about_en": "x" * 501}, "about_en"),
        ({"signer_zh": "a\x07b"}, "signer_zh"),
        ({"support_email": "not-an-address"}, "support_email"),
        ({"quiet_hours_start": 24}, "quiet_hours_start"),
        ({"quiet_hours_end": -1}, "quiet_hours_end"),
        ({"quiet_hours_end": "9"}, "quiet_hours_end"),
        ({"quiet_hours_end": 9.0}, "quiet_hours_end"),
        ({"quiet_hours_start": True}, "quiet_hours_start"),
        ({"frequency_cap_per_week": 101}, "frequency_cap_per_week"),
        ({"frequency_cap_per_week": -1}, "frequency_cap_per_week"),
        ({"frequency_cap_per_week": None}, "frequency_cap_per_week"),
        ({"clock_skew_minutes": 61}, "clock_skew_minutes"),
        ({"clock_skew_minutes": -1}, "clock_skew_minutes"),
        ({"clock_skew_minutes": "10"}, "clock_skew_minutes"),
    ],
)
def test_bad_field_is_named(payload: dict[str, Any], field: str) -> None:
    assert rejected(payload).field == field


@pytest.mark.parametrize(
    "payload",
    [
        {"quiet_hours_start": 0, "quiet_hours_end": 23},
        {"frequency_cap_per_week": 0},
        {"frequency_cap_per_week": 100},
        {"clock_skew_minutes": 0},
        {"clock_skew_minutes": 60},
        {"about_zh": "字" * 500},
    ],
)
def test_bounds_are_inclusive(payload: dict[str, Any]) -> None:
    updated = parse_store_settings(payload)
    for name, value in payload.items():
        assert getattr(updated, name) == value


@pytest.mark.parametrize("payload", [None, [], "store_name=x"])
def test_payload_must_be_an_object(payload: Any) -> None:
    rejected(payload)


def test_a_rejected_override_leaves_the_base_alone() -> None:
    base = StoreSettings()
    rejected({"store_name": "New", "quiet_hours_start": 99}, base)
    assert base == StoreSettings()


# --- stored form ------------------------------------------------------------------------


def test_to_dict_is_plain_json() -> None:
    data = StoreSettings().to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert isinstance(data["help_links"], list)
    assert data["help_links"][0] == {
        "label_en": "Help centre",
        "label_zh": "帮助中心",
        "url": "https://shop.example/help",
    }


def test_round_trip_of_the_defaults() -> None:
    assert settings_from_dict(StoreSettings().to_dict()) == StoreSettings()


def test_round_trip_of_an_override() -> None:
    custom = parse_store_settings(
        {
            "store_name": "Tea House",
            "store_name_zh": "茶馆",
            "help_links": [LINK],
            "quiet_hours_start": 22,
            "quiet_hours_end": 7,
            "frequency_cap_per_week": 2,
        }
    )
    assert settings_from_dict(custom.to_dict()) == custom
    assert settings_from_dict(json.loads(json.dumps(custom.to_dict()))) == custom


def test_from_dict_accepts_dynamodb_numbers_and_ignores_unknown_keys() -> None:
    stored = {
        **StoreSettings().to_dict(),
        "quiet_hours_start": Decimal("22"),
        "frequency_cap_per_week": Decimal("5"),
        "clock_skew_minutes": Decimal("3"),
        "retired_setting": "x",
    }
    restored = settings_from_dict(stored)
    assert restored.clock_skew_minutes == 3 and isinstance(restored.clock_skew_minutes, int)
    assert restored.quiet_hours_start == 22
    assert isinstance(restored.quiet_hours_start, int)
    assert restored.frequency_cap_per_week == 5


def test_from_dict_of_a_partial_item_uses_defaults() -> None:
    assert settings_from_dict({"store_name": "Tea House"}) == replace(
        StoreSettings(), store_name="Tea House"
    )
    assert settings_from_dict({}) == StoreSettings()


def test_the_jobs_retry_bound_is_a_bounded_integer_setting() -> None:
    assert (StoreSettings().job_retries, StoreSettings().job_retry_seconds) == (5, 120)
    tuned = parse_store_settings({"job_retries": 0, "job_retry_seconds": 600})
    assert (tuned.job_retries, tuned.job_retry_seconds) == (0, 600)
    stored = json.loads(json.dumps(tuned.to_dict()))
    assert settings_from_dict({**stored, "job_retries": Decimal(0)}) == tuned
    for payload in ({"job_retries": 21}, {"job_retries": -1}, {"job_retry_seconds": "60"}):
        with pytest.raises(InvalidInput) as refused:
            parse_store_settings(payload)
        assert refused.value.field == next(iter(payload))
