"""The role each admin route needs: viewers read, admins do everything, unknown is admin."""

from __future__ import annotations

import pytest

from chalicelib.domain import roles
from chalicelib.domain.roles import ADMIN, VIEWER, may_call, required_role


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/admin/customers/{customer_id}/export"),
        ("DELETE", "/v1/admin/customers/{customer_id}"),
        ("PUT", "/v1/admin/settings/store"),
        ("PUT", "/v1/admin/settings/customer-value"),
        ("POST", "/v1/admin/jobs/{name}"),
        ("GET", "/v1/admin/jobs/{name}/runs/{run_id}"),
        ("GET", "/v1/admin/keys"),
        ("POST", "/v1/admin/keys"),
        ("DELETE", "/v1/admin/keys/{key_id}"),
    ],
)
def test_export_erasure_settings_changes_jobs_and_keys_need_admin(method: str, path: str) -> None:
    assert required_role(method, path) == ADMIN
    assert may_call(ADMIN, method, path)
    assert not may_call(VIEWER, method, path)


@pytest.mark.parametrize(
    "path",
    [
        "/v1/admin/customers",
        "/v1/admin/customers/{customer_id}",
        "/v1/admin/customers/{customer_id}/timeline",
        "/v1/admin/messages",
        "/v1/admin/settings/store",
        "/v1/admin/segments",
    ],
)
def test_a_viewer_may_read(path: str) -> None:
    assert may_call(VIEWER, "GET", path)
    assert may_call(VIEWER, "get", path)


def test_a_route_not_in_the_table_needs_admin() -> None:
    assert required_role("GET", "/v1/admin/campaigns") == ADMIN
    assert required_role("POST", "/v1/admin/customers") == ADMIN
    assert not may_call(VIEWER, "GET", "/v1/admin/campaigns")
    assert may_call(ADMIN, "GET", "/v1/admin/campaigns")


def test_no_other_role_may_call_anything() -> None:
    assert not may_call("store", "GET", "/v1/admin/customers")
    assert not may_call("", "GET", "/v1/admin/messages")


def test_only_reads_are_open_to_viewers() -> None:
    opened = [route for route, role in roles.ROUTE_ROLES.items() if role == VIEWER]
    assert opened and all(method == "GET" for method, _ in opened)
