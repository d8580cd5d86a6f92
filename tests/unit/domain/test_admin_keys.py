"""Issued admin keys: their format, keyed digest, the body that asks for one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import admin_keys
from chalicelib.domain.admin_keys import AdminKey, parse_new_key
from chalicelib.domain.exceptions import InvalidInput

SECRET = "A" * 43
KEY = admin_keys.compose("0123456789abcdef", SECRET)


def test_a_key_carries_its_id() -> None:
    assert f"rpk_0123456789abcdef_{SECRET}" == KEY
    assert admin_keys.key_id_of(KEY) == "0123456789abcdef"
    assert admin_keys.key_id_of(admin_keys.compose("0123456789abcdef", "a_b-" + "c" * 39))


@pytest.mark.parametrize(
    "token",
    [
        "dev-admin-key",
        "rpk_0123456789ABCDEF_" + SECRET,  # upper-case id
        "rpk_0123456789abcde_" + SECRET,  # short id
        "rpk_0123456789abcdef_" + SECRET[:-1],  # short secret
        "rpk_0123456789abcdef_" + SECRET + "x",
        "xyz_0123456789abcdef_" + SECRET,
        "rpk_0123456789abcdef_" + "A" * 42 + "=",
    ],
)
def test_anything_else_is_not_an_issued_key(token: str) -> None:
    assert admin_keys.key_id_of(token) is None


def test_the_digest_is_keyed_by_the_deployment_secret() -> None:
    one = admin_keys.digest(b"one", KEY)
    assert len(one) == 64 and one != admin_keys.digest(b"two", KEY)
    assert admin_keys.matches(b"one", KEY, one)
    assert not admin_keys.matches(b"two", KEY, one)
    assert not admin_keys.matches(b"one", KEY + "x", one)


def test_last_use_is_recorded_at_most_once_per_period() -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    key = AdminKey("0123456789abcdef", "dash", "viewer", "d", now)
    assert key.due_for_use_record(now)
    used = AdminKey("0123456789abcdef", "dash", "viewer", "d", now, last_used_at=now)
    assert not used.due_for_use_record(now + admin_keys.LAST_USED_PRECISION - timedelta(seconds=1))
    assert used.due_for_use_record(now + admin_keys.LAST_USED_PRECISION)


def test_the_view_never_shows_the_digest() -> None:
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    view = AdminKey("0123456789abcdef", "dash", "viewer", "secret-digest", now).to_view()
    assert view == {
        "key_id": "0123456789abcdef",
        "name": "dash",
        "role": "viewer",
        "created_at": "2026-05-01T12:00:00.000Z",
        "last_used_at": None,
    }


def test_a_new_key_needs_a_name_and_a_role() -> None:
    assert parse_new_key({"name": "  ops dashboard ", "role": "viewer"}) == (
        "ops dashboard",
        "viewer",
    )
    cases = [
        ({"role": "admin"}, "name"),
        ({"name": "x"}, "role"),
        ({"name": "x", "role": "owner"}, "role"),
        ({"name": "", "role": "admin"}, "name"),
        ({"name": "x" * 65, "role": "admin"}, "name"),
        ({"name": "a\nb", "role": "admin"}, "name"),
        ({"name": "x", "role": "admin", "scope": "all"}, "scope"),
    ]
    for body, field in cases:
        with pytest.raises(InvalidInput) as error:
            parse_new_key(body)
        assert error.value.field == field, body
    with pytest.raises(InvalidInput):
        parse_new_key(["name"])
