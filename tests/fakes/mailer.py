"""Fakes of the mailer's ports: Clock, SettingsStore, MailSender, LinkSigner, ProfileReader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.domain.profile import Profile
from chalicelib.domain.settings import StoreSettings
from chalicelib.services.exceptions import (
    SendFailed,
)

# --- the mailer's ports: Clock, Outbox, SettingsStore, MailSender, LinkSigner, ProfileReader ---


class FakeClock:
    """:class:`~chalicelib.services.ports.Clock` that stands still until told to move."""

    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class FakeSettingsStore:
    """:class:`~chalicelib.services.ports.SettingsStore` holding one settings value."""

    def __init__(self, settings: StoreSettings | None = None) -> None:
        self.settings = settings or StoreSettings()

    def store(self) -> StoreSettings:
        return self.settings

    def save_store(self, settings: StoreSettings) -> None:
        self.settings = settings


@dataclass(frozen=True)
class SentMail:
    """One mail handed to the fake sender."""

    sender: str
    recipient: str
    raw: bytes


@dataclass
class FakeMailSender:
    """:class:`~chalicelib.services.ports.MailSender`; refuses once per code in ``refusals``."""

    refusals: list[str] = field(default_factory=list)
    sent: list[SentMail] = field(default_factory=list)

    def send_raw(self, sender: str, recipient: str, raw: bytes) -> str:
        if self.refusals:
            raise SendFailed(self.refusals.pop(0))
        self.sent.append(SentMail(sender, recipient, raw))
        return f"fake-{len(self.sent)}"


class FakeLinkSigner:
    """:class:`~chalicelib.services.ports.LinkSigner` with readable, unsigned tokens."""

    def sign(self, purpose: str, subject: str, expires_at: datetime) -> str:
        return f"{purpose}.{subject}.{int(expires_at.timestamp())}"

    def verify(self, purpose: str, token: str, now: datetime) -> str | None:
        signed_purpose, _, rest = token.partition(".")
        subject, _, expires = rest.rpartition(".")
        if signed_purpose != purpose or not expires.isdigit() or int(expires) < now.timestamp():
            return None
        return subject


@dataclass
class FakeProfiles:
    """:class:`~chalicelib.services.ports.ProfileReader`; counts reads (each is an AWS call)."""

    profiles: dict[str, Profile] = field(default_factory=dict)
    reads: int = 0

    def put(self, profile: Profile) -> None:
        self.profiles[profile.customer_id] = profile

    def erase(self, customer_id: str) -> None:
        self.profiles.pop(customer_id, None)

    def get(self, customer_id: str) -> Profile | None:
        self.reads += 1
        return self.profiles.get(customer_id)
