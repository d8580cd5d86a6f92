"""Fake of admin keys: AdminKeyStore."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain.admin_keys import AdminKey
from chalicelib.services.exceptions import (
    AlreadyExists,
)

# --- admin keys: AdminKeyStore ---


class FakeAdminKeys:
    """:class:`~chalicelib.services.ports.AdminKeyStore` in a dict; counts use records."""

    def __init__(self) -> None:
        self.keys: dict[str, AdminKey] = {}
        self.use_writes = 0

    def create(self, key: AdminKey) -> None:
        if key.key_id in self.keys:
            raise AlreadyExists("key_id")
        self.keys[key.key_id] = key

    def get(self, key_id: str) -> AdminKey | None:
        return self.keys.get(key_id)

    def page(self, limit: int, cursor: str | None) -> tuple[list[AdminKey], str | None]:
        ordered = sorted(self.keys.values(), key=lambda k: (k.created_at, k.key_id))
        start = int(cursor) if cursor else 0
        end = start + limit
        return ordered[start:end], str(end) if end < len(ordered) else None

    def delete(self, key_id: str) -> bool:
        return self.keys.pop(key_id, None) is not None

    def record_use(self, key_id: str, at: datetime, unless_since: datetime) -> None:
        key = self.keys.get(key_id)
        if key is None or (key.last_used_at is not None and key.last_used_at > unless_since):
            return
        self.keys[key_id] = replace(key, last_used_at=at)
        self.use_writes += 1
