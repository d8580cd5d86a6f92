"""Secrets read at run time from Secrets Manager through Powertools' Parameters utility.

Functions get a secret's ARN in their environment, never its value (anyone allowed
``lambda:GetFunctionConfiguration`` could read a value there). The value is fetched on
first use and cached by the provider for :data:`SECRET_MAX_AGE_SECONDS`, so a rotated
secret is picked up within minutes without a call per request.

Powertools wraps every error of the provider in ``GetParameterError``; a read that failed
because Secrets Manager was slow, throttled or failing is raised as the port error under
it (``Unavailable``, ``Throttled``), so routes answer 503 and stream handlers retry.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
from botocore.exceptions import ClientError

from chalicelib.adapters.dynamo_errors import THROTTLING_CODES, error_code
from chalicelib.config import ConfigurationError
from chalicelib.services.exceptions import PortError, Throttled, Unavailable

SECRET_MAX_AGE_SECONDS = 300


class ManagedSecret:
    """The current value of one secret, as bytes (a callable, for the HMAC adapters)."""

    def __init__(
        self,
        provider: Any,
        secret_arn: str | None,
        variable: str,
        max_age: int = SECRET_MAX_AGE_SECONDS,
    ) -> None:
        """``provider`` is a Powertools ``SecretsProvider``; ``variable`` names the ARN's
        environment variable, for the error when this function was given none."""
        self._provider = provider
        self._arn = secret_arn
        self._variable = variable
        self._max_age = max_age

    def __call__(self) -> bytes:
        """The secret's value (cached by the provider up to ``max_age`` seconds)."""
        if not self._arn:
            raise ConfigurationError(f"environment variable {self._variable} is not set")
        try:
            value = self._provider.get(self._arn, max_age=self._max_age)
        except GetParameterError as wrapped:
            raise _port_error(wrapped) from wrapped
        if isinstance(value, str):
            return value.encode("utf-8")
        if isinstance(value, bytes):
            return value
        raise ConfigurationError(f"the secret in {self._variable} is not a string")


def _port_error(wrapped: GetParameterError) -> PortError:
    """The port error under Powertools' wrapper: ``Throttled`` or ``Unavailable``."""
    error = wrapped.__cause__ or wrapped.__context__
    if isinstance(error, PortError):
        return error
    if isinstance(error, ClientError):
        code = error_code(error)
        return Throttled(code) if code in THROTTLING_CODES else Unavailable(code or "ClientError")
    return Unavailable(type(error).__name__ if error else "GetParameterError")
