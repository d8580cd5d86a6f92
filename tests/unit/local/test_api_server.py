"""The local API server hands each request its own body, even when requests overlap."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

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
