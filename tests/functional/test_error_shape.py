"""One error shape everywhere: unknown paths (404), missing methods (405 with ``Allow``),
deep JSON (400), dependencies that time out or fail (503 with ``Retry-After``)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

from chalicelib import bootstrap
from chalicelib.http.routing import GUARDED
from tests.functional.conftest import ADMIN, STORE, Stack
from tests.functional.shipment_fixtures import LINES, put_order, register, sign_up

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
KEYS = {"store_key": STORE, "admin_key": ADMIN}


def _routes(stack: Stack) -> list[tuple[str, str, Any]]:
    return [
        (path, method, entry)
        for path, methods in stack.app.routes.items()
        for method, entry in methods.items()
    ]


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x-1", path)


def _headers(entry: Any) -> dict[str, str]:
    name = getattr(entry.authorizer, "name", None)
    return dict(KEYS.get(name, {"Content-Type": "application/json"}))


def _assert_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.body
    assert response.headers["Content-Type"].startswith("application/json")
    error: dict[str, Any] = json.loads(response.body)["error"]
    assert set(error) == {"code", "message", "field"} and error["code"] == code
    return error


@pytest.mark.parametrize(
    "path", ["/v1/nothing", "/", "/v2/signups", "/v1/customers", "/v1/customers/c-1/nothing"]
)
def test_a_path_the_api_does_not_have_is_404_with_or_without_a_key(stack: Stack, path: str) -> None:
    for headers in ({}, STORE, ADMIN, {"Authorization": "Bearer wrong"}):
        error = _assert_shape(stack.http.get(path, headers=headers), 404, "not_found")
        assert (error["message"], error["field"]) == ("no such route", None)
        _assert_shape(stack.http.post(path, headers=headers, body=b"{}"), 404, "not_found")


def test_every_route_answers_405_with_allow_for_each_method_it_does_not_take(
    stack: Stack,
) -> None:
    walked = 0
    for path, methods in stack.app.routes.items():
        allowed = set(methods)
        for method in set(METHODS) - allowed:
            for headers in ({}, STORE):
                response = stack.http.request(method, _concrete(path), headers=headers, body=b"")
                error = _assert_shape(response, 405, "method_not_allowed")
                assert set(response.headers["Allow"].split(", ")) == allowed
                assert error["message"].startswith(f"this route does not take {method}; it takes")
                walked += 1
    assert walked > 100
    response = stack.http.request("DELETE", "/v1/customers/c-1", headers=STORE, body=b"")
    assert json.loads(response.body)["error"]["message"] == (
        "this route does not take DELETE; it takes GET, PATCH"
    )


def test_every_route_goes_through_the_guard_that_shapes_errors(stack: Stack) -> None:
    unguarded = [
        (p, m) for p, m, entry in _routes(stack) if not hasattr(entry.view_function, GUARDED)
    ]
    assert unguarded == []


def test_deeply_nested_json_is_a_400_naming_the_body_on_every_route_that_takes_json(
    stack: Stack,
) -> None:
    deep = ("[" * 5000 + "]" * 5000).encode()
    checked = 0
    for path, method, entry in _routes(stack):
        if method not in ("POST", "PATCH", "PUT") or "/v1/carrier-events" in path:
            continue
        response = stack.http.request(method, _concrete(path), headers=_headers(entry), body=deep)
        if entry.authorizer is None:  # public routes: the link is checked first
            _assert_shape(response, 404, "not_found")
        else:
            assert _assert_shape(response, 400, "invalid_input")["field"] == "body", path
            checked += 1
    assert checked >= 8


def test_public_routes_check_the_link_before_the_body(stack: Stack) -> None:
    bad_bodies = [
        ({"Content-Type": "application/json"}, b"{not json"),
        ({"Content-Type": "application/json"}, ("[" * 5000).encode()),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"score=\xff"),
    ]
    for path in ("/v1/surveys?t=forged", "/v1/preferences?t=forged", "/v1/unsubscribe?t=x"):
        for headers, body in bad_bodies:
            response = stack.http.post(path, headers=headers, body=body)
            assert _assert_shape(response, 404, "not_found")["field"] == "t", (path, body)


def _slow(**_: Any) -> None:
    raise ReadTimeoutError(endpoint_url="https://dynamodb.us-east-1.amazonaws.com")


def _failing(**_: Any) -> tuple[AWSResponse, dict[str, Any]]:
    return AWSResponse("https://dynamodb", 500, {}, None), {  # type: ignore[arg-type]
        "Error": {"Code": "InternalServerError", "Message": "Internal server error"},
        "ResponseMetadata": {"HTTPStatusCode": 500},
    }


def _assert_unavailable(response: Any) -> None:
    error = _assert_shape(response, 503, "unavailable")
    assert error["message"] == "a service we depend on is slow or failing; retry shortly"
    assert response.headers["Retry-After"] == "5"


def test_a_dynamodb_timeout_is_503_with_retry_after_not_500(stack: Stack) -> None:
    sign_up(stack, "c-slow")
    queued = stack.http.post("/v1/admin/jobs/deferred-mail", headers=ADMIN, body="")
    run_url = queued.json_body["url"]
    assert stack.http.get(run_url, headers=ADMIN).status_code == 200
    dynamodb = bootstrap.container().client("dynamodb")
    # below the SDK's retry loop, where a slow network fails: the SDK retries, then gives up
    dynamodb.meta.events.register("before-send.dynamodb", _slow)
    try:
        _assert_unavailable(stack.http.get(run_url, headers=ADMIN))
        _assert_unavailable(stack.http.get("/v1/customers/c-slow", headers=STORE))
    finally:
        dynamodb.meta.events.unregister("before-send.dynamodb", _slow)
    assert stack.http.get("/v1/customers/c-slow", headers=STORE).status_code == 200


def test_no_route_answers_500_when_dynamodb_fails_with_a_5xx(stack: Stack) -> None:
    dynamodb = bootstrap.container().client("dynamodb")
    dynamodb.meta.events.register("before-call.dynamodb", _failing)
    unavailable = 0
    try:
        for path, method, entry in _routes(stack):
            if method != "GET" or entry.authorizer is None:
                continue
            response = stack.http.get(
                _concrete(path) + "?email=a@example.com", headers=_headers(entry)
            )
            assert response.status_code != 500, (path, response.body)
            if response.status_code == 503:
                _assert_unavailable(response)
                unavailable += 1
        signup = json.dumps({"customer_id": "c-5xx", "email": "c5@example.com"})
        _assert_unavailable(stack.http.post("/v1/signups", headers=STORE, body=signup))
    finally:
        dynamodb.meta.events.unregister("before-call.dynamodb", _failing)
    assert unavailable >= 10


def _page_links(stack: Stack) -> list[str]:
    sign_up(stack, "c-page")
    put_order(stack, "o-page", "c-page", LINES)
    assert register(stack, "794699999999", "o-page").status_code == 201
    signer = bootstrap.container().signer
    later = datetime.now(UTC) + timedelta(days=1)
    return [
        f"/v1/preferences?t={signer.sign('preferences', 'c-page', later)}",
        f"/v1/track/794699999999?t={signer.sign('track', '794699999999', later)}",
        f"/v1/surveys?t={signer.sign('survey', '794699999999', later)}",
    ]


def test_every_page_is_sent_with_csp_no_framing_no_referrer_and_no_store(stack: Stack) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml"}
    form = {**browser, "Content-Type": "application/x-www-form-urlencoded"}
    pages = []
    for link in _page_links(stack):
        pages.append(stack.http.get(link, headers=browser))
        if "/track/" not in link:
            pages.append(stack.http.post(link, headers=form, body=b"score=5&marketing=on"))
    assert len(pages) == 5
    for page in pages:
        assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
        csp = page.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "script-src" not in csp  # no script at all: default-src 'none' covers it
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Referrer-Policy"] == "no-referrer"
        assert page.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" not in stack.http.get("/v1/health").headers


def test_a_body_of_a_type_the_route_does_not_take_is_415_in_the_error_shape(stack: Stack) -> None:
    headers = {**STORE, "Content-Type": "text/plain"}
    response = stack.http.post("/v1/signups", headers=headers, body=b"hello")
    error = _assert_shape(response, 415, "unsupported_media_type")
    assert error["field"] == "Content-Type"
