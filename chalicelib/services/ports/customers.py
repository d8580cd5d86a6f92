"""Profiles: creating, reading and correcting one customer."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.corrections import Correction
from chalicelib.domain.profile import Profile


class CustomerRepository(Protocol):
    """Profiles, their email guards and their version history."""

    def create(
        self,
        profile: Profile,
        signup_digest: str,
        correlation_id: str | None,
        import_id: str | None = None,
    ) -> None:
        """Write a new profile (``import_id``: brought in by that import); raises as below.

        Raises
        ------
        chalicelib.adapters.exceptions.AlreadyExists
            The id exists (``field='customer_id'``) or the email is taken (``'email'``).
        """

    def get(self, customer_id: str) -> Profile | None: ...

    def owner_of(self, email: str) -> str | None:
        """The id of the profile that owns ``email``."""
        ...

    def timeline(
        self, customer_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the timeline, newest first, and the next page's cursor.

        Raises ``ValueError`` for a cursor this port did not give out for this customer.
        """
        ...

    def signup_digest(self, customer_id: str) -> str | None: ...

    def save_correction(
        self, previous: Profile, correction: Correction, source: str, correlation_id: str | None
    ) -> None: ...


class ProfileReader(Protocol):
    """Reads one profile as it stands now (the mailer's live view of the recipient)."""

    def get(self, customer_id: str) -> Profile | None:
        """The profile (a strongly consistent read), or ``None`` when erased or unknown."""
        ...
