"""Serve the Chalice app over HTTP in this process (``chalice.local``).

Gateway-level errors (missing or refused key, unknown route) are given the API's one
error shape, as the deployed API Gateway does through its gateway responses.
"""

from __future__ import annotations

import json
from typing import Any

from chalice.config import Config
from chalice.local import ChaliceRequestHandler, LocalDevServer, LocalGatewayException

from chalicelib.http.errors import error_body

_GATEWAY_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found"}
_GATEWAY_MESSAGES = {
    401: "an Authorization: Bearer <key> header is required",
    403: "this key may not call this route",
}


class RapportRequestHandler(ChaliceRequestHandler):
    """Chalice's local handler with gateway errors in the API's error shape."""

    def _send_error_response(self, error: LocalGatewayException) -> None:
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
        self._send_http_response(code, headers, body.encode("utf-8"))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


def api_server(app: Any, host: str, port: int) -> LocalDevServer:
    """A local API server for ``app`` (call ``serve_forever`` in a thread)."""
    config = Config.create(chalice_stage="dev", app_name="rapport", lambda_timeout=30)
    return LocalDevServer(app, config, host, port, handler_cls=RapportRequestHandler)
