"""Admin keys on the local stack over real HTTP: issued with the bootstrap key, revoked at once."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ADMIN_KEY, RunningStack

pytestmark = pytest.mark.e2e

DEV_ADMIN = ADMIN_KEY  # the bootstrap admin key the stack was started with


def test_a_viewer_key_reads_is_refused_changes_and_is_401_once_revoked(
    local_stack: RunningStack,
) -> None:
    created = local_stack.request(
        "POST", "/v1/admin/keys", {"name": "reporting", "role": "viewer"}, key=DEV_ADMIN
    )
    assert created.status == 201, created.body
    viewer = created.body["key"]
    assert local_stack.request("GET", "/v1/admin/settings/store", key=viewer).status == 200
    change = local_stack.request("PUT", "/v1/admin/settings/store", {"store_name": "X"}, key=viewer)
    assert change.status == 403 and change.body["error"]["field"] == "Authorization"
    listed = local_stack.request("GET", "/v1/admin/keys", key=DEV_ADMIN).body
    assert [k["name"] for k in listed["items"]] == ["reporting"]
    assert listed["items"][0]["last_used_at"] is not None
    revoked = local_stack.request(
        "DELETE", f"/v1/admin/keys/{created.body['key_id']}", key=DEV_ADMIN
    )
    assert revoked.status == 204
    after = local_stack.request("GET", "/v1/admin/settings/store", key=viewer)
    assert after.status == 401 and after.body["error"]["code"] == "unauthorized"
    garbage = local_stack.request("GET", "/v1/admin/messages", key="not-a-key")
    assert garbage.status == 401
