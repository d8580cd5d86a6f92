"""Translate botocore errors from DynamoDB into adapter errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import ClientError

from chalicelib.services.exceptions import Throttled

THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "Throttling",
    }
)


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


@contextmanager
def throttling_as_adapter_error() -> Iterator[None]:
    """Re-raise AWS throttling as :class:`Throttled` (callers map it to 503 or a retry)."""
    try:
        yield
    except ClientError as error:
        code = error_code(error)
        if code in THROTTLING_CODES or (
            code == "TransactionCanceledException"
            and any(c in THROTTLING_CODES for c in cancellation_codes(error))
        ):
            raise Throttled(code) from error
        raise
