"""Runtime configuration, read from environment variables once per container.

The CloudFormation template (``infra/template/``) and the local stack
(``local/stack.py``) set the same variables from the same definitions in ``infra/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


class ConfigurationError(RuntimeError):
    """A required setting is missing."""


SEGMENTS_QUEUE_VARIABLE = "RAPPORT_JOB_SEGMENTS_QUEUE_URL"


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ConfigurationError(f"environment variable {name} is not set")
    return value


SIGNING_SECRET_VARIABLE = "RAPPORT_SIGNING_SECRET_ARN"
CARRIER_SECRET_VARIABLE = "RAPPORT_CARRIER_SECRET_ARN"
ADMIN_KEYS_SECRET_VARIABLE = "RAPPORT_ADMIN_KEYS_SECRET_ARN"
IMPORTS_BUCKET_VARIABLE = "RAPPORT_IMPORTS_BUCKET"


@dataclass(frozen=True)
class Config:
    """Names of resources and secrets the runtime uses.

    Secrets are named by their Secrets Manager ARN (set only for the functions that read
    them); their values are fetched at run time (``chalicelib.adapters.secrets``).
    """

    customers_table: str
    timeline_table: str
    messages_table: str
    settings_table: str
    orders_table: str
    shipments_table: str
    support_table: str
    activity_table: str
    tracking_topic_arn: str
    carrier_secret_arn: str | None
    mail_from: str
    public_base_url: str
    signing_secret_arn: str | None
    configuration_set: str | None
    keys_table: str
    counts_table: str
    event_bus: str
    metrics_table: str
    admin_keys_secret_arn: str | None
    local: bool
    campaigns_table: str = "rapport-campaigns"
    imports_bucket: str = ""
    """The bucket of bulk imports' uploads (``RAPPORT_IMPORTS_BUCKET``)."""
    segments_queue_url: str | None = None
    """The SQS queue of the nightly jobs' segment tasks (``None`` locally)."""

    @classmethod
    def from_environment(cls) -> Config:
        """Read the configuration; raises :class:`ConfigurationError` when incomplete."""
        return cls(
            customers_table=_required("RAPPORT_CUSTOMERS_TABLE"),
            timeline_table=_required("RAPPORT_TIMELINE_TABLE"),
            messages_table=_required("RAPPORT_MESSAGES_TABLE"),
            settings_table=_required("RAPPORT_SETTINGS_TABLE"),
            orders_table=_required("RAPPORT_ORDERS_TABLE"),
            shipments_table=_required("RAPPORT_SHIPMENTS_TABLE"),
            support_table=_required("RAPPORT_SUPPORT_TABLE"),
            activity_table=_required("RAPPORT_ACTIVITY_TABLE"),
            tracking_topic_arn=_required("RAPPORT_TRACKING_TOPIC_ARN"),
            carrier_secret_arn=os.environ.get(CARRIER_SECRET_VARIABLE) or None,
            mail_from=_required("RAPPORT_MAIL_FROM"),
            public_base_url=os.environ.get("RAPPORT_PUBLIC_BASE_URL", "").rstrip("/"),
            signing_secret_arn=os.environ.get(SIGNING_SECRET_VARIABLE) or None,
            configuration_set=os.environ.get("RAPPORT_SES_CONFIGURATION_SET") or None,
            local=os.environ.get("RAPPORT_LOCAL") == "1",
            keys_table=_required("RAPPORT_KEYS_TABLE"),
            counts_table=_required("RAPPORT_COUNTS_TABLE"),
            event_bus=_required("RAPPORT_EVENT_BUS"),
            metrics_table=_required("RAPPORT_METRICS_TABLE"),
            admin_keys_secret_arn=os.environ.get(ADMIN_KEYS_SECRET_VARIABLE) or None,
            campaigns_table=_required("RAPPORT_CAMPAIGNS_TABLE"),
            imports_bucket=os.environ.get(IMPORTS_BUCKET_VARIABLE, ""),
            segments_queue_url=os.environ.get(SEGMENTS_QUEUE_VARIABLE) or None,
        )
