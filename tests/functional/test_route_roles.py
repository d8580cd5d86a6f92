"""Every registered route, called with every kind of key: who may call it.

The expectations are the issue's rule, stated here independently of the route table:
store routes take the store key only; admin routes take the bootstrap admin key and
issued admin keys, and issued viewer keys only for reads other than export, key
management, jobs and campaigns; public routes answer the same whatever key is sent.
A new route fails here until it has an authorizer (or is listed as public) and, for an
admin route, its row in :data:`chalicelib.domain.roles.ROUTE_ROLES`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

import app as app_module
from chalicelib.domain import roles
from tests.functional.conftest import ADMIN, STORE, Stack

PUBLIC = {
    ("GET", "/v1/health"),
    ("GET", "/v1/preferences"),
    ("POST", "/v1/preferences"),
    ("POST", "/v1/preferences/export"),  # signed link (t=); mails the export link
    ("POST", "/v1/preferences/erasure"),  # signed link (t=); mails the confirmation
    ("GET", "/v1/privacy/export"),  # signed link (t=)
    ("GET", "/v1/privacy/erasure"),  # signed link (t=)
    ("POST", "/v1/privacy/erasure"),  # signed link (t=)
    ("POST", "/v1/unsubscribe"),
    ("POST", "/v1/carrier-events"),  # signed by the carrier (X-Rapport-Signature)
    ("GET", "/v1/track/{tracking_number}"),
    ("GET", "/v1/surveys"),
    ("POST", "/v1/surveys"),
}
ADMIN_ONLY_PARTS = ("export", "keys", "jobs", "campaigns")
DENIED = (401, 403)


def routes() -> Iterator[tuple[str, str, str | None]]:
    for path, methods in app_module.app.routes.items():
        for method, entry in methods.items():
            yield method, path, getattr(entry.authorizer, "name", None)


def viewer_may(method: str, path: str) -> bool:
    """The issue's rule: viewers read, except export, key management, jobs, campaigns."""
    parts = path.strip("/").split("/")
    return method == "GET" and not any(part in parts for part in ADMIN_ONLY_PARTS)


def test_every_route_has_a_key_or_is_public() -> None:
    unguarded = {(m, p) for m, p, name in routes() if name is None}
    assert unguarded == PUBLIC
    assert {name for _, _, name in routes()} == {None, "store_key", "admin_key"}


def test_every_admin_route_is_in_the_role_table_with_the_issues_rule() -> None:
    admin_routes = [(m, p) for m, p, name in routes() if name == "admin_key"]
    missing = [route for route in admin_routes if route not in roles.ROUTE_ROLES]
    assert not missing, f"add these to chalicelib/domain/roles.py ROUTE_ROLES: {missing}"
    for method, path in admin_routes:
        expected = roles.VIEWER if viewer_may(method, path) else roles.ADMIN
        assert roles.ROUTE_ROLES[(method, path)] == expected, (method, path)
    export = ("GET", "/v1/admin/customers/{customer_id}/export")
    erasure = ("DELETE", "/v1/admin/customers/{customer_id}")
    assert roles.ROUTE_ROLES[export] == roles.ROUTE_ROLES[erasure] == roles.ADMIN


@pytest.fixture()
def principals(stack: Stack) -> dict[str, dict[str, str]]:
    def issued(role: str) -> dict[str, str]:
        body = json.dumps({"name": f"{role} key", "role": role})
        created = stack.http.post("/v1/admin/keys", headers=ADMIN, body=body)
        assert created.status_code == 201, created.body
        return {"Authorization": f"Bearer {created.json_body['key']}"}

    return {
        "no key": {},
        "store": {"Authorization": STORE["Authorization"]},
        "bootstrap admin": {"Authorization": ADMIN["Authorization"]},
        "admin": issued(roles.ADMIN),
        "viewer": issued(roles.VIEWER),
    }


def allowed(method: str, path: str, authorizer: str | None) -> dict[str, bool]:
    """Who may call the route (``None`` authorizer: checked separately)."""
    admin = authorizer == "admin_key"
    return {
        "no key": False,
        "store": authorizer == "store_key",
        "bootstrap admin": admin,
        "admin": admin,
        "viewer": admin and viewer_may(method, path),
    }


def test_each_kind_of_key_on_every_route(
    stack: Stack, principals: dict[str, dict[str, str]]
) -> None:
    failures: list[object] = []
    for method, path, authorizer in routes():
        concrete = re.sub(r"\{[^}]+\}", "x-1", path)
        answers = {}
        for who, headers in principals.items():
            sent = {**headers, "Content-Type": "application/json"}
            body = b"{}" if method in ("POST", "PUT", "PATCH") else b""
            answers[who] = stack.http.request(method, concrete, headers=sent, body=body).status_code
        if authorizer is None:
            if len(set(answers.values())) != 1:
                failures.append((method, path, answers))
            continue
        for who, may in allowed(method, path, authorizer).items():
            status = answers[who]
            expected_denial = 401 if who == "no key" else 403
            if (status not in DENIED) != may or (not may and status != expected_denial):
                failures.append((method, path, who, status))
    assert not failures
