"""Serve the Chalice app over HTTP in this process (``chalice.local``).

Gateway-level errors (missing or refused key, unknown route) are answered as the
deployed API Gateway answers them, from the same gateway responses (``local/gateway.py``).

The app is invoked for one request at a time, as one Lambda container is. Chalice keeps
the request being handled in one attribute of the app (``app.current_request``), and
``chalice.local`` serves each connection in its own thread: two signups arriving together
could both be handled with the second one's body, so one answered 201 and was never
written (seen once in a few 200-signup bursts).
"""

from __future__ import annotations

import threading
from typing import Any

from chalice.config import Config
from chalice.local import ChaliceRequestHandler, LocalDevServer, LocalGatewayException

from local.gateway import gateway_error, refuse_keys_as_api_gateway

_INVOCATION = threading.Lock()


class RapportRequestHandler(ChaliceRequestHandler):
    """Chalice's local handler: one invocation at a time, the API's error shape."""

    def _one_at_a_time(self) -> None:
        """Chalice's ``_generic_handle`` with the app's invocation (only) under the lock."""
        headers, body = self._parse_payload()
        refuse_keys_as_api_gateway(self.local_gateway, self.local_gateway._app_object)
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
        status, headers, body = gateway_error(error)
        self._send_http_response(status, headers, body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


def api_server(app: Any, host: str, port: int) -> LocalDevServer:
    """A local API server for ``app`` (call ``serve_forever`` in a thread)."""
    config = Config.create(chalice_stage="dev", app_name="rapport", lambda_timeout=30)
    return LocalDevServer(app, config, host, port, handler_cls=RapportRequestHandler)
