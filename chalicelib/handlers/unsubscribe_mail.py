"""The unsubscribe-mail topic's handler: mail SES received for the ``unsubscribe`` address."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from chalicelib import bootstrap
from chalicelib.observability import logger, metrics
from chalicelib.services.unsubscribe_mail import handle_received


def received(event: dict[str, Any]) -> dict[str, Any]:
    """Apply every received mail of a Lambda SNS event; AWS errors raise (retried).

    Logs and metrics name the outcome and the purpose only, never the address.
    """
    deps = bootstrap.container().unsubscribe_mail
    outcomes = []
    for record in event.get("Records") or []:
        sns = record.get("Sns") or {}
        logger.set_correlation_id(sns.get("MessageId"))
        result = handle_received(sns.get("Message"), deps)
        metrics.add_metric(name=f"UnsubscribeMail_{result.outcome}", unit=MetricUnit.Count, value=1)
        extra = {"outcome": result.outcome, "reason": result.reason, "purpose": result.purpose}
        logger.info("unsubscribe mail", extra=extra)
        outcomes.append(result.outcome)
    return {"outcomes": outcomes}
