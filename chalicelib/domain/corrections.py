"""Profile corrections: the customer or the store fixes a field, and every change is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain import validation as v
from chalicelib.domain.exceptions import InvalidInput
from chalicelib.domain.profile import Consents, Profile
from chalicelib.domain.signup import EDITABLE_FIELDS, parse_fields
from chalicelib.domain.times import iso

CHANGE_SOURCES = ("store", "customer", "admin", "system")


@dataclass(frozen=True)
class FieldChange:
    """One field's value before and after a correction."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Correction:
    """The outcome of a correction: the new profile and what changed."""

    profile: Profile
    changes: tuple[FieldChange, ...]

    @property
    def email_changed(self) -> bool:
        """Whether the address changed (uniqueness must be re-checked)."""
        return any(change.field == "email" for change in self.changes)

    @property
    def consents_changed(self) -> bool:
        """Whether a consent changed (kept in the consent audit trail)."""
        return any(change.field == "consents" for change in self.changes)


def _plain(value: Any) -> Any:
    if isinstance(value, Consents):
        return value.to_dict()
    if isinstance(value, tuple):
        return list(value)
    return value


def correct(profile: Profile, payload: Any, now: datetime) -> Correction:
    """Apply a correction payload to ``profile``.

    Unknown or read-only fields are rejected naming the field; an empty payload is
    rejected; a payload that changes nothing returns no changes and the same version.
    A new address starts as ``ok`` again (a bounce on the old one no longer applies).
    """
    body = v.require_object(payload)
    v.reject_unknown(body, EDITABLE_FIELDS)
    if not body:
        raise InvalidInput("nothing to correct: send at least one field", None)
    for required in ("email", "locale", "time_zone", "consents"):
        if required in body and body[required] is None:
            raise InvalidInput(f"{required} cannot be removed", required)
    fields = parse_fields(body, now.date(), base=profile)
    changes = tuple(
        FieldChange(name, _plain(getattr(profile, name)), _plain(value))
        for name, value in fields.items()
        if getattr(profile, name) != value
    )
    if not changes:
        return Correction(profile, ())
    updates = {change.field: fields[change.field] for change in changes}
    if "email" in updates:
        updates["email_status"] = "ok"
    new_profile = profile.with_changes(**updates, version=profile.version + 1, updated_at=iso(now))
    return Correction(new_profile, changes)
