"""Issue, list, revoke and check the admin keys the API manages."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from chalicelib.domain import admin_keys
from chalicelib.domain.admin_keys import AdminKey
from chalicelib.domain.exceptions import NotFound
from chalicelib.services.exceptions import Throttled, Unavailable
from chalicelib.services.ports import AdminKeyStore, Clock


@dataclass(frozen=True)
class AdminKeyDeps:
    """The key store, the deployment's key secret (HMAC key) and the clock."""

    keys: AdminKeyStore
    secret: Callable[[], bytes]
    clock: Clock


@dataclass(frozen=True)
class Principal:
    """Who called: a key id (or ``bootstrap``) and its role."""

    key_id: str
    role: str


def create_key(name: str, role: str, deps: AdminKeyDeps) -> tuple[AdminKey, str]:
    """Issue a key: the stored record and the key itself (shown once, never stored)."""
    key_id = secrets.token_hex(8)
    key = admin_keys.compose(key_id, secrets.token_urlsafe(32))
    record = AdminKey(
        key_id=key_id,
        name=name,
        role=role,
        digest=admin_keys.digest(deps.secret(), key),
        created_at=deps.clock.now(),
    )
    deps.keys.create(record)
    return record, key


def revoke_key(key_id: str, deps: AdminKeyDeps) -> None:
    """Revoke a key at once; :class:`NotFound` when there is no such key."""
    if not admin_keys.KEY_ID.fullmatch(key_id) or not deps.keys.delete(key_id):
        raise NotFound("no such key", "key_id")


def authenticate(token: str, deps: AdminKeyDeps) -> Principal | None:
    """The principal of an issued key, or ``None`` (unknown, revoked or wrong secret).

    A use is recorded on the key at most once per
    :data:`~chalicelib.domain.admin_keys.LAST_USED_PRECISION`, not on every request.
    """
    key_id = admin_keys.key_id_of(token)
    if key_id is None:
        return None
    record = deps.keys.get(key_id)
    if record is None or not admin_keys.matches(deps.secret(), token, record.digest):
        return None
    now = deps.clock.now()
    if record.due_for_use_record(now):
        with suppress(Throttled, Unavailable):  # a missed use record refuses no call
            deps.keys.record_use(key_id, now, now - admin_keys.LAST_USED_PRECISION)
    return Principal(key_id, record.role)
