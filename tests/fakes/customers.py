"""Fake of signup and the customers stream: CustomerRepository."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.domain.corrections import Correction
from chalicelib.domain.profile import Profile
from chalicelib.services.exceptions import (
    AlreadyExists,
    StaleWrite,
)

# --- signup and the customers stream: CustomerRepository -----------------------------


@dataclass
class FakeCustomers:
    """:class:`~chalicelib.services.ports.CustomerRepository` over dicts.

    As the adapter: a create whose id exists raises ``AlreadyExists("customer_id")``, one
    whose email another profile owns ``AlreadyExists("email")``, and nothing is written.
    """

    profiles: dict[str, Profile] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # email -> customer_id
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def create(
        self,
        profile: Profile,
        signup_digest: str,
        correlation_id: str | None,
        import_id: str | None = None,
    ) -> None:
        if profile.customer_id in self.profiles:
            raise AlreadyExists("customer_id")
        if profile.email in self.owners:
            raise AlreadyExists("email")
        self.profiles[profile.customer_id] = profile
        self.digests[profile.customer_id] = signup_digest
        self.owners[profile.email] = profile.customer_id
        self.entries.setdefault(profile.customer_id, []).append(
            {"entry_key": f"version#{profile.version:08d}", "source": "signup"}
        )

    def get(self, customer_id: str) -> Profile | None:
        return self.profiles.get(customer_id)

    def owner_of(self, email: str) -> str | None:
        return self.owners.get(email)

    def timeline(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        entries = list(reversed(self.entries.get(customer_id, [])))
        start = int(cursor or 0)
        following = start + limit
        return entries[start:following], str(following) if following < len(entries) else None

    def signup_digest(self, customer_id: str) -> str | None:
        return self.digests.get(customer_id)

    def save_correction(
        self, previous: Profile, correction: Correction, source: str, correlation_id: str | None
    ) -> None:
        stored = self.profiles.get(previous.customer_id)
        if stored is None or stored.version != previous.version:
            raise StaleWrite()
        profile = correction.profile
        if correction.email_changed:
            if self.owners.get(profile.email, profile.customer_id) != profile.customer_id:
                raise AlreadyExists("email")
            self.owners.pop(previous.email, None)
            self.owners[profile.email] = profile.customer_id
        self.profiles[profile.customer_id] = profile
        self.entries.setdefault(profile.customer_id, []).append(
            {"entry_key": f"version#{profile.version:08d}", "source": source}
        )
