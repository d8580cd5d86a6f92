"""Runtime configuration, read from environment variables once per container.

The CloudFormation template (``infra/template.py``) and the local stack
(``local/stack.py``) set the same variables from the same definitions in ``infra/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


class ConfigurationError(RuntimeError):
    """A required setting is missing."""


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ConfigurationError(f"environment variable {name} is not set")
    return value


def _carrier_secret(local: bool) -> bytes:
    secret = os.environ.get("RAPPORT_CARRIER_SECRET")
    if not secret:
        if not local:
            raise ConfigurationError("RAPPORT_CARRIER_SECRET is not set")
        secret = "dev-carrier-secret"
    return secret.encode("utf-8")


@dataclass(frozen=True)
class Config:
    """Names of resources and secrets the runtime uses."""

    customers_table: str
    timeline_table: str
    messages_table: str
    settings_table: str
    orders_table: str
    shipments_table: str
    tracking_topic_arn: str
    carrier_secret: bytes
    mail_from: str
    public_base_url: str
    signing_secret: bytes
    configuration_set: str | None
    local: bool

    @classmethod
    def from_environment(cls) -> Config:
        """Read the configuration; raises :class:`ConfigurationError` when incomplete."""
        local = os.environ.get("RAPPORT_LOCAL") == "1"
        secret = os.environ.get("RAPPORT_SIGNING_SECRET")
        if not secret:
            if not local:
                raise ConfigurationError("RAPPORT_SIGNING_SECRET is not set")
            secret = "local-development-signing-secret"
        return cls(
            customers_table=_required("RAPPORT_CUSTOMERS_TABLE"),
            timeline_table=_required("RAPPORT_TIMELINE_TABLE"),
            messages_table=_required("RAPPORT_MESSAGES_TABLE"),
            settings_table=_required("RAPPORT_SETTINGS_TABLE"),
            orders_table=_required("RAPPORT_ORDERS_TABLE"),
            shipments_table=_required("RAPPORT_SHIPMENTS_TABLE"),
            tracking_topic_arn=_required("RAPPORT_TRACKING_TOPIC_ARN"),
            carrier_secret=_carrier_secret(local),
            mail_from=_required("RAPPORT_MAIL_FROM"),
            public_base_url=os.environ.get("RAPPORT_PUBLIC_BASE_URL", "").rstrip("/"),
            signing_secret=secret.encode("utf-8"),
            configuration_set=os.environ.get("RAPPORT_SES_CONFIGURATION_SET") or None,
            local=local,
        )
