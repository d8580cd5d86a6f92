"""The admin keys the API issued."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from chalicelib.domain.admin_keys import AdminKey


class AdminKeyStore(Protocol):
    """The admin keys the API issued (their digests, never the keys)."""

    def create(self, key: AdminKey) -> None: ...

    def get(self, key_id: str) -> AdminKey | None:
        """A strongly consistent read: a revoked key is gone at once."""
        ...

    def page(self, limit: int, cursor: str | None) -> tuple[list[AdminKey], str | None]:
        """Keys, oldest first; raises ``ValueError`` for a cursor it did not give out."""
        ...

    def delete(self, key_id: str) -> bool:
        """Remove a key; whether it existed."""
        ...

    def record_use(self, key_id: str, at: datetime, unless_since: datetime) -> None:
        """Set ``last_used_at`` unless it is already later than ``unless_since``."""
        ...
