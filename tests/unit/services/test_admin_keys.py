"""Issuing, checking and revoking admin keys, against an in-memory key store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import admin_keys
from chalicelib.domain.exceptions import NotFound
from chalicelib.services.admin_keys import AdminKeyDeps, authenticate, create_key, revoke_key
from tests.fakes import FakeAdminKeys, FakeClock

START = datetime(2026, 5, 1, 12, tzinfo=UTC)


@pytest.fixture()
def deps() -> AdminKeyDeps:
    return AdminKeyDeps(keys=FakeAdminKeys(), secret=lambda: b"deployment", clock=FakeClock(START))


def test_a_key_is_stored_only_as_its_keyed_digest(deps: AdminKeyDeps) -> None:
    record, key = create_key("dash", "viewer", deps)
    assert admin_keys.key_id_of(key) == record.key_id
    stored = deps.keys.get(record.key_id)
    assert stored is not None and stored.digest == admin_keys.digest(b"deployment", key)
    assert key not in repr(stored)
    other, other_key = create_key("dash", "viewer", deps)
    assert other.key_id != record.key_id and other_key != key


def test_an_issued_key_authenticates_with_its_role(deps: AdminKeyDeps) -> None:
    record, key = create_key("ops", "admin", deps)
    principal = authenticate(key, deps)
    assert principal is not None and (principal.key_id, principal.role) == (record.key_id, "admin")


def test_a_wrong_secret_or_another_deployment_secret_is_refused(deps: AdminKeyDeps) -> None:
    record, key = create_key("ops", "admin", deps)
    forged = admin_keys.compose(record.key_id, "B" * 43)
    assert authenticate(forged, deps) is None
    elsewhere = AdminKeyDeps(keys=deps.keys, secret=lambda: b"other", clock=deps.clock)
    assert authenticate(key, elsewhere) is None
    assert authenticate("dev-admin-key", deps) is None


def test_a_revoked_key_is_refused_at_once(deps: AdminKeyDeps) -> None:
    record, key = create_key("ops", "viewer", deps)
    revoke_key(record.key_id, deps)
    assert authenticate(key, deps) is None
    with pytest.raises(NotFound) as error:
        revoke_key(record.key_id, deps)
    assert error.value.field == "key_id"
    with pytest.raises(NotFound):
        revoke_key("not-a-key-id", deps)


def test_use_is_written_at_most_once_an_hour(deps: AdminKeyDeps) -> None:
    keys = deps.keys
    assert isinstance(keys, FakeAdminKeys) and isinstance(deps.clock, FakeClock)
    record, key = create_key("ops", "viewer", deps)
    for _ in range(5):
        authenticate(key, deps)
        deps.clock.advance(timedelta(minutes=10))
    assert keys.use_writes == 1
    assert keys.keys[record.key_id].last_used_at == START
    deps.clock.advance(timedelta(minutes=10))
    authenticate(key, deps)
    assert keys.use_writes == 2
    assert keys.keys[record.key_id].last_used_at == START + timedelta(hours=1)
