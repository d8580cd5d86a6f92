"""Secrets read at run time from Secrets Manager through Powertools' Parameters utility.

Functions get a secret's ARN in their environment, never its value (anyone allowed
``lambda:GetFunctionConfiguration`` could read a value there). The value is fetched on
first use and cached by the provider for :data:`SECRET_MAX_AGE_SECONDS`, so a rotated
secret is picked up within minutes without a call per request.
"""

from __future__ import annotations

from typing import Any

from chalicelib.config import ConfigurationError

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
        value = self._provider.get(self._arn, max_age=self._max_age)
        if isinstance(value, str):
            return value.encode("utf-8")
        if isinstance(value, bytes):
            return value
        raise ConfigurationError(f"the secret in {self._variable} is not a string")
