"""Signup: validate what the store posts and make the new profile."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.profile import (
    CHANNELS,
    CONSENT_PURPOSES,
    CONTACT_TIMES,
    GENDERS,
    Consents,
    Profile,
)
from chalicelib.domain.times import iso

SIGNUP_FIELDS = (
    "customer_id",
    "email",
    "name",
    "phone",
    "birthday",
    "gender",
    "occupation",
    "interests",
    "locale",
    "time_zone",
    "preferred_channel",
    "best_contact_time",
    "referred_by",
    "consents",
)

NOT_REMOVABLE = ("customer_id", "email", "locale", "time_zone", "consents")

EDITABLE_FIELDS = tuple(f for f in SIGNUP_FIELDS if f not in ("customer_id", "referred_by"))


def parse_consents(value: Any, base: Consents | None = None) -> Consents:
    """Consents object: known purposes only, booleans only; missing ones keep ``base``."""
    raw = v.require_object(value, "consents")
    v.reject_unknown(raw, CONSENT_PURPOSES, prefix="consents.")
    current = (base or Consents()).to_dict()
    for purpose, flag in raw.items():
        current[purpose] = v.boolean(flag, f"consents.{purpose}")
    return Consents(**current)


def parse_fields(
    payload: dict[str, Any], today: Any, base: Profile | None = None
) -> dict[str, Any]:
    """Validate and normalize the profile fields present in ``payload``.

    Returns a mapping of field name to normalized value. ``None`` clears an optional
    field (corrections); ``email`` and ``locale`` cannot be cleared.
    """
    out: dict[str, Any] = {}
    for name, raw in payload.items():
        if raw is None and name not in NOT_REMOVABLE:
            out[name] = () if name == "interests" else None
            continue
        out[name] = _parse_field(name, raw, today, base)
    return out


def _parse_field(name: str, raw: Any, today: Any, base: Profile | None) -> Any:
    parsers: dict[str, Any] = {
        "customer_id": lambda x: v.identifier(x, "customer_id"),
        "referred_by": lambda x: v.identifier(x, "referred_by"),
        "email": v.email,
        "name": lambda x: v.text(x, "name", 100),
        "phone": v.phone,
        "birthday": lambda x: v.birthday(x, today),
        "gender": lambda x: v.choice(x, GENDERS, "gender"),
        "occupation": lambda x: v.text(x, "occupation", 100),
        "interests": lambda x: v.string_list(x, "interests"),
        "locale": v.locale,
        "time_zone": v.time_zone,
        "preferred_channel": lambda x: v.choice(x, CHANNELS, "preferred_channel"),
        "best_contact_time": lambda x: v.choice(x, CONTACT_TIMES, "best_contact_time"),
        "consents": lambda x: parse_consents(x, base.consents if base else None),
    }
    return parsers[name](raw)


@dataclass(frozen=True)
class SignupRequest:
    """A validated signup."""

    fields: dict[str, Any]

    @property
    def customer_id(self) -> str:
        """The store's id for the customer."""
        return str(self.fields["customer_id"])

    def to_profile(self, now: datetime) -> Profile:
        """The profile this signup creates."""
        stamp = iso(now)
        return Profile(created_at=stamp, updated_at=stamp, **self.fields)


def parse_signup(payload: Any, now: datetime) -> SignupRequest:
    """Validate a signup payload; raises ``InvalidInput`` naming the first bad field."""
    body = v.require_object(payload)
    v.reject_unknown(body, SIGNUP_FIELDS)
    for required in ("customer_id", "email"):
        if required not in body or body[required] is None:
            raise v.InvalidInput(f"{required} is required", required)
    fields = parse_fields(body, now.date())
    if fields.get("referred_by") == fields["customer_id"]:
        raise v.InvalidInput("a customer cannot refer themselves", "referred_by")
    return SignupRequest(fields={k: val for k, val in fields.items() if val is not None})


def signup_digest(request: SignupRequest) -> str:
    """A stable digest of the normalized signup, stored to recognise identical replays.

    Comparing digests instead of the live profile keeps a replay of the original
    signup a replay (200) even after the customer has corrected their profile.
    """
    canonical = {
        key: (value.to_dict() if isinstance(value, Consents) else value)
        for key, value in request.fields.items()
    }
    encoded = json.dumps(canonical, sort_keys=True, ensure_ascii=False, default=list)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
