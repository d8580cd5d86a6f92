"""The Chalice app as a WSGI application, through ``chalice.local``'s gateway.

For tools that call a WSGI app in process (schemathesis in the tests): the same routing,
authorizers and gateway-level error shape as the local HTTP server, without a socket.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from chalice.config import Config
from chalice.local import LocalGateway, LocalGatewayException

from local.api_server import gateway_error
from local.gateway import refuse_keys_as_api_gateway

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return headers


def _path(environ: dict[str, Any]) -> str:
    path = environ.get("PATH_INFO") or "/"
    query = environ.get("QUERY_STRING")
    return f"{path}?{query}" if query else path


def _status(code: int) -> str:
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} Unknown"


def wsgi_app(app: Any) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """A WSGI callable that hands each request to ``app`` as API Gateway would."""
    config = Config.create(chalice_stage="dev", app_name="rapport", lambda_timeout=30)
    gateway = LocalGateway(app, config)
    refuse_keys_as_api_gateway(gateway, app)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        method = environ["REQUEST_METHOD"]
        try:
            response = gateway.handle_request(method, _path(environ), _headers(environ), body)
        except LocalGatewayException as error:
            code, headers, payload = gateway_error(error)
        else:
            code = response["statusCode"]
            headers = {**response["headers"], **response.get("multiValueHeaders", {})}
            payload = response["body"] or b""
            if isinstance(payload, str):
                payload = payload.encode("utf-8")
        if not any(name.lower() == "content-type" for name in headers):
            headers["Content-Type"] = "application/json"  # as API Gateway and chalice.local
        pairs = []
        for name, value in headers.items():
            values = value if isinstance(value, list) else [value]
            pairs += [(name, str(item)) for item in values]
        start_response(_status(code), pairs)
        return [payload]

    return application
