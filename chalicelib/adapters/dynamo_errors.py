"""Translate botocore errors from DynamoDB into adapter errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotocoreConnectionError

from chalicelib.services.exceptions import Throttled, Unavailable

THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "Throttling",
    }
)

TRANSIENT_CANCELLATIONS = THROTTLING_CODES | {"TransactionConflict"}
"""A transaction's per-item codes that pass when it is tried again: throttling, and
another transaction on the same item (facts of one store day meet on its counters)."""


UNAVAILABLE_CODES = frozenset(
    {"InternalServerError", "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException"}
)
"""Error codes of AWS's own failures (answered with a 5xx)."""


def error_code(error: ClientError) -> str:
    """The AWS error code of ``error``."""
    return str(error.response.get("Error", {}).get("Code", ""))


def cancellation_codes(error: ClientError) -> list[str]:
    """Per-item codes of a cancelled transaction (``None`` items become ``'None'``)."""
    reasons = error.response.get("CancellationReasons") or []
    return [str(reason.get("Code", "None")) for reason in reasons]


def failed_conditions(error: ClientError) -> set[int]:
    """Positions of a cancelled transaction's actions whose condition failed.

    Empty when ``error`` is not a transaction cancelled for a condition (callers then
    re-raise it).
    """
    if error_code(error) != "TransactionCanceledException":
        return set()
    codes = cancellation_codes(error)
    return {index for index, code in enumerate(codes) if code == "ConditionalCheckFailed"}


def is_server_error(error: ClientError) -> bool:
    """Whether AWS answered ``error`` with a 5xx (its own failure, not the request's)."""
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return error_code(error) in UNAVAILABLE_CODES or (isinstance(status, int) and status >= 500)


@contextmanager
def throttling_as_adapter_error() -> Iterator[None]:
    """Re-raise AWS's transient errors as port errors (callers map them to 503 or a retry).

    Throttling becomes :class:`Throttled`; a timeout, a failed or closed connection, or a
    5xx becomes :class:`Unavailable`, so services recognise them without botocore.
    """
    try:
        yield
    except ClientError as error:
        code = error_code(error)
        if code in THROTTLING_CODES or (
            code == "TransactionCanceledException"
            and any(c in TRANSIENT_CANCELLATIONS for c in cancellation_codes(error))
        ):
            raise Throttled(code) from error
        if is_server_error(error):
            raise Unavailable(code or "ServerError") from error
        raise
    except (HTTPClientError, BotocoreConnectionError) as error:
        raise Unavailable(type(error).__name__) from error


def condition_held(write: Callable[..., object], **request: Any) -> bool:
    """Make the conditional ``write`` (a client's ``put_item``, ``update_item`` or
    ``delete_item``) with ``request``; ``False`` when its condition failed, nothing
    written. AWS's transient errors are raised as by :func:`throttling_as_adapter_error`.
    """
    try:
        with throttling_as_adapter_error():
            write(**request)
    except ClientError as error:
        if error_code(error) == "ConditionalCheckFailedException":
            return False
        raise
    return True
