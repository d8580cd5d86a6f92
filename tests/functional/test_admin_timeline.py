"""The admin customer view: a timeline by time, newest first, paged by a cursor (no Scan);
a lookup without ``email`` names the missing field."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.test_orders import order, post, signup


@pytest.fixture()
def scans() -> list[str]:
    """The Scan calls the app makes from now on (a request path must make none)."""
    made: list[str] = []
    client = bootstrap.container().client("dynamodb")
    client.meta.events.register("before-call.dynamodb.Scan", lambda **_: made.append("scan"))
    return made


def customer_with_history(stack: Stack) -> None:
    """A signup, then a correction, then an order: three entries, oldest first."""
    signup(stack, "c-1")
    patched = stack.http.patch("/v1/customers/c-1", headers=STORE, body='{"name": "Mei"}')
    assert patched.status_code == 200, patched.body
    stack.pump()
    assert post(stack, order("o-1", "c-1")).status_code in (200, 201, 202)
    stack.pump()


def get(stack: Stack, path: str) -> Any:
    return stack.http.get(path, headers=ADMIN)


def test_the_timeline_is_newest_first_by_time_not_by_entry_key(
    stack: Stack, scans: list[str]
) -> None:
    customer_with_history(stack)
    view = get(stack, "/v1/admin/customers/c-1").json_body
    keys = [entry["entry_key"] for entry in view["timeline"]]
    assert keys[0].startswith("order#o-1#")  # the latest fact, though "o" sorts before "p"
    assert keys[-2:] == ["profile#v00000002", "profile#v00000001"]
    times = [entry["at"] for entry in view["timeline"]]
    assert times == sorted(times, reverse=True)
    assert view["timeline_next_cursor"] is None
    assert scans == []


def test_the_timeline_pages_by_cursor_through_its_index(stack: Stack, scans: list[str]) -> None:
    customer_with_history(stack)
    whole = get(stack, "/v1/admin/customers/c-1").json_body["timeline"]
    assert len(whole) >= 3
    seen: list[dict[str, Any]] = []
    cursor = None
    for _ in range(len(whole) + 1):
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = get(stack, f"/v1/admin/customers/c-1/timeline{query}")
        assert page.status_code == 200, page.body
        assert len(page.json_body["items"]) <= 2
        seen += page.json_body["items"]
        cursor = page.json_body["next_cursor"]
        if cursor is None:
            break
    assert seen == whole
    assert scans == []


def test_a_bad_or_foreign_cursor_is_400_and_an_unknown_customer_404(stack: Stack) -> None:
    customer_with_history(stack)
    signup(stack, "c-2")
    first = get(stack, "/v1/admin/customers/c-1/timeline?limit=1").json_body
    foreign = get(stack, f"/v1/admin/customers/c-2/timeline?cursor={first['next_cursor']}")
    assert (foreign.status_code, foreign.json_body["error"]["field"]) == (400, "cursor")
    bad = get(stack, "/v1/admin/customers/c-1/timeline?cursor=%25%25")
    assert (bad.status_code, bad.json_body["error"]["field"]) == (400, "cursor")
    unknown = get(stack, "/v1/admin/customers/nobody/timeline")
    assert (unknown.status_code, unknown.json_body["error"]["field"]) == (404, "customer_id")


@pytest.mark.parametrize("query", ["", "?email=", "?name=Mei"])
def test_a_lookup_without_email_is_400_naming_email(stack: Stack, query: str) -> None:
    answer = get(stack, f"/v1/admin/customers{query}")
    assert answer.status_code == 400, answer.body
    error = answer.json_body["error"]
    assert error["field"] == "email" and error["message"].startswith("email is required")


def test_the_preference_centres_json_body_documented_in_the_readme_works(stack: Stack) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    documented = readme[readme.index("POST /v1/preferences?t=<token from") :]
    body = documented.split("Content-Type: application/json", 1)[1].split("```", 1)[0].strip()
    assert json.loads(body) == {"consents": {"marketing": False, "surveys": True}}
    signup(stack, "c-1", consents={"marketing": True, "greetings": True})
    stack.pump()
    [token] = re.findall(r"/v1/preferences\?t=([\w.~-]+)", stack.mails()[0]["text"])[:1]
    headers = {"Content-Type": "application/json"}
    saved = stack.http.post(f"/v1/preferences?t={token}", headers=headers, body=body)
    assert saved.status_code == 200, saved.body
    consents = saved.json_body["consents"]
    assert (consents["marketing"], consents["surveys"], consents["greetings"]) == (
        False,
        True,
        True,  # not sent: kept
    )
    bad = stack.http.post(
        f"/v1/preferences?t={token}", headers=headers, body='{"consents": {"sms": true}}'
    )
    assert (bad.status_code, bad.json_body["error"]["field"]) == (400, "consents.sms")
