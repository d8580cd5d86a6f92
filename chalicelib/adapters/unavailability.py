"""Translate AWS being slow, unreachable or failing into :class:`Unavailable`.

Installed on every boto3 client the bootstrap creates, so every call of every adapter
is covered (not only the calls wrapped by hand), and services and the API never see
botocore. Both hooks run *after* the SDK's own retries:

- ``after-call-error``: the request got no answer (``ReadTimeoutError``,
  ``ConnectTimeoutError``, ``EndpointConnectionError``, ``ConnectionClosedError``, ...);
- ``after-call``: AWS answered with a 5xx (``InternalServerError``,
  ``ServiceUnavailable``, ...) that is not a throttle (throttles stay ``ClientError``,
  which :mod:`chalicelib.adapters.dynamo_errors` turns into ``Throttled``).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ConnectionError as NoConnection
from botocore.exceptions import HTTPClientError

from chalicelib.adapters.dynamo_errors import THROTTLING_CODES
from chalicelib.services.exceptions import Unavailable

NO_ANSWER = (HTTPClientError, NoConnection)


def no_answer_as_unavailable(exception: BaseException | None = None, **_: Any) -> None:
    """``after-call-error`` hook: a request that got no answer raises ``Unavailable``."""
    if isinstance(exception, NO_ANSWER):
        raise Unavailable(type(exception).__name__) from exception


def server_error_as_unavailable(
    http_response: Any = None, parsed: dict[str, Any] | None = None, **_: Any
) -> None:
    """``after-call`` hook: a 5xx answer (other than a throttle) raises ``Unavailable``."""
    status = int(getattr(http_response, "status_code", 0) or 0)
    if status < 500:
        return
    code = str(((parsed or {}).get("Error") or {}).get("Code") or "")
    if code in THROTTLING_CODES:
        return
    raise Unavailable(code or f"HTTP {status}", status)


def install(client: Any) -> None:
    """Register both hooks on ``client`` (any AWS service)."""
    client.meta.events.register("after-call-error", no_answer_as_unavailable)
    client.meta.events.register("after-call", server_error_as_unavailable)
