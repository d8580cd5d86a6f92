"""The HTTP edge's errors are their own hierarchy, and every error leaves in one shape."""

from __future__ import annotations

from chalice import Response

from chalicelib.domain.exceptions import DomainError, NotFound
from chalicelib.http.errors import from_domain_error, from_framework_error, from_http_error
from chalicelib.http.exceptions import HttpError, PayloadTooLarge, Unauthorized


def test_http_errors_are_not_domain_errors_and_carry_their_own_status() -> None:
    for kind, status in ((Unauthorized, 401), (PayloadTooLarge, 413)):
        assert issubclass(kind, HttpError) and not issubclass(kind, DomainError)
        response = from_http_error(kind("no", "field"))
        assert response.status_code == status
        assert response.body == {"error": {"code": kind.code, "message": "no", "field": "field"}}
    assert from_domain_error(NotFound("none", "id")).status_code == 404


def test_chalices_own_405_keeps_allow_and_says_what_the_route_takes() -> None:
    chalice_405 = Response(
        body={"Code": "MethodNotAllowedError", "Message": "Unsupported method: DELETE"},
        status_code=405,
        headers={"Allow": "GET, PATCH"},
    )
    shaped = from_framework_error(chalice_405, "DELETE")
    assert shaped.status_code == 405 and shaped.headers["Allow"] == "GET, PATCH"
    assert shaped.headers["Content-Type"] == "application/json"
    assert shaped.body == {
        "error": {
            "code": "method_not_allowed",
            "message": "this route does not take DELETE; it takes GET, PATCH",
            "field": None,
        }
    }


def test_chalices_own_500_is_shaped_and_the_apis_own_responses_pass_unchanged() -> None:
    chalice_500 = Response(
        body={"Code": "InternalServerError", "Message": "An internal server error occurred."},
        status_code=500,
    )
    assert from_framework_error(chalice_500, "GET").body["error"]["code"] == "internal_error"
    ours = Response(body={"Code": "x", "Message": "y", "extra": 1}, status_code=200)
    assert from_framework_error(ours, "GET") is ours
    page = Response(body="<html></html>", status_code=200)
    assert from_framework_error(page, "GET") is page
