"""The customer profile: one shared record per person.

A :class:`Profile` holds what the customer told the store (contact, birthday, interests,
preferences, consents) and what Rapport derives from their behaviour (aggregates, tier,
segment). Age is derived from the birthday when read, never stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

CONSENT_PURPOSES = ("marketing", "recommendations", "greetings", "surveys")
EMAIL_STATUSES = ("ok", "bounced", "complained", "unverified")
GENDERS = ("female", "male", "non_binary", "undisclosed")
CONTACT_TIMES = ("morning", "afternoon", "evening", "any")
CHANNELS = ("email", "sms", "phone", "none")


@dataclass(frozen=True)
class Consents:
    """Per-purpose consent; every purpose is off until the customer opts in."""

    marketing: bool = False
    recommendations: bool = False
    greetings: bool = False
    surveys: bool = False

    def allows(self, purpose: str) -> bool:
        """Whether mail for ``purpose`` may be sent (transactional mail always may)."""
        if purpose == "transactional":
            return True
        return bool(getattr(self, purpose, False))

    def to_dict(self) -> dict[str, bool]:
        """Plain dict form."""
        return asdict(self)


@dataclass(frozen=True)
class Stats:
    """Per-order aggregates (money in integer minor units)."""

    orders: int = 0
    spent: int = 0
    currency: str | None = None
    first_order_at: str | None = None
    last_order_at: str | None = None
    average_order_value: int = 0
    returns: int = 0


@dataclass(frozen=True)
class Profile:
    """One customer as the store and its admins see them."""

    customer_id: str
    email: str
    created_at: str
    updated_at: str
    version: int = 1
    email_status: str = "ok"
    name: str | None = None
    phone: str | None = None
    birthday: str | None = None
    gender: str | None = None
    occupation: str | None = None
    interests: tuple[str, ...] = ()
    locale: str = "en"
    time_zone: str = "UTC"
    preferred_channel: str | None = None
    best_contact_time: str | None = None
    referred_by: str | None = None
    consents: Consents = field(default_factory=Consents)
    stats: Stats = field(default_factory=Stats)
    tier: int = 1
    points: int = 0
    loyalty: str = "occasional"
    rfm: dict[str, Any] | None = None
    clv: dict[str, Any] | None = None
    purchased: tuple[str, ...] = ()
    gift_months: dict[str, Any] = field(default_factory=dict)
    """Gift orders by calendar month and year (``chalicelib.domain.gift_occasions``)."""

    @property
    def reachable(self) -> bool:
        """Whether at least one contact can receive mail (a flagged profile is not)."""
        return self.email_status in ("ok", "unverified") or self.phone is not None

    @property
    def email_deliverable(self) -> bool:
        """Whether mail may be sent to the address at all."""
        return self.email_status in ("ok", "unverified")

    def with_changes(self, **changes: Any) -> Profile:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)


def age_on(birthday: str | None, today: date) -> int | None:
    """Age in whole years on ``today``; ``None`` when the birth year is unknown.

    A person born on 29 February has their birthday on 1 March in common years.
    """
    if not birthday or birthday.startswith("--"):
        return None
    born = date.fromisoformat(birthday)
    had_birthday = (today.month, today.day) >= (born.month, born.day)
    return today.year - born.year - (0 if had_birthday else 1)


def birthday_month_day(birthday: str | None) -> str | None:
    """``MM-DD`` of a birthday, the key of the birthday index."""
    if not birthday:
        return None
    return birthday[-5:]


def summary(
    profile: Profile, today: date, recommendations: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The profile summary shared by the store and admin views (design section 3)."""
    stats = asdict(profile.stats)
    return {
        "customer_id": profile.customer_id,
        "email": profile.email,
        "email_status": profile.email_status,
        "reachable": profile.reachable,
        "name": profile.name,
        "phone": profile.phone,
        "birthday": profile.birthday,
        "age": age_on(profile.birthday, today),
        "gender": profile.gender,
        "occupation": profile.occupation,
        "interests": list(profile.interests),
        "locale": profile.locale,
        "time_zone": profile.time_zone,
        "preferred_channel": profile.preferred_channel,
        "best_contact_time": profile.best_contact_time,
        "referred_by": profile.referred_by,
        "consents": profile.consents.to_dict(),
        "stats": stats,
        "tier": profile.tier,
        "points": profile.points,
        "loyalty": profile.loyalty,
        "rfm": profile.rfm,
        "clv": profile.clv,
        "recommendations": recommendations or [],
        "version": profile.version,
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }
