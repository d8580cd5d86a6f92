"""The SES feedback topic's handler: one SNS delivery, one or more notifications."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from chalicelib import bootstrap
from chalicelib.observability import logger, metrics
from chalicelib.services.mail_feedback import FAILED, handle_notification


def notifications(event: dict[str, Any]) -> dict[str, Any]:
    """Apply every SES notification of a Lambda SNS event; AWS errors raise (retried).

    Logs and metrics name the outcome only, never the address.
    """
    deps = bootstrap.container().feedback
    outcomes = []
    for record in event.get("Records") or []:
        sns = record.get("Sns") or {}
        notification_id = sns.get("MessageId")
        if not isinstance(notification_id, str) or not notification_id:
            logger.error("mail feedback without an SNS MessageId", extra={"outcome": FAILED})
            outcomes.append(FAILED)
            continue
        logger.set_correlation_id(notification_id)
        result = handle_notification(notification_id, sns.get("Message"), deps)
        metrics.add_metric(name=f"Feedback_{result.outcome}", unit=MetricUnit.Count, value=1)
        log = logger.warning if result.outcome == FAILED else logger.info
        log(
            "mail feedback",
            extra={
                "notification_id": notification_id,
                "outcome": result.outcome,
                "status_changes": result.status_changes,
                "reason": result.reason,
            },
        )
        outcomes.append(result.outcome)
    return {"outcomes": outcomes}
