"""The local API server hands each request its own body, even when requests overlap."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalice import Chalice

from local.api_server import api_server


def echo_app() -> Chalice:
    app = Chalice(app_name="echo")

    @app.route("/echo", methods=["POST"])
    def echo() -> dict[str, object]:
        first = app.current_request.json_body
        time.sleep(0.05)  # another request arriving now must not replace this one's
        return {"first": first, "then": app.current_request.json_body}

    return app


def test_overlapping_requests_each_see_their_own_body() -> None:
    server = api_server(echo_app(), "127.0.0.1", 0)
    port = server.server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def post(n: int) -> dict[str, object]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/echo",
            data=json.dumps({"n": n}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            answer: dict[str, object] = json.load(response)
            return answer

    try:
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(post, range(12)))
    finally:
        server.shutdown()
    assert answers == [{"first": {"n": n}, "then": {"n": n}} for n in range(12)]


def _call(port: int, method: str, path: str, headers: dict[str, str]) -> tuple[int, Any, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.load(error)


def test_gateway_answers_and_missing_methods_come_in_the_api_error_shape_over_http() -> None:
    import app as app_module

    server = api_server(app_module.app, "127.0.0.1", 0)
    port = server.server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        unknown = _call(port, "GET", "/v1/nothing", {"Authorization": "Bearer dev-store-key"})
        no_key = _call(port, "GET", "/v1/customers/c-1", {})
        wrong_method = _call(port, "DELETE", "/v1/customers/c-1", {})
    finally:
        server.shutdown()
    assert unknown[0] == 404
    assert unknown[2] == {"error": {"code": "not_found", "message": "no such route", "field": None}}
    assert no_key[0] == 401 and no_key[2]["error"]["field"] == "Authorization"
    status, headers, body = wrong_method
    assert (status, headers["Allow"], body["error"]["code"]) == (
        405,
        "GET, PATCH",
        "method_not_allowed",
    )
    assert headers["Content-Type"] == "application/json"
