"""Map profiles to DynamoDB items and back (also used on stream images)."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from chalicelib.domain.occasions import signup_month_day
from chalicelib.domain.profile import Consents, Profile, Stats, birthday_month_day
from chalicelib.domain.search import name_search_key
from chalicelib.domain.times import parse_iso

PROFILE = "profile"
EMAIL_GUARD = "email_guard"
UNREACHABLE = "unreachable"
"""``unreachable_key`` of a profile with no deliverable contact (the sparse index's key)."""


def email_guard_key(email: str) -> str:
    """The key of the item that makes ``email`` unique across profiles."""
    return f"email#{email}"


def profile_to_item(profile: Profile) -> dict[str, Any]:
    """The stored form: profile fields plus the index keys derived from them."""
    data = asdict(profile)
    data["interests"] = list(profile.interests)
    data["purchased"] = list(profile.purchased)
    data["record_type"] = PROFILE
    data["birthday_md"] = birthday_month_day(profile.birthday)
    # the signup's month-day in the customer's time zone then (corrections keep it)
    data["signup_md"] = signup_month_day(parse_iso(profile.created_at), profile.time_zone)
    data["tier_key"] = f"tier#{profile.tier}"
    data["spent_12m"] = profile.stats.spent
    data["unreachable_key"] = None if profile.reachable else UNREACHABLE
    data["name_search"] = name_search_key(profile.name)
    return data


def stored_profile_item(
    profile: Profile, signup_digest: str, correlation_id: str | None, import_id: str | None
) -> dict[str, Any]:
    """The profile item a signup (or an import, ``import_id``: no welcome letter) stores."""
    item = profile_to_item(profile)
    item["signup_digest"] = signup_digest
    item["correlation_id"] = correlation_id
    if import_id:
        item["import_id"] = import_id
    return item


_PROFILE_FIELDS = {f.name for f in fields(Profile)}


def profile_from_item(item: dict[str, Any]) -> Profile:
    """Rebuild a profile from a deserialized item or stream image."""
    values = {key: value for key, value in item.items() if key in _PROFILE_FIELDS}
    values["interests"] = tuple(values.get("interests") or ())
    values["purchased"] = tuple(values.get("purchased") or ())
    values["consents"] = Consents(**(values.get("consents") or {}))
    values["stats"] = Stats(**(values.get("stats") or {}))
    return Profile(**values)


def is_profile(item: dict[str, Any]) -> bool:
    """Whether an item is a profile (the table also holds email guards)."""
    return item.get("record_type") == PROFILE
