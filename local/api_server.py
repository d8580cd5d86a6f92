"""Serve the Chalice app over HTTP in this process (``chalice.local``).

Gateway-level errors (missing or refused key, unknown route) are given the API's one
error shape, as the deployed API Gateway does through its gateway responses.

The app is invoked for one request at a time, as one Lambda container is. Chalice keeps
the request being handled in one attribute of the app (``app.current_request``), and
``chalice.local`` serves each connection in its own thread: two signups arriving together
could both be handled with the second one's body, so one answered 201 and was never
written (seen once in a few 200-signup bursts).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from chalice.config import Config
from chalice.local import ChaliceRequestHandler, LocalDevServer, LocalGatewayException

from chalicelib.http.errors import error_body

_GATEWAY_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found"}
_GATEWAY_MESSAGES = {
    401: "an Authorization: Bearer <key> header is required",
    403: "this key may not call this route",
}


_INVOCATION = threading.Lock()


def gateway_error(error: LocalGatewayException) -> tuple[int, dict[str, Any], bytes]:
    """Status, headers and body of a gateway-level error, in the API's error shape."""
    code = error.CODE
    message = _GATEWAY_MESSAGES.get(code, "no such route")
    body = json.dumps(
        error_body(
            _GATEWAY_CODES.get(code, "error"),
            message,
            "Authorization" if code in (401, 403) else None,
        )
    )
    headers = dict(error.headers)
    headers["Content-Type"] = "application/json"
    return code, headers, body.encode("utf-8")


class RapportRequestHandler(ChaliceRequestHandler):
    """Chalice's local handler: one invocation at a time, the API's error shape."""

    def _one_at_a_time(self) -> None:
        """Chalice's ``_generic_handle`` with the app's invocation (only) under the lock."""
        headers, body = self._parse_payload()
        try:
            with _INVOCATION:
                response = self.local_gateway.handle_request(
                    method=self.command, path=self.path, headers=headers, body=body
                )
            out_headers = response["headers"].copy()
            out_headers.update(response["multiValueHeaders"])
            response = self._handle_binary(response)
            self._send_http_response(response["statusCode"], out_headers, response["body"])
        except LocalGatewayException as error:
            self._send_error_response(error)

    # chalice.local binds every do_* to its own _generic_handle, so rebind them all.
    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _one_at_a_time  # noqa: N815

    def _send_error_response(self, error: LocalGatewayException) -> None:
        self._send_http_response(*gateway_error(error))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


def api_server(app: Any, host: str, port: int) -> LocalDevServer:
    """A local API server for ``app`` (call ``serve_forever`` in a thread)."""
    config = Config.create(chalice_stage="dev", app_name="rapport", lambda_timeout=30)
    return LocalDevServer(app, config, host, port, handler_cls=RapportRequestHandler)
